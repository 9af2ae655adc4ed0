#pragma once
// Finds a client's personal data in text before it is stored: BSN, IBAN, Dutch phone numbers,
// e-mail addresses, postcode with house number, and dates of birth. Hand-written scanners, no
// regular expressions: each kind has a check digit or a shape narrow enough that ordinary case
// text (amounts, times, years, case numbers) does not match. tests/data/ holds the corpus that
// measures it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vraagbaak::core {

enum class PersonalDataKind { bsn, iban, phone, email, postcode, birth_date };
std::string_view to_string(PersonalDataKind kind);
std::optional<PersonalDataKind> personal_data_kind_from_string(std::string_view name);
// Every kind's name, in the enum's order (for counters).
std::vector<std::string> personal_data_kind_names();

struct Finding {
    PersonalDataKind kind = PersonalDataKind::bsn;
    std::size_t begin = 0;  // in Unicode code points, end exclusive
    std::size_t end = 0;
    bool operator==(const Finding&) const = default;
};

struct ScanContext {
    std::int64_t now_ms = 0;
    // In a case's text (its body) any full date more than 12 years ago counts as a birth date;
    // elsewhere only a date near words like "geboren" or "DOB" does.
    bool case_body = false;
};

// Findings in text order, never overlapping.
std::vector<Finding> find_personal_data(std::string_view text, const ScanContext& context);

// The text with every finding replaced by a marker such as "[BSN]".
std::string redact(std::string_view text, const std::vector<Finding>& findings);

// The checks, exposed for tests.
bool passes_eleven_test(std::string_view nine_digits);
bool passes_iban_check(std::string_view iban);  // letters and digits only, no spaces

}  // namespace vraagbaak::core

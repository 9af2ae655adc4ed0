#include "core/personal_data.hpp"

#include <algorithm>
#include <array>

#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::core {

namespace {

constexpr std::array<std::string_view, 6> kKindNames{"bsn", "iban", "phone", "email", "postcode", "birth_date"};
constexpr std::array<std::string_view, 6> kMarkers{"[BSN]", "[IBAN]", "[TELEFOON]", "[E-MAIL]", "[ADRES]",
                                                   "[GEBOORTEDATUM]"};

bool digit(char c) { return c >= '0' && c <= '9'; }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool alnum(char c) { return digit(c) || letter(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A match starts and ends at a word edge: not inside a longer run of letters or digits.
bool edge_before(std::string_view t, std::size_t i) { return i == 0 || !alnum(t[i - 1]); }
bool edge_after(std::string_view t, std::size_t i) { return i >= t.size() || !alnum(t[i]); }

struct Span {
    PersonalDataKind kind;
    std::size_t begin;  // bytes
    std::size_t end;
};

// ---- digit groups: "123 456 782", "06-1234 5678", "1234.56.782" ----

struct Group {
    std::size_t begin, end;  // bytes of the digits
};

// The groups of digits from `i` joined by single separators (space, dot, dash).
std::vector<Group> digit_groups(std::string_view t, std::size_t i) {
    std::vector<Group> groups;
    while (i < t.size() && digit(t[i])) {
        std::size_t b = i;
        while (i < t.size() && digit(t[i])) ++i;
        groups.push_back({b, i});
        if (i + 1 < t.size() && (t[i] == ' ' || t[i] == '.' || t[i] == '-') && digit(t[i + 1])) ++i;
        else break;
    }
    return groups;
}

std::string digits_of(std::string_view t, const std::vector<Group>& groups, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t g = from; g <= to; ++g) out.append(t.substr(groups[g].begin, groups[g].end - groups[g].begin));
    return out;
}

void find_bsn(std::string_view t, std::vector<Span>& out) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (!digit(t[i]) || !edge_before(t, i)) continue;
        auto groups = digit_groups(t, i);
        // Any whole groups adding up to nine digits, e.g. inside "tel 123 456 782 of".
        for (std::size_t a = 0; a < groups.size(); ++a) {
            std::size_t count = 0;
            for (std::size_t b = a; b < groups.size() && count < 9; ++b) {
                count += groups[b].end - groups[b].begin;
                if (count == 9 && passes_eleven_test(digits_of(t, groups, a, b)) && edge_after(t, groups[b].end))
                    out.push_back({PersonalDataKind::bsn, groups[a].begin, groups[b].end});
            }
        }
        i = groups.back().end;
    }
}

// 06-12345678, 020 123 4567, +31 6 1234 5678, +31 (0)20 123 4567, 0031 6 12345678.
void find_phone(std::string_view t, std::vector<Span>& out) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        std::size_t j = i;
        std::size_t needed = 0;  // digits of the national number still to come
        if (t[i] == '+' && t.substr(i, 3) == "+31" && (i == 0 || !alnum(t[i - 1]))) {
            j = i + 3;
            needed = 9;
        } else if (t.substr(i, 4) == "0031" && edge_before(t, i)) {
            j = i + 4;
            needed = 9;
        } else if (t[i] == '0' && edge_before(t, i) && i + 1 < t.size() && digit(t[i + 1]) && t[i + 1] != '0') {
            needed = 10;
        } else {
            continue;
        }
        std::size_t got = 0;
        std::size_t last = j;
        bool first = true;
        while (j < t.size() && got < needed) {
            if (digit(t[j])) {
                if (needed == 9 && first && t[j] == '0') return;  // "+31 0…" is not a number
                first = false;
                ++got;
                last = ++j;
            } else if (needed == 9 && t.substr(j, 3) == "(0)") {
                j += 3;
            } else if ((t[j] == ' ' || t[j] == '-' || t[j] == '.' || t[j] == ')' || t[j] == '(') && j + 1 < t.size() &&
                       (digit(t[j + 1]) || t[j + 1] == ' ' || t[j + 1] == '(')) {
                ++j;
            } else {
                break;
            }
        }
        if (got == needed && edge_after(t, last)) {
            out.push_back({PersonalDataKind::phone, i, last});
            i = last;
        }
    }
}

void find_iban(std::string_view t, std::vector<Span>& out) {
    for (std::size_t i = 0; i + 4 <= t.size(); ++i) {
        if (!letter(t[i]) || !letter(t[i + 1]) || !digit(t[i + 2]) || !digit(t[i + 3]) || !edge_before(t, i)) continue;
        // Alphanumeric characters, optionally in groups separated by single spaces.
        std::string compact;
        std::vector<std::pair<std::size_t, std::size_t>> ends;  // (compact length, byte end) at group ends
        std::size_t j = i;
        while (j < t.size() && compact.size() < 34) {
            if (alnum(t[j])) {
                compact.push_back(t[j]);
                ++j;
                if (j >= t.size() || !alnum(t[j])) ends.emplace_back(compact.size(), j);
            } else if (t[j] == ' ' && j + 1 < t.size() && alnum(t[j + 1]) && !compact.empty()) {
                ++j;
            } else {
                break;
            }
        }
        // The longest prefix ending at a group edge that is a valid IBAN.
        for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
            if (it->first < 15) break;
            if (passes_iban_check(compact.substr(0, it->first))) {
                out.push_back({PersonalDataKind::iban, i, it->second});
                i = it->second;
                break;
            }
        }
    }
}

void find_email(std::string_view t, std::vector<Span>& out) {
    auto local_char = [](char c) { return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
    auto domain_char = [](char c) { return alnum(c) || c == '.' || c == '-'; };
    for (std::size_t at = 0; at < t.size(); ++at) {
        if (t[at] != '@') continue;
        std::size_t b = at;
        while (b > 0 && local_char(t[b - 1])) --b;
        std::size_t e = at + 1;
        while (e < t.size() && domain_char(t[e])) ++e;
        while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;  // the end of a sentence
        auto domain = t.substr(at + 1, e - at - 1);
        auto dot = domain.rfind('.');
        if (b == at || dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
        bool tld_letters = std::all_of(domain.begin() + static_cast<std::ptrdiff_t>(dot) + 1, domain.end(), letter);
        if (!tld_letters) continue;
        out.push_back({PersonalDataKind::email, b, e});
        at = e;
    }
}

// 1234 AB 56, 1234AB-56a, 1234 ab, nr 12 — the postcode with a house number after it.
void find_postcode(std::string_view t, std::vector<Span>& out) {
    for (std::size_t i = 0; i + 6 <= t.size(); ++i) {
        if (!edge_before(t, i) || t[i] < '1' || t[i] > '9' || !digit(t[i + 1]) || !digit(t[i + 2]) || !digit(t[i + 3]))
            continue;
        std::size_t j = i + 4;
        if (j < t.size() && t[j] == ' ') ++j;
        if (j + 2 > t.size() || !letter(t[j]) || !letter(t[j + 1]) || (j + 2 < t.size() && letter(t[j + 2]))) continue;
        j += 2;
        // The house number: after a space, dash or ", ", optionally "nr".
        std::size_t k = j;
        if (k < t.size() && (t[k] == ' ' || t[k] == '-' || t[k] == ',')) ++k;
        if (k < t.size() && t[k] == ' ') ++k;
        if (k + 2 < t.size() && lower(t[k]) == 'n' && lower(t[k + 1]) == 'r') {
            k += 2;
            if (k < t.size() && t[k] == '.') ++k;
            if (k < t.size() && t[k] == ' ') ++k;
        }
        if (k >= t.size() || t[k] < '1' || t[k] > '9') continue;
        std::size_t e = k;
        while (e < t.size() && digit(t[e]) && e - k < 5) ++e;
        if (e < t.size() && digit(t[e])) continue;
        if (e < t.size() && letter(t[e]) && (e + 1 >= t.size() || !letter(t[e + 1]))) ++e;  // 56a
        else if (e + 1 < t.size() && t[e] == '-' && alnum(t[e + 1]) && (e + 2 >= t.size() || !alnum(t[e + 2])))
            e += 2;  // 56-b
        out.push_back({PersonalDataKind::postcode, i, e});
        i = e;
    }
}

// ---- dates ----

constexpr std::array<std::string_view, 12> kMonthsNl{"januari", "februari", "maart",     "april",   "mei",      "juni",
                                                     "juli",    "augustus", "september", "oktober", "november", "december"};
constexpr std::array<std::string_view, 12> kMonthsEn{"january", "february", "march",     "april",   "may",      "june",
                                                     "july",    "august",   "september", "october", "november", "december"};

// A month written out or abbreviated ("mrt", "okt", "sept.", "Jan"), 1–12; 0 when none.
int month_word(std::string_view word) {
    std::string w;
    for (char c : word) w.push_back(lower(c));
    if (w.size() < 3) return 0;
    if (w == "mrt") return 3;
    if (w == "okt") return 10;
    for (std::size_t m = 0; m < 12; ++m)
        for (auto name : {kMonthsNl[m], kMonthsEn[m]})
            if (w.size() <= name.size() && name.substr(0, w.size()) == w) return static_cast<int>(m) + 1;
    return 0;
}

struct DateMatch {
    std::size_t begin, end;
    int year, month, day;
};

int number(std::string_view t, std::size_t b, std::size_t e) {
    int n = 0;
    for (std::size_t i = b; i < e; ++i) n = n * 10 + (t[i] - '0');
    return n;
}

bool valid_date(int y, int m, int d) { return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

std::vector<DateMatch> find_dates(std::string_view t) {
    std::vector<DateMatch> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (!digit(t[i]) || !edge_before(t, i)) continue;
        std::size_t a = i;
        while (a < t.size() && digit(t[a])) ++a;
        const std::size_t first_len = a - i;
        if (a < t.size() && (t[a] == '-' || t[a] == '/' || t[a] == '.') && a + 1 < t.size() && digit(t[a + 1])) {
            // Numeric: dd-mm-yyyy (also / and .) or yyyy-mm-dd.
            const char sep = t[a];
            std::size_t b = a + 1, c = b;
            while (c < t.size() && digit(t[c])) ++c;
            if (c + 1 < t.size() && t[c] == sep && digit(t[c + 1])) {
                std::size_t d = c + 1, e = d;
                while (e < t.size() && digit(t[e])) ++e;
                if (!edge_after(t, e)) continue;
                if (first_len <= 2 && c - b <= 2 && e - d == 4) {
                    DateMatch m{i, e, number(t, d, e), number(t, b, c), number(t, i, a)};
                    if (valid_date(m.year, m.month, m.day)) out.push_back(m);
                } else if (first_len == 4 && c - b == 2 && e - d == 2) {
                    DateMatch m{i, e, number(t, i, a), number(t, b, c), number(t, d, e)};
                    if (valid_date(m.year, m.month, m.day)) out.push_back(m);
                }
                i = e;
            }
        } else if (first_len <= 2 && a < t.size() && t[a] == ' ') {
            // Written: "12 maart 1985", "3 jan. 1990".
            std::size_t w = a + 1, we = w;
            while (we < t.size() && letter(t[we])) ++we;
            const int month = month_word(t.substr(w, we - w));
            std::size_t y = we;
            if (y < t.size() && t[y] == '.') ++y;
            if (month == 0 || y >= t.size() || t[y] != ' ') continue;
            ++y;
            std::size_t ye = y;
            while (ye < t.size() && digit(t[ye])) ++ye;
            if (ye - y != 4 || !edge_after(t, ye)) continue;
            DateMatch m{i, ye, number(t, y, ye), month, number(t, i, a)};
            if (valid_date(m.year, m.month, m.day)) out.push_back(m);
            i = ye;
        }
    }
    return out;
}

// Words that make a nearby date a date of birth.
bool birth_word_before(std::string_view t, std::size_t date_begin) {
    const std::size_t from = date_begin > 40 ? date_begin - 40 : 0;
    std::string window;
    for (std::size_t i = from; i < date_begin; ++i) window.push_back(lower(t[i]));
    for (const char* word : {"geboren", "geb.", "geb ", "geboortedatum", "geboortedag", "born", "dob", "d.o.b",
                             "date of birth", "birth"})
        if (window.find(word) != std::string::npos) return true;
    return false;
}

std::int64_t days_from_civil(int y, int m, int d) {
    // Howard Hinnant's algorithm: days since 1970-01-01.
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

void find_birth_dates(std::string_view t, const ScanContext& context, std::vector<Span>& out) {
    const std::int64_t twelve_years_ago_days = context.now_ms / 86'400'000 - 12 * 36525 / 100;
    for (const auto& d : find_dates(t)) {
        const bool old = days_from_civil(d.year, d.month, d.day) < twelve_years_ago_days;
        if (birth_word_before(t, d.begin) || (context.case_body && old))
            out.push_back({PersonalDataKind::birth_date, d.begin, d.end});
    }
}

}  // namespace

std::string_view to_string(PersonalDataKind kind) { return kKindNames.at(static_cast<std::size_t>(kind)); }

std::vector<std::string> personal_data_kind_names() { return {kKindNames.begin(), kKindNames.end()}; }

std::optional<PersonalDataKind> personal_data_kind_from_string(std::string_view name) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<PersonalDataKind>(i);
    return std::nullopt;
}

bool passes_eleven_test(std::string_view d) {
    if (d.size() != 9 || !std::all_of(d.begin(), d.end(), digit)) return false;
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (9 - i) * (d[static_cast<std::size_t>(i)] - '0');
    sum -= d[8] - '0';
    return sum % 11 == 0 && d != "000000000";
}

bool passes_iban_check(std::string_view iban) {
    if (iban.size() < 15 || iban.size() > 34 || !letter(iban[0]) || !letter(iban[1]) || !digit(iban[2]) ||
        !digit(iban[3]))
        return false;
    // Move the first four characters to the end, letters become 10..35, the number mod 97 is 1.
    std::string rearranged(iban.substr(4));
    rearranged.append(iban.substr(0, 4));
    int remainder = 0;
    for (char c : rearranged) {
        if (digit(c)) {
            remainder = (remainder * 10 + (c - '0')) % 97;
        } else if (letter(c)) {
            int v = lower(c) - 'a' + 10;
            remainder = (remainder * 100 + v) % 97;
        } else {
            return false;
        }
    }
    return remainder == 1;
}

std::vector<Finding> find_personal_data(std::string_view text, const ScanContext& context) {
    // In order of precedence: a longer, surer match wins an overlap (an IBAN contains digit runs
    // that could look like a phone number).
    std::vector<Span> spans;
    find_iban(text, spans);
    find_email(text, spans);
    find_bsn(text, spans);
    find_phone(text, spans);
    find_postcode(text, spans);
    find_birth_dates(text, context, spans);
    std::vector<Span> kept;
    for (const auto& s : spans) {
        bool overlaps = std::any_of(kept.begin(), kept.end(),
                                    [&](const Span& k) { return s.begin < k.end && k.begin < s.end; });
        if (!overlaps) kept.push_back(s);
    }
    std::sort(kept.begin(), kept.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::vector<Finding> out;
    for (const auto& s : kept)
        out.push_back({s.kind, protocol::utf8_length(text.substr(0, s.begin)), protocol::utf8_length(text.substr(0, s.end))});
    return out;
}

std::string redact(std::string_view text, const std::vector<Finding>& findings) {
    // Findings count code points; walk the text once, mapping them to bytes.
    std::string out;
    std::size_t cp = 0;
    auto next = findings.begin();
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = protocol::utf8_sequence_length(static_cast<unsigned char>(text[i]));
        if (next != findings.end() && cp == next->begin) out.append(kMarkers.at(static_cast<std::size_t>(next->kind)));
        const bool inside = next != findings.end() && cp >= next->begin && cp < next->end;
        if (!inside) out.append(text.substr(i, len));
        i += len;
        ++cp;
        if (next != findings.end() && cp == next->end) ++next;
    }
    return out;
}

}  // namespace vraagbaak::core

#pragma once
// The error catalogue. Wire names are stable English identifiers: clients switch on them,
// so a name is never changed or reused once released. PROTOCOL.md lists every one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace vraagbaak::protocol {

enum class ErrorCode {
    malformed_json,       // the frame is not JSON, is not UTF-8, or nests too deeply
    invalid_request,      // not an object, or `id` / `type` missing or of the wrong type
    unknown_type,         // `type` names no request of this protocol version
    invalid_field,        // a field is missing, of the wrong type or out of range (`field` says which)
    too_long,             // a text field exceeds its length limit (`field` says which)
    hello_required,       // the first request must be `hello`
    unsupported_version,  // no protocol version in common
    already_said_hello,   // `hello` was sent twice
    auth_required,        // the request needs a logged-in account
    already_logged_in,    // `login` on a connection that is already logged in
    login_in_progress,    // a request while this connection's `login` is still being checked
    bad_credentials,      // unknown handle or wrong password (deliberately not told apart)
    rate_limited,         // too many attempts; `retry_after_ms` says when to try again
    invalid_token,        // unknown, expired or revoked session token
    weak_password,        // the new password does not meet the password policy
    handle_taken,         // the handle is in use
    invite_invalid,       // unknown or revoked invite code
    invite_expired,       // the invite code has expired
    invite_used_up,       // the invite code has been used as often as allowed
    forbidden,            // the account's role does not allow this
    organisation_not_found,
    level_not_allowed,    // the room does not allow this anonymity level
    muted,                // the account may not post in this room until `retry_after_ms` passes
    banned,               // the account may not join this room (until `retry_after_ms`, if given)
    message_not_found,
    reveal_not_found,
    four_eyes_required,   // a reveal must be approved by another admin than the one who asked
    reveal_already_approved,
    case_not_found,       // no case with that id (or not one in a room of the account)
    case_closed,          // the case is closed; the asker or a moderator may reopen it
    room_not_found,       // no room with that id
    room_exists,          // a room with that name exists already
    not_member,           // the request needs membership of the room
    room_locked,          // the room is read-only for everyone but its moderators
    room_archived,        // the room is archived: read-only, no new members
    slow_mode,            // the room's slow mode: wait `retry_after_ms` before posting again
    invite_required,      // the room is invite-only: join with a room invite code
    report_not_found,
    account_not_found,    // no account with that handle
    personal_data,        // the text holds a client's personal data; `findings` says what and where
    session_not_found,    // no session with that id (or not one in a room of the account)
    phase_rule,           // the session's current phase does not allow this post; the message says what it allows
    session_state,        // the session is not in a state for this (e.g. next in the last phase)
    internal_error,       // a bug on the server; the request had no effect
    storage_unavailable,  // the database failed; the request had no effect, retry later (keep last)
};

// A piece of personal data found in a text field: its kind ("bsn", "iban", "phone", "email",
// "postcode", "birth_date") and where, in Unicode code points, end exclusive.
struct PersonalDataFinding {
    std::string field;
    std::string kind;
    std::int64_t start = 0;
    std::int64_t end = 0;
    bool operator==(const PersonalDataFinding&) const = default;
};

struct Error {
    ErrorCode code;
    std::string message;  // human text, English; clients may show their own translation
    std::string field;    // the offending field for invalid_field / too_long, else empty
    std::optional<std::int64_t> retry_after_ms = std::nullopt;  // for rate_limited and muted
    std::vector<PersonalDataFinding> findings = {};             // for personal_data
};

std::string_view to_string(ErrorCode code);
// Every error code's name, indexed by the enum's value (for counters).
std::vector<std::string> error_code_names();
std::optional<ErrorCode> error_code_from_string(std::string_view name);

// A default human message for each code, used when the site has nothing more specific to say.
std::string_view default_message(ErrorCode code);

inline Error make_error(ErrorCode code, std::string message = {}, std::string field = {}) {
    if (message.empty()) message = std::string(default_message(code));
    return Error{code, std::move(message), std::move(field)};
}

}  // namespace vraagbaak::protocol

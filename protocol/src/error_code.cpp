#include "vraagbaak/protocol/error_code.hpp"

#include <array>
#include <utility>

namespace vraagbaak::protocol {
namespace {

struct Entry {
    ErrorCode code;
    std::string_view name;
    std::string_view message;
};

constexpr std::array kCatalogue{
    Entry{ErrorCode::malformed_json, "malformed_json", "the frame is not valid JSON"},
    Entry{ErrorCode::invalid_request, "invalid_request",
          "a request is a JSON object with a string 'id' and a string 'type'"},
    Entry{ErrorCode::unknown_type, "unknown_type", "unknown request type"},
    Entry{ErrorCode::invalid_field, "invalid_field", "a field is missing or invalid"},
    Entry{ErrorCode::too_long, "too_long", "a field is too long"},
    Entry{ErrorCode::hello_required, "hello_required", "send 'hello' first"},
    Entry{ErrorCode::unsupported_version, "unsupported_version",
          "no protocol version in common with the server"},
    Entry{ErrorCode::already_said_hello, "already_said_hello", "'hello' was already sent"},
    Entry{ErrorCode::auth_required, "auth_required", "log in first"},
    Entry{ErrorCode::already_logged_in, "already_logged_in",
          "this connection is already logged in"},
    Entry{ErrorCode::login_in_progress, "login_in_progress",
          "wait for the reply to 'login' before sending more"},
    Entry{ErrorCode::bad_credentials, "bad_credentials", "unknown handle or wrong password"},
    Entry{ErrorCode::rate_limited, "rate_limited", "too many attempts; try again later"},
    Entry{ErrorCode::invalid_token, "invalid_token",
          "the session token is unknown, expired or revoked; log in with your password"},
    Entry{ErrorCode::weak_password, "weak_password",
          "the password must have at least 10 characters and differ from the handle"},
    Entry{ErrorCode::handle_taken, "handle_taken", "that handle is taken"},
    Entry{ErrorCode::invite_invalid, "invite_invalid", "unknown or revoked invite code"},
    Entry{ErrorCode::invite_expired, "invite_expired", "the invite code has expired"},
    Entry{ErrorCode::invite_used_up, "invite_used_up", "the invite code has been used up"},
    Entry{ErrorCode::forbidden, "forbidden", "your role does not allow this"},
    Entry{ErrorCode::organisation_not_found, "organisation_not_found", "no such organisation"},
    Entry{ErrorCode::level_not_allowed, "level_not_allowed",
          "this room does not allow that anonymity level"},
    Entry{ErrorCode::muted, "muted", "you are muted in this room"},
    Entry{ErrorCode::banned, "banned", "you are banned from this room"},
    Entry{ErrorCode::message_not_found, "message_not_found", "no such message"},
    Entry{ErrorCode::reveal_not_found, "reveal_not_found", "no such reveal request"},
    Entry{ErrorCode::four_eyes_required, "four_eyes_required",
          "a reveal must be approved by a second admin"},
    Entry{ErrorCode::reveal_already_approved, "reveal_already_approved",
          "this reveal request was already approved"},
    Entry{ErrorCode::case_not_found, "case_not_found", "no such case"},
    Entry{ErrorCode::case_closed, "case_closed", "the case is closed"},
    Entry{ErrorCode::room_not_found, "room_not_found", "no such room"},
    Entry{ErrorCode::room_exists, "room_exists", "a room with that name already exists"},
    Entry{ErrorCode::not_member, "not_member", "join the room first"},
    Entry{ErrorCode::room_locked, "room_locked", "the room is locked: only moderators can post"},
    Entry{ErrorCode::room_archived, "room_archived", "the room is archived"},
    Entry{ErrorCode::slow_mode, "slow_mode", "slow mode: wait before posting again"},
    Entry{ErrorCode::invite_required, "invite_required", "this room is invite-only"},
    Entry{ErrorCode::report_not_found, "report_not_found", "no such report"},
    Entry{ErrorCode::account_not_found, "account_not_found", "no account with that handle"},
    Entry{ErrorCode::personal_data, "personal_data",
          "the text holds a client's personal data; remove it and send again"},
    Entry{ErrorCode::session_not_found, "session_not_found", "no such session"},
    Entry{ErrorCode::phase_rule, "phase_rule", "the session's current phase does not allow this post"},
    Entry{ErrorCode::session_state, "session_state", "the session is not in a state for this"},
    Entry{ErrorCode::internal_error, "internal_error",
          "the server failed to handle the request; nothing was changed"},
    Entry{ErrorCode::storage_unavailable, "storage_unavailable",
          "the database is unavailable; nothing was changed, try again later"},
};

const Entry* find(ErrorCode code) {
    for (const auto& e : kCatalogue)
        if (e.code == code) return &e;
    return nullptr;
}

}  // namespace

std::vector<std::string> error_code_names() {
    std::vector<std::string> out;
    for (int i = 0; i <= static_cast<int>(ErrorCode::storage_unavailable); ++i)  // the last code
        out.emplace_back(to_string(static_cast<ErrorCode>(i)));
    return out;
}

std::string_view to_string(ErrorCode code) {
    const Entry* e = find(code);
    return e ? e->name : "internal_error";
}

std::string_view default_message(ErrorCode code) {
    const Entry* e = find(code);
    return e ? e->message : "unknown error";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
    for (const auto& e : kCatalogue)
        if (e.name == name) return e.code;
    return std::nullopt;
}

}  // namespace vraagbaak::protocol

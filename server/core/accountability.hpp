#pragma once
// Domain operations on identity and accountability that both the hub (protocol requests) and
// the admin commands use, so the rules are written once: who may invite or reveal, the
// four-eyes rule, the audit records each action writes, and the password policy. Room
// moderation (mutes, hides, bans, reports, …) is in moderation.hpp.
// Each returns a typed protocol error instead of throwing (storage failures still throw).

#include <optional>
#include <string>

#include "storage/records.hpp"
#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/result.hpp"

namespace vraagbaak::storage {
class Store;
}

namespace vraagbaak::core {

using protocol::Error;

// The password policy: 10 to 1024 bytes and not the handle itself.
std::optional<Error> check_password_policy(const std::string& handle, const std::string& password);

struct IssuedInvite {
    storage::Invite invite;
    std::string code;  // shown once to the issuer
};
// Admins invite for any organisation; organisers only for their own (the default). A null
// actor is the server's operator (admin command).
Result<IssuedInvite, Error> issue_invite(storage::Store& store, const storage::Account* actor,
                                         std::optional<storage::OrganisationId> organisation,
                                         int max_uses, int valid_hours, storage::TimestampMs now);

// Step one of a reveal: an admin asks, with a reason.
Result<storage::Reveal, Error> request_reveal(storage::Store& store, const storage::Account& actor,
                                              storage::MessageId message, const std::string& reason,
                                              storage::TimestampMs now);

struct RevealResult {
    storage::Reveal reveal;
    storage::Message message;  // carries the author's identity
};
// Step two: a second admin approves. Writes the audit record and leaves a notice for the author.
Result<RevealResult, Error> approve_reveal(storage::Store& store, const storage::Account& actor,
                                           std::int64_t reveal_id, storage::TimestampMs now);

}  // namespace vraagbaak::core

#pragma once
// What one viewer may see of stored records. This is the only place where a stored author
// becomes a wire author, so the anonymity rules live here and nowhere else:
// - the author sees everything about their own messages, marked own;
// - everyone else sees, for a named post, the author's name and organisation; for an
//   organisation-level post, the organisation and a pseudonym; for an anonymous post, the
//   pseudonym only. Moderators and admins are "everyone else" too;
// - a hidden message reaches others as a tombstone: flagged, with the reason, without its body.

#include <optional>

#include "storage/records.hpp"
#include "vraagbaak/protocol/messages.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::core {

// `for_moderation`: a moderator reviewing a report sees the text of a hidden message (never its
// hidden author).
protocol::Message view_of(const storage::Message& message, std::optional<storage::AccountId> viewer,
                          bool for_moderation = false);
protocol::Member member_of(const storage::Account& account);
protocol::Member member_of(const storage::Author& author);
// An account's own data, as the account itself may see all of it.
protocol::ExportMyDataReply export_view(const storage::AccountExport& data);
// A room as its viewer sees it (membership, unread and role as the store filled them in).
protocol::Room room_view(const storage::Room& room);
// A case as `viewer` sees it: `mine` for its asker; the asker's identity is never part of it.
protocol::CaseInfo case_view(const storage::Case& c, std::optional<storage::AccountId> viewer);
// "asker" for 0, "colleague N" otherwise.
std::string pseudonym_label(int number);

}  // namespace vraagbaak::core

#pragma once
// Admin sub-commands of vraagbaak-server. They open the same database as the server (safe while
// it runs: SQLite serialises writers) and print results as tab-separated lines for scripts.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace vraagbaak::app {

struct AdminContext {
    std::string db_path;
    std::ostream& out;
    std::ostream& err;
    std::istream& in;
};

int admin_add_org(const AdminContext& ctx, const std::string& name, const std::string& code);
int admin_list_orgs(const AdminContext& ctx);
// Reads the password from `in` when password_stdin is set, else generates and prints one.
int admin_add_user(const AdminContext& ctx, const std::string& handle,
                   const std::string& display_name, const std::optional<std::string>& org_code,
                   const std::string& role, bool password_stdin);
int admin_list_users(const AdminContext& ctx);
int admin_add_room(const AdminContext& ctx, const std::string& name, const std::string& topic,
                   const std::string& levels);
int admin_set_disabled(const AdminContext& ctx, const std::string& handle, bool disabled);
// Reads the new password from `in` when password_stdin is set, else generates and prints one.
// Revokes the account's sessions.
int admin_reset_password(const AdminContext& ctx, const std::string& handle, bool password_stdin);
int admin_set_role(const AdminContext& ctx, const std::string& handle, const std::string& role);
int admin_revoke_sessions(const AdminContext& ctx, const std::string& handle);
// Prints id, code (shown only here), organisation id, uses, expiry.
int admin_create_invite(const AdminContext& ctx, const std::string& org_code, int max_uses, int hours);
int admin_list_invites(const AdminContext& ctx);
int admin_revoke_invite(const AdminContext& ctx, std::int64_t invite_id);
// The four-eyes reveal, acting as the admin `as_handle`.
int admin_request_reveal(const AdminContext& ctx, const std::string& as_handle,
                         std::int64_t message_id, const std::string& reason);
int admin_approve_reveal(const AdminContext& ctx, const std::string& as_handle, std::int64_t reveal_id);
// Prints id, time (ms), actor id, room id, action, target, reason; newest first.
int admin_audit(const AdminContext& ctx, int limit, std::optional<std::int64_t> room);
// A consistent online copy of the database (SQLite backup API), safe while the server runs.
int admin_backup(const AdminContext& ctx, const std::string& to);
// Checks a backup (integrity, schema version) and copies it over the database. Stop the server
// first.
int admin_restore(const AdminContext& ctx, const std::string& from);
// Prints everything stored about an account as JSON (the export_my_data result).
int admin_export_user(const AdminContext& ctx, const std::string& handle);
// Erases an account's identity; posts: "keep" (without author) or "delete".
int admin_erase_user(const AdminContext& ctx, const std::string& handle, const std::string& posts);
// A service-wide ban: duration absent for good, 0 lifts it. Live connections end when their
// server next checks (at once for those on this server's protocol; sessions are revoked).
int admin_ban_user(const AdminContext& ctx, const std::string& handle, std::optional<std::int64_t> duration_s,
                   const std::string& reason);

}  // namespace vraagbaak::app

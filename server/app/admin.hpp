#pragma once
// Admin sub-commands of vraagbaak-server. They open the same database as the server (safe while
// it runs: SQLite serialises writers) and print results as tab-separated lines for scripts.

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
                   bool password_stdin);
int admin_list_users(const AdminContext& ctx);
int admin_add_room(const AdminContext& ctx, const std::string& name, const std::string& topic);

}  // namespace vraagbaak::app

// vraagbaak-server: the WebSocket server and its admin commands.

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/admin.hpp"
#include "app/config.hpp"
#include "app/server_runtime.hpp"
#include "support/log.hpp"

using namespace vraagbaak;

int main(int argc, char** argv) {
    app::ServerConfig config;
    std::string listen = config.listen.host + ":" + std::to_string(config.listen.port);
    std::string log_level = "info";

    CLI::App cli{"vraagbaak-server: case consultation for professionals in the social domain"};
    cli.set_version_flag("--version", std::string("vraagbaak-server ") + VRAAGBAAK_VERSION);
    cli.add_option("--listen", listen, "Address and port to listen on; port 0 picks a free one")
        ->capture_default_str();
    cli.add_option("--db", config.db_path, "SQLite database file (created if missing)")
        ->capture_default_str();
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str();
    cli.add_option("--threads", config.io_threads, "Network threads; 0 means one per core")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    cli.add_option("--max-frame-bytes", config.transport.max_frame_bytes,
                   "Largest accepted WebSocket message; larger ones close the connection (1009)")
        ->check(CLI::Range(1024, 16 * 1024 * 1024))
        ->capture_default_str();
    cli.add_flag("--tryout", config.tryout,
                 "On an empty database, seed demo organisations, rooms and two accounts and "
                 "print their passwords");

    auto* admin = cli.add_subcommand("admin", "Administration against the database (also while the server runs)");
    admin->fallthrough();
    admin->require_subcommand(1);
    std::string name, code, handle, topic;
    std::optional<std::string> org;
    bool password_stdin = false;
    auto* add_org = admin->add_subcommand("add-org", "Add an organisation");
    add_org->add_option("--name", name, "Full name")->required();
    add_org->add_option("--code", code, "Short code, e.g. BTO")->required();
    auto* list_orgs = admin->add_subcommand("list-orgs", "List organisations: id, code, name");
    auto* add_user = admin->add_subcommand("add-user", "Add an account; prints id, handle (and a generated password)");
    add_user->add_option("--handle", handle, "Login handle: lowercase letters, digits, . _ -")->required();
    add_user->add_option("--name", name, "Display name")->required();
    add_user->add_option("--org", org, "Organisation code");
    add_user->add_flag("--password-stdin", password_stdin, "Read the password from the first line of stdin instead of generating one");
    auto* list_users = admin->add_subcommand("list-users", "List accounts: id, handle, name, organisation id, state");
    auto* add_room = admin->add_subcommand("add-room", "Add a room");
    add_room->add_option("--name", name, "Room name")->required();
    add_room->add_option("--topic", topic, "Topic");
    for (auto* sub : {add_org, list_orgs, add_user, list_users, add_room}) sub->fallthrough();

    CLI11_PARSE(cli, argc, argv);

    auto level = log::parse_level(log_level);
    if (!level) {
        std::cerr << "vraagbaak-server: --log-level must be one of trace, debug, info, warn, error, off\n";
        return 1;
    }
    log::set_level(*level);

    if (*admin) {
        app::AdminContext ctx{config.db_path, std::cout, std::cerr, std::cin};
        if (*add_org) return app::admin_add_org(ctx, name, code);
        if (*list_orgs) return app::admin_list_orgs(ctx);
        if (*add_user) return app::admin_add_user(ctx, handle, name, org, password_stdin);
        if (*list_users) return app::admin_list_users(ctx);
        if (*add_room) return app::admin_add_room(ctx, name, topic);
        return 1;
    }

    auto endpoint = app::parse_endpoint(listen);
    if (!endpoint) {
        std::cerr << "vraagbaak-server: --listen must be ADDRESS:PORT (e.g. 127.0.0.1:8080), got '"
                  << listen << "'\n";
        return 1;
    }
    config.listen = *endpoint;
    config.log_level = *level;
    config.hub.server_name = std::string("vraagbaak/") + VRAAGBAAK_VERSION;
    config.hub.max_frame_bytes = static_cast<std::int64_t>(config.transport.max_frame_bytes);
    return app::run_server(config);
}

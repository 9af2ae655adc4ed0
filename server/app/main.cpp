// vraagbaak-server: the WebSocket server and its admin commands.

#include <chrono>
#include <fstream>
#include <sstream>
#include <CLI/CLI.hpp>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "app/admin.hpp"
#include "app/config.hpp"
#include "app/config_file.hpp"
#include "app/server_runtime.hpp"
#include "core/methods.hpp"
#include "support/log.hpp"
#include "transport/tls_context.hpp"
#include "vraagbaak/protocol/text.hpp"

using namespace vraagbaak;

int main(int argc, char** argv) {
    app::ServerConfig config;
    std::string listen = config.listen.host + ":" + std::to_string(config.listen.port);
    std::string log_level = "info";

    CLI::App cli{"vraagbaak-server: case consultation for professionals in the social domain"};
    // The configuration file's values come first on the command line; the real ones, after them, win.
    cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cli.set_version_flag("--version", std::string("vraagbaak-server ") + VRAAGBAAK_VERSION);
    cli.add_option("--listen", listen, "Address and port to listen on; port 0 picks a free one")
        ->capture_default_str();
    cli.add_option("--db", config.db_path, "SQLite database file (created if missing)")
        ->capture_default_str();
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str();
    std::string log_format = "text";
    cli.add_option("--log-format", log_format, "text, or json for one JSON object per line")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cli.add_option("--threads", config.io_threads,
                   "Network threads; 0 means one per CPU the process may use. With one CPU the core runs on the network thread")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    cli.add_option("--io-uring", config.io_uring,
                   "Write each step of a fan-out with one io_uring system call where the kernel allows it "
                   "(false: one sendmsg per connection)")
        ->capture_default_str();
    cli.add_option("--max-frame-bytes", config.transport.max_frame_bytes,
                   "Largest accepted WebSocket message; larger ones close the connection (1009)")
        ->check(CLI::Range(1024, 16 * 1024 * 1024))
        ->capture_default_str();
    config.hub.requests_per_second = 20;
    cli.add_option("--requests-per-second", config.hub.requests_per_second,
                   "Requests a second per connection on average (bursts of 5 seconds' worth; an account's "
                   "connections together twice as many); more get rate_limited. 0: no limit")
        ->check(CLI::Range(0.0, 100000.0))
        ->capture_default_str();
    config.hub.group_commit_max = 256;
    cli.add_option("--group-commit", config.hub.group_commit_max,
                   "Posts that may share one COMMIT (one fsync) when they arrive together; each is "
                   "acknowledged after it. 1: every post commits alone")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    config.hub.group_commit_wait_us = 4000;
    cli.add_option("--group-commit-wait", config.hub.group_commit_wait_us,
                   "The longest a commit group stays open for more posts while posts keep coming, in "
                   "microseconds: 40 for each post of the group before (a lone post does not wait). "
                   "0: commit as soon as what arrived together is taken")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    cli.add_option("--max-connections-per-address", config.transport.max_connections_per_address,
                   "Open connections from one IP address; more get HTTP 429. 0: no limit (behind a proxy)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    std::string allowed_origins;
    cli.add_option("--allowed-origins", allowed_origins,
                   "Comma-separated browser origins that may open a WebSocket (e.g. https://vraagbaak.example.nl); "
                   "others get 403. Clients that send no Origin (not browsers) are always let in");
    long long handshake_s = config.transport.handshake_timeout.count();
    cli.add_option("--handshake-timeout-s", handshake_s,
                   "Seconds a new connection has to complete its HTTP request and WebSocket handshake")
        ->check(CLI::Range(1, 300))
        ->capture_default_str();
    long long idle_s = config.transport.idle_timeout.count();
    cli.add_option("--idle-timeout-s", idle_s,
                   "Seconds without any traffic before a connection is closed; pings go out after half")
        ->check(CLI::Range(2, 3600))
        ->capture_default_str();
    double session_hours = static_cast<double>(config.hub.session_ttl_ms) / 3600000.0;
    cli.add_option("--session-ttl-hours", session_hours, "How long a login's session token stays valid")
        ->check(CLI::Range(0.001, 24.0 * 365))
        ->capture_default_str();
    cli.add_option("--retention-interval-s", config.retention_interval_s,
                   "Seconds between runs of the job that deletes closed cases past their room's retention")
        ->check(CLI::Range(1, 7 * 24 * 3600))
        ->capture_default_str();
    cli.add_option("--db-busy-timeout-ms", config.db_busy_timeout_ms,
                   "Milliseconds a database write waits for a lock held elsewhere (e.g. an admin command) "
                   "before the request fails with storage_unavailable")
        ->check(CLI::Range(1, 600000))
        ->capture_default_str();
    cli.add_option("--db-max-pages", config.db_max_pages,
                   "Cap the database at this many pages (4 KiB each); writes beyond it fail with "
                   "storage_unavailable and the server stays up. 0: no cap")
        ->check(CLI::Range(static_cast<std::int64_t>(0), static_cast<std::int64_t>(1) << 40))
        ->capture_default_str();
    cli.add_option("--catch-up-limit", config.hub.catch_up_limit,
                   "Most missed messages per room replayed after a resume; beyond it clients page history")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    std::string metrics_listen;
    cli.add_option("--metrics-listen", metrics_listen,
                   "Serve /metrics on this ADDRESS:PORT only (e.g. 127.0.0.1:9100) instead of on --listen");
    std::string tls_cert;
    std::string tls_key;
    auto* tls_cert_option = cli.add_option(
        "--tls-cert", tls_cert,
        "PEM certificate chain: serve wss:// and https:// on --listen (with --tls-key)");
    auto* tls_key_option = cli.add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
    tls_cert_option->needs(tls_key_option);
    tls_key_option->needs(tls_cert_option);
    std::string case_tags;
    cli.add_option("--case-tags", case_tags,
                   "Comma-separated life domains cases may be tagged with (default: the eight domains "
                   "of the Amsterdam social domain)");
    std::string methods_path;
    cli.add_option("--methods", methods_path,
                   "A JSON file of intervision methods for sessions, replacing the shipped ones "
                   "(see deploy/methods.json); the server refuses to start with a file it cannot use");
    cli.add_flag("--tryout", config.tryout,
                 "On an empty database, seed demo organisations, rooms and two accounts and "
                 "print their passwords");

    std::string config_path;
    bool check_config = false, list_config_keys = false;
    cli.add_option("--config", config_path,
                   "A JSON configuration file with these options as keys (see deploy/vraagbaak.example.json); "
                   "the command line overrides it");
    cli.add_flag("--check-config", check_config, "Check the configuration (file and options) and exit");
    cli.add_flag("--list-config-keys", list_config_keys)->group("");  // for the example file's test
    cli.add_flag("--test-echo-route", config.transport.serve_echo)->group("");  // WebSocket conformance tests

    auto* admin = cli.add_subcommand("admin", "Administration against the database (also while the server runs)");
    admin->fallthrough();
    admin->require_subcommand(1);
    std::string name, code, handle, topic, levels, role = "member", as, reason;
    std::optional<std::string> org;
    bool password_stdin = false;
    int uses = 1, hours = 72, limit = 100;
    std::int64_t id = 0;
    auto* add_org = admin->add_subcommand("add-org", "Add an organisation");
    add_org->add_option("--name", name, "Full name")->required();
    add_org->add_option("--code", code, "Short code, e.g. BTO")->required();
    auto* list_orgs = admin->add_subcommand("list-orgs", "List organisations: id, code, name");
    auto* add_user = admin->add_subcommand("add-user", "Add an account; prints id, handle (and a generated password)");
    add_user->add_option("--handle", handle, "Login handle: lowercase letters, digits, . _ -")->required();
    add_user->add_option("--name", name, "Display name")->required();
    add_user->add_option("--org", org, "Organisation code");
    add_user->add_option("--role", role, "member, organiser, moderator or admin")->capture_default_str();
    add_user->add_flag("--password-stdin", password_stdin, "Read the password from the first line of stdin instead of generating one");
    auto* list_users = admin->add_subcommand("list-users", "List accounts: id, handle, name, organisation id, state");
    auto* add_room = admin->add_subcommand("add-room", "Add a room");
    add_room->add_option("--name", name, "Room name")->required();
    add_room->add_option("--topic", topic, "Topic");
    add_room->add_option("--levels", levels, "Allowed anonymity levels, e.g. named,organisation (default all)");
    auto* disable_user = admin->add_subcommand("disable-user", "Disable an account and revoke its sessions");
    disable_user->add_option("--handle", handle, "Handle")->required();
    auto* enable_user = admin->add_subcommand("enable-user", "Enable a disabled account");
    enable_user->add_option("--handle", handle, "Handle")->required();
    auto* reset_password = admin->add_subcommand("reset-password", "Set a new password (generated unless --password-stdin) and revoke sessions");
    reset_password->add_option("--handle", handle, "Handle")->required();
    reset_password->add_flag("--password-stdin", password_stdin, "Read the password from stdin");
    auto* set_role = admin->add_subcommand("set-role", "Set an account's global role");
    set_role->add_option("--handle", handle, "Handle")->required();
    set_role->add_option("--role", role, "member, organiser, moderator or admin")->required();
    auto* revoke_sessions = admin->add_subcommand("revoke-sessions", "Revoke every session token of an account");
    revoke_sessions->add_option("--handle", handle, "Handle")->required();
    auto* create_invite = admin->add_subcommand("create-invite", "Create an invite code; prints id, code, organisation, uses, expiry (ms)");
    create_invite->add_option("--org", code, "Organisation code")->required();
    create_invite->add_option("--uses", uses, "How many registrations it allows")->check(CLI::Range(1, 1000))->capture_default_str();
    create_invite->add_option("--hours", hours, "Hours until it expires")->check(CLI::Range(1, 24 * 90))->capture_default_str();
    auto* list_invites = admin->add_subcommand("list-invites", "List invites: id, organisation id, uses, expiry, state");
    auto* revoke_invite = admin->add_subcommand("revoke-invite", "Revoke an invite");
    revoke_invite->add_option("--id", id, "Invite id")->required();
    auto* request_reveal = admin->add_subcommand("request-reveal", "Ask to reveal the author of a message (first admin)");
    request_reveal->add_option("--as", as, "Handle of the admin asking")->required();
    request_reveal->add_option("--message", id, "Message id")->required();
    request_reveal->add_option("--reason", reason, "Why")->required();
    auto* approve_reveal = admin->add_subcommand("approve-reveal", "Approve a reveal (a second admin); prints the identity");
    approve_reveal->add_option("--as", as, "Handle of the approving admin")->required();
    approve_reveal->add_option("--id", id, "Reveal request id")->required();
    auto* audit = admin->add_subcommand("audit", "Show the audit log, newest first: id, time (ms), actor id, room id, action, target, reason");
    audit->add_option("--limit", limit, "How many entries")->check(CLI::Range(1, 100000))->capture_default_str();
    std::optional<std::int64_t> audit_room, ban_seconds;
    audit->add_option("--room", audit_room, "Only this room's entries");
    auto* ban_user = admin->add_subcommand("ban-user", "Ban an account from the whole service and revoke its sessions");
    ban_user->add_option("--handle", handle, "Handle")->required();
    ban_user->add_option("--seconds", ban_seconds, "For how long (absent: for good; 0 lifts the ban)")->check(CLI::Range(0LL, 366LL * 24 * 3600));
    ban_user->add_option("--reason", reason, "Why")->required();
    std::string backup_path;
    auto* backup = admin->add_subcommand("backup", "Write a consistent copy of the database while the server runs");
    backup->add_option("--to", backup_path, "The backup file")->required();
    auto* restore = admin->add_subcommand("restore", "Check a backup and copy it over the database (stop the server first)");
    restore->add_option("--from", backup_path, "The backup file")->required()->check(CLI::ExistingFile);
    auto* export_user = admin->add_subcommand("export-user", "Print everything stored about an account as JSON");
    export_user->add_option("--handle", handle, "Handle")->required();
    std::string posts_policy = "keep";
    auto* erase_user = admin->add_subcommand("erase-user", "Erase an account's identity for good (AVG/GDPR)");
    erase_user->add_option("--handle", handle, "Handle")->required();
    erase_user->add_option("--posts", posts_policy, "keep (without author) or delete")->capture_default_str();
    for (auto* sub : {add_org, list_orgs, add_user, list_users, add_room, disable_user, enable_user,
                      reset_password, set_role, revoke_sessions, create_invite, list_invites,
                      revoke_invite, request_reveal, approve_reveal, audit, ban_user, export_user, erase_user,
                      backup, restore})
        sub->fallthrough();

    // Options that are not settings, and the keys a configuration file may hold.
    const std::set<std::string> not_settings{"help", "version", "config", "check-config", "list-config-keys",
                                             "test-echo-route"};
    std::set<std::string> known_keys, flag_keys;
    for (const auto* option : cli.get_options()) {
        if (option->get_lnames().empty() || not_settings.count(option->get_lnames().front())) continue;
        known_keys.insert(option->get_lnames().front());
        if (option->get_expected_max() == 0) flag_keys.insert(option->get_lnames().front());  // a flag
    }
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string config_file_used;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string file;
        if (args[i] == "--config" && i + 1 < args.size()) file = args[i + 1];
        else if (args[i].rfind("--config=", 0) == 0) file = args[i].substr(9);
        else continue;
        auto from_file = app::config_file_args(file, known_keys, flag_keys);
        if (!from_file) {
            std::cerr << "vraagbaak-server: " << from_file.error() << "\n";
            return 1;
        }
        args.insert(args.begin(), from_file->begin(), from_file->end());
        config_file_used = file;
        break;
    }
    std::vector<const char*> arg_ptrs{argv[0]};
    for (const auto& a : args) arg_ptrs.push_back(a.c_str());
    try {
        cli.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
    } catch (const CLI::ParseError& e) {
        if (!config_file_used.empty() && e.get_exit_code() != 0)
            std::cerr << "vraagbaak-server: (settings read from " << config_file_used << ")\n";
        return cli.exit(e);
    }
    if (list_config_keys) {
        for (const auto& k : known_keys) std::cout << k << "\n";
        return 0;
    }

    auto level = log::parse_level(log_level);
    if (!level) {
        std::cerr << "vraagbaak-server: --log-level must be one of trace, debug, info, warn, error, off\n";
        return 1;
    }
    log::set_level(*level);
    log::set_json(log_format == "json");

    if (*admin) {
        app::AdminContext ctx{config.db_path, std::cout, std::cerr, std::cin};
        if (*add_org) return app::admin_add_org(ctx, name, code);
        if (*list_orgs) return app::admin_list_orgs(ctx);
        if (*add_user) return app::admin_add_user(ctx, handle, name, org, role, password_stdin);
        if (*list_users) return app::admin_list_users(ctx);
        if (*add_room) return app::admin_add_room(ctx, name, topic, levels);
        if (*disable_user) return app::admin_set_disabled(ctx, handle, true);
        if (*enable_user) return app::admin_set_disabled(ctx, handle, false);
        if (*reset_password) return app::admin_reset_password(ctx, handle, password_stdin);
        if (*set_role) return app::admin_set_role(ctx, handle, role);
        if (*revoke_sessions) return app::admin_revoke_sessions(ctx, handle);
        if (*create_invite) return app::admin_create_invite(ctx, code, uses, hours);
        if (*list_invites) return app::admin_list_invites(ctx);
        if (*revoke_invite) return app::admin_revoke_invite(ctx, id);
        if (*request_reveal) return app::admin_request_reveal(ctx, as, id, reason);
        if (*approve_reveal) return app::admin_approve_reveal(ctx, as, id);
        if (*audit) return app::admin_audit(ctx, limit, audit_room);
        if (*ban_user) return app::admin_ban_user(ctx, handle, ban_seconds, reason);
        if (*export_user) return app::admin_export_user(ctx, handle);
        if (*backup) return app::admin_backup(ctx, backup_path);
        if (*restore) return app::admin_restore(ctx, backup_path);
        if (*erase_user) return app::admin_erase_user(ctx, handle, posts_policy);
        return 1;
    }

    auto endpoint = app::parse_endpoint(listen);
    if (!endpoint) {
        std::cerr << "vraagbaak-server: --listen must be ADDRESS:PORT (e.g. 127.0.0.1:8080), got '"
                  << listen << "'\n";
        return 1;
    }
    config.listen = *endpoint;
    if (!metrics_listen.empty()) {
        config.metrics_listen = app::parse_endpoint(metrics_listen);
        if (!config.metrics_listen) {
            std::cerr << "vraagbaak-server: --metrics-listen must be ADDRESS:PORT, got '" << metrics_listen << "'\n";
            return 1;
        }
    }
    config.log_level = *level;
    config.hub.server_name = std::string("vraagbaak/") + VRAAGBAAK_VERSION;
    config.hub.max_frame_bytes = static_cast<std::int64_t>(config.transport.max_frame_bytes);
    config.hub.session_ttl_ms = static_cast<std::int64_t>(session_hours * 3600000.0);
    if (!case_tags.empty()) {
        config.hub.tags = protocol::split_list(case_tags);
        for (const auto& tag : config.hub.tags)
            if (tag.size() > 40 || config.hub.tags.size() > 64) {
                std::cerr << "vraagbaak-server: --case-tags takes up to 64 comma-separated tags of 1 to 40 "
                             "characters\n";
                return 1;
            }
        if (config.hub.tags.empty()) {
            std::cerr << "vraagbaak-server: --case-tags needs at least one tag\n";
            return 1;
        }
    }
    config.transport.handshake_timeout = std::chrono::seconds(handshake_s);
    config.transport.idle_timeout = std::chrono::seconds(idle_s);
    if (!allowed_origins.empty()) config.transport.allowed_origins = protocol::split_list(allowed_origins);
    if (!tls_cert.empty() || !tls_key.empty()) {
        auto tls = transport::make_server_tls_context(tls_cert, tls_key);
        if (!tls.context) {
            std::cerr << "vraagbaak-server: " << tls.error << "\n";
            return 1;
        }
        config.transport.tls = std::move(tls.context);
    }
    if (!methods_path.empty()) {
        std::ifstream in(methods_path);
        if (!in) {
            std::cerr << "vraagbaak-server: --methods: cannot read '" << methods_path << "'\n";
            return 1;
        }
        std::stringstream text;
        text << in.rdbuf();
        auto methods = core::parse_methods(text.str());
        if (!methods) {
            std::cerr << "vraagbaak-server: --methods " << methods_path << ": " << methods.error() << "\n";
            return 1;
        }
        config.hub.methods = std::move(*methods);
    }
    if (check_config) {
        std::cout << "configuration ok" << (config_path.empty() ? "" : " (" + config_path + ")") << "\n";
        return 0;
    }
    return app::run_server(config);
}

// vraagbaak: the terminal client.

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "i18n.hpp"
#include "session.hpp"
#include "terminal.hpp"

using namespace vraagbaak::client;

int main(int argc, char** argv) {
    SessionOptions options;
    options.url_text = "ws://127.0.0.1:8080/ws";
    std::string lang_flag;
    std::string password_file;
    bool scripted = false;
    int timeout_s = 15;

    CLI::App cli{"vraagbaak: terminal client for vraagbaak case consultation rooms.\n"
                 "Interactive on a terminal; otherwise reads one command per line from stdin.\n"
                 "The password comes from VRAAGBAAK_PASSWORD, --password-file, or a prompt."};
    cli.set_version_flag("--version", std::string("vraagbaak ") + VRAAGBAAK_VERSION);
    cli.add_option("--url", options.url_text, "Server URL")->capture_default_str();
    cli.add_option("--ca-file", options.ca_file,
                   "PEM file of certificate authorities to trust for wss:// besides the system's "
                   "(a private CA, or the server's own self-signed certificate)")
        ->check(CLI::ExistingFile);
    cli.add_option("--user,-u", options.user, "Login handle");
    cli.add_option("--password-file", password_file, "Read the password from the first line of this file");
    cli.add_flag("--register", options.register_account,
                 "Create the account --user with an invite code (--invite) instead of logging in");
    cli.add_option("--invite", options.invite, "Invite code, with --register");
    cli.add_option("--name", options.display_name, "Display name, with --register");
    cli.add_flag("--json", options.json, "Print the raw JSON frames from the server, one per line");
    cli.add_flag("--scripted", scripted, "Read commands from stdin even when it is a terminal");
    cli.add_option("--lang", lang_flag, "Language: nl or en (default from LANG)");
    cli.add_option("--timeout", timeout_s, "Seconds to wait for the server")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    options.lang = lang_from_environment();
    if (!lang_flag.empty()) {
        auto lang = parse_lang(lang_flag);
        if (!lang) {
            std::cerr << "vraagbaak: --lang must be nl or en\n";
            return exit_usage;
        }
        options.lang = *lang;
    }
    options.timeout = std::chrono::seconds(timeout_s);
    options.interactive = !scripted && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

    auto url = parse_url(options.url_text);
    if (!url) {
        std::cerr << tr(options.lang, "bad_url", {options.url_text}) << "\n";
        return exit_usage;
    }
    options.url = *url;
    if (options.user.empty()) {
        std::cerr << tr(options.lang, "no_user") << "\n";
        return exit_usage;
    }
    if (options.register_account && (options.invite.empty() || options.display_name.empty())) {
        std::cerr << "vraagbaak: --register needs --invite CODE and --name \"DISPLAY NAME\"\n";
        return exit_usage;
    }
    if (!password_file.empty()) {
        std::ifstream in(password_file);
        std::getline(in, options.password);
    } else if (const char* env = std::getenv("VRAAGBAAK_PASSWORD")) {
        options.password = env;
    } else if (options.interactive) {
        options.password = read_password(tr(options.lang, "password_prompt", {options.user}));
    }
    if (options.password.empty()) {
        std::cerr << tr(options.lang, "no_password") << "\n";
        return exit_usage;
    }

    Session session(std::move(options), std::cout, std::cerr);
    return session.run();
}

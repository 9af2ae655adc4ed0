#include "support/server_process.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <stdexcept>

namespace vraagbaak::test {

ServerProcess::ServerProcess(const std::string& db_path, std::vector<std::string> extra_args,
                             unsigned port, std::optional<int> cpu) {
    std::vector<std::string> argv;
    const char* cpu_from_env = std::getenv("VRAAGBAAK_TEST_SERVER_CPU");
    if (cpu) argv = {"/usr/bin/taskset", "-c", std::to_string(*cpu)};
    else if (cpu_from_env && *cpu_from_env) argv = {"/usr/bin/taskset", "-c", cpu_from_env};
    argv.insert(argv.end(), {VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:" + std::to_string(port), "--db", db_path});
    // Quiet unless the test asks for a log level of its own.
    if (std::find(extra_args.begin(), extra_args.end(), "--log-level") == extra_args.end())
        argv.insert(argv.end(), {"--log-level", "warn"});
    // Tests fire requests far faster than people: no request rate limit unless the test sets one.
    if (std::find(extra_args.begin(), extra_args.end(), "--requests-per-second") == extra_args.end())
        argv.insert(argv.end(), {"--requests-per-second", "0"});
    for (auto& a : extra_args) argv.push_back(a);
    child_ = std::make_unique<ChildProcess>(argv);
    auto line = child_->read_line(15s);
    const std::string host = "127.0.0.1:";
    auto at = line ? line->find(host) : std::string::npos;
    if (!line || line->rfind("listening on ws", 0) != 0 || at == std::string::npos)
        throw std::runtime_error("server did not start: " + line.value_or("<no output>") + " " +
                                 child_->drain_stderr());
    port_ = static_cast<unsigned>(std::stoul(line->substr(at + host.size())));
    url_ = line->substr(std::string("listening on ").size());
}

ServerProcess::~ServerProcess() {
    if (!child_ || child_->wait(0ms)) return;
    // Every test ends with a clean shutdown, so a crash, a sanitizer report or a leak in the
    // server fails the test that caused it.
    child_->signal(SIGTERM);
    auto status = child_->wait(15s);
    if (!status) {
        kill();
        ADD_FAILURE() << "the server did not stop within 15 s of SIGTERM";
    } else if (*status != 0) {
        ADD_FAILURE() << "the server exited with " << *status << ": " << child_->drain_stderr();
    }
}

int ServerProcess::stop() {
    child_->signal(SIGTERM);
    auto status = child_->wait(15s);
    if (!status) throw std::runtime_error("server did not stop within 15 s of SIGTERM");
    return *status;
}

void ServerProcess::kill() {
    child_->signal(SIGKILL);
    child_->wait(10s);
}

unsigned free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

std::string admin(const std::string& db_path, std::vector<std::string> args, const std::string& stdin_text) {
    std::vector<std::string> argv{VRAAGBAAK_SERVER_BIN, "admin"};
    for (auto& a : args) argv.push_back(a);
    argv.push_back("--db");
    argv.push_back(db_path);
    ChildProcess child(argv);
    if (!stdin_text.empty()) child.write(stdin_text);
    child.close_stdin();
    std::string out;
    while (auto line = child.read_line(30s)) out += *line + "\n";
    auto status = child.wait(30s);
    if (status != 0)
        throw std::runtime_error("admin command failed: " + child.drain_stderr());
    return out;
}

void add_user(const std::string& db_path, const std::string& handle, const std::string& name,
              const std::string& password) {
    admin(db_path, {"add-user", "--handle", handle, "--name", name, "--password-stdin"}, password + "\n");
}

std::string http_get(unsigned port, const std::string& path) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return {};
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    (void)::write(fd, req.data(), req.size());
    std::string out;
    char buf[1024];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    close(fd);
    return out;
}

}  // namespace vraagbaak::test

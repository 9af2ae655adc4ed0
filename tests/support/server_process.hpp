#pragma once
// The real vraagbaak-server on an ephemeral port with a database in a temporary directory.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace vraagbaak::test {

class ServerProcess {
public:
    // Starts the server (on `port`, or a free one when 0) and waits for its "listening on" line.
    // `cpu`: the server may run on that CPU only (taskset), so its core shares the network
    // thread; without it, on the CPU that VRAAGBAAK_TEST_SERVER_CPU names, if set (CI runs the
    // end-to-end tests once more that way), else on any.
    ServerProcess(const std::string& db_path, std::vector<std::string> extra_args = {},
                  unsigned port = 0, std::optional<int> cpu = std::nullopt);
    ~ServerProcess();

    unsigned port() const { return port_; }
    // As the server printed it: ws://, or wss:// when it was given a certificate.
    std::string url() const { return url_; }
    ChildProcess& process() { return *child_; }
    // SIGTERM and wait; returns the exit status.
    int stop();
    // SIGKILL: a crash.
    void kill();

private:
    std::unique_ptr<ChildProcess> child_;
    unsigned port_ = 0;
    std::string url_;
};

// A loopback port that was free a moment ago (for tests that restart a server on the same port).
unsigned free_port();

// A plain HTTP GET to 127.0.0.1:port; the whole response (status line, headers, body), empty
// when the connection fails.
std::string http_get(unsigned port, const std::string& path);

// Runs `vraagbaak-server admin ...` against db_path; returns stdout, asserts exit 0.
std::string admin(const std::string& db_path, std::vector<std::string> args,
                  const std::string& stdin_text = {});

// Creates an account with the given password through the admin command.
void add_user(const std::string& db_path, const std::string& handle, const std::string& name,
              const std::string& password);

}  // namespace vraagbaak::test

#pragma once
// A child process with pipes to its stdin, stdout and stderr, for end-to-end tests. Every wait
// is bounded by a deadline; the destructor kills and reaps a child still running.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace vraagbaak::test {

using namespace std::chrono_literals;

class ChildProcess {
public:
    // Starts `argv[0]` with `argv`, extra environment entries ("KEY=VALUE") added to ours.
    ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // The next line of stdout (without '\n'), or nullopt at EOF or when the deadline passes.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s);
    // Reads stdout lines until one contains `needle`; returns it, or nullopt.
    std::optional<std::string> read_until(const std::string& needle, std::chrono::milliseconds timeout = 10s);
    void write(const std::string& text);
    void close_stdin();
    // Everything the child wrote to stderr so far (non-blocking).
    std::string drain_stderr();

    void signal(int sig);
    // Waits for exit; returns the exit status (or 128 + signal), nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = 10s);
    pid_t pid() const { return pid_; }
    // All stdout lines read so far.
    const std::vector<std::string>& lines() const { return lines_; }

private:
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1, err_ = -1;
    std::string out_buffer_;
    std::string err_buffer_;
    std::vector<std::string> lines_;
    std::optional<int> status_;
};

}  // namespace vraagbaak::test

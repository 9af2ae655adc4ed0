#pragma once
// Process-wide counters for /metrics, in the Prometheus text format. Lock-free (relaxed atomics):
// any thread counts, the scrape reads. Never content: counts, sizes and durations only.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vraagbaak::metrics {

// A counter per label value, the labels fixed at start (request types, error codes, kinds).
class LabelledCounter {
public:
    LabelledCounter(std::string name, std::string help, std::string label, std::vector<std::string> values);
    void add(std::size_t index, std::uint64_t n = 1);
    void render(std::string& out) const;

private:
    std::string name_, help_, label_;
    std::vector<std::string> values_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
};

// A histogram with fixed upper bounds.
class Histogram {
public:
    Histogram(std::string name, std::string help, std::vector<double> bounds);
    void observe(double value);
    void render(std::string& out) const;

private:
    std::string name_, help_;
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, plus +Inf
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_micro_{0};  // sum × 1e6, so it stays an integer
};

struct Registry {
    std::atomic<std::uint64_t> connections_total{0};
    std::atomic<std::int64_t> connections_open{0};
    std::atomic<std::uint64_t> logins_ok{0};
    std::atomic<std::uint64_t> logins_failed{0};
    std::atomic<std::uint64_t> posts_stored{0};
    std::atomic<std::uint64_t> commit_groups{0};         // COMMITs of grouped posts
    std::atomic<std::uint64_t> store_queries{0};         // SQL statements run (prepared ones)
    std::atomic<std::uint64_t> deliveries{0};            // frames written to clients
    std::atomic<std::uint64_t> batched_writes{0};        // messages that carried several frames
    std::atomic<std::uint64_t> ring_submissions{0};      // io_uring system calls for gathered writes
    std::atomic<std::uint64_t> ring_writes{0};           // writes made through them
    std::atomic<std::int64_t> outgoing_queue_bytes{0};   // queued, not yet written
    std::atomic<std::uint64_t> slow_readers_cut_off{0};
    std::atomic<std::uint64_t> history_pages_extended{0};  // kept pages that took the newest posts
    LabelledCounter* requests = nullptr;         // by request type
    LabelledCounter* errors = nullptr;           // by error code
    LabelledCounter* privacy_findings = nullptr; // by kind
    Histogram commit_seconds{"vraagbaak_store_commit_seconds", "Time to commit one write transaction",
                             {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1}};
    Histogram rows_per_commit{"vraagbaak_store_rows_per_commit", "Rows changed by one write transaction",
                              {1, 2, 5, 10, 20, 50, 100, 1000}};
    // Where a request's time goes on the server: waiting for the core (which handles one request
    // at a time), then being handled there (a commit it has to wait for included).
    static inline const std::vector<double> kRequestBounds{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002,
                                                           0.005,   0.01,   0.02,    0.05,   0.1,   1};
    Histogram request_wait_seconds{"vraagbaak_request_wait_seconds",
                                   "Time from reading a request off its connection to the core starting on it",
                                   kRequestBounds};
    Histogram request_seconds{"vraagbaak_request_seconds",
                              "Time the core spends on one request, up to handing its reply to the network thread",
                              kRequestBounds};
};

Registry& get();

// Sets the label values of the labelled counters (once, at start).
void define_labels(std::vector<std::string> request_types, std::vector<std::string> error_codes,
                   std::vector<std::string> privacy_kinds);

// The whole exposition; `database_bytes` is read at scrape time.
std::string render(std::int64_t database_bytes);

}  // namespace vraagbaak::metrics

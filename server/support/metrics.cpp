#include "support/metrics.hpp"

#include <memory>
#include <mutex>

namespace vraagbaak::metrics {

namespace {

std::string number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void scalar(std::string& out, std::string_view name, std::string_view help, std::string_view type, std::int64_t v) {
    header(out, name, help, type);
    out.append(name).append(" ").append(std::to_string(v)).append("\n");
}

std::unique_ptr<LabelledCounter> g_requests, g_errors, g_findings;
std::once_flag g_labels;

}  // namespace

LabelledCounter::LabelledCounter(std::string name, std::string help, std::string label, std::vector<std::string> values)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_(std::move(label)),
      values_(std::move(values)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(values_.size())) {}

void LabelledCounter::add(std::size_t index, std::uint64_t n) {
    if (index < values_.size()) counts_[index].fetch_add(n, std::memory_order_relaxed);
}

void LabelledCounter::render(std::string& out) const {
    header(out, name_, help_, "counter");
    for (std::size_t i = 0; i < values_.size(); ++i)
        out.append(name_).append("{").append(label_).append("=\"").append(values_[i]).append("\"} ")
            .append(std::to_string(counts_[i].load(std::memory_order_relaxed))).append("\n");
}

Histogram::Histogram(std::string name, std::string help, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out) const {
    header(out, name_, help_, "histogram");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        out.append(name_).append("_bucket{le=\"").append(i < bounds_.size() ? number(bounds_[i]) : "+Inf")
            .append("\"} ").append(std::to_string(cumulative)).append("\n");
    }
    out.append(name_).append("_sum ").append(number(static_cast<double>(sum_micro_.load()) / 1e6)).append("\n");
    out.append(name_).append("_count ").append(std::to_string(count_.load())).append("\n");
}

Registry& get() {
    static Registry registry;
    return registry;
}

void define_labels(std::vector<std::string> request_types, std::vector<std::string> error_codes,
                   std::vector<std::string> privacy_kinds) {
    std::call_once(g_labels, [&] {
        g_requests = std::make_unique<LabelledCounter>("vraagbaak_requests_total", "Requests handled, by type", "type",
                                                       std::move(request_types));
        g_errors = std::make_unique<LabelledCounter>("vraagbaak_errors_total", "Error replies, by code", "code",
                                                     std::move(error_codes));
        g_findings = std::make_unique<LabelledCounter>("vraagbaak_privacy_findings_total",
                                                       "Personal data found by the privacy guard, by kind (never content)",
                                                       "kind", std::move(privacy_kinds));
        get().requests = g_requests.get();
        get().errors = g_errors.get();
        get().privacy_findings = g_findings.get();
    });
}

std::string render(std::int64_t database_bytes) {
    const Registry& r = get();
    std::string out;
    scalar(out, "vraagbaak_connections_total", "WebSocket connections accepted", "counter",
           static_cast<std::int64_t>(r.connections_total.load()));
    scalar(out, "vraagbaak_connections_open", "WebSocket connections open now", "gauge", r.connections_open.load());
    header(out, "vraagbaak_logins_total", "Sign-ins by outcome", "counter");
    out.append("vraagbaak_logins_total{outcome=\"ok\"} ").append(std::to_string(r.logins_ok.load())).append("\n");
    out.append("vraagbaak_logins_total{outcome=\"failed\"} ").append(std::to_string(r.logins_failed.load())).append("\n");
    if (r.requests) r.requests->render(out);
    if (r.errors) r.errors->render(out);
    scalar(out, "vraagbaak_posts_stored_total", "Messages stored (posts and cases)", "counter",
           static_cast<std::int64_t>(r.posts_stored.load()));
    scalar(out, "vraagbaak_commit_groups_total", "Commits of posts grouped together (group commit)", "counter",
           static_cast<std::int64_t>(r.commit_groups.load()));
    scalar(out, "vraagbaak_store_queries_total", "SQL statements the store ran", "counter",
           static_cast<std::int64_t>(r.store_queries.load()));
    scalar(out, "vraagbaak_deliveries_total", "Frames written to clients", "counter",
           static_cast<std::int64_t>(r.deliveries.load()));
    scalar(out, "vraagbaak_outgoing_queue_bytes", "Bytes queued for clients, not yet written", "gauge",
           r.outgoing_queue_bytes.load());
    scalar(out, "vraagbaak_batched_writes_total", "WebSocket messages that carried several frames (clients that asked for batching)",
           "counter", static_cast<std::int64_t>(r.batched_writes.load()));
    scalar(out, "vraagbaak_slow_readers_cut_off_total", "Connections closed because they did not read", "counter",
           static_cast<std::int64_t>(r.slow_readers_cut_off.load()));
    scalar(out, "vraagbaak_ring_submissions_total", "io_uring system calls that wrote a step's gathered socket writes",
           "counter", static_cast<std::int64_t>(r.ring_submissions.load()));
    scalar(out, "vraagbaak_ring_writes_total", "Socket writes made through io_uring submissions", "counter",
           static_cast<std::int64_t>(r.ring_writes.load()));
    scalar(out, "vraagbaak_history_pages_extended_total",
           "History pages served by adding the newest posts to a kept page instead of reading it whole", "counter",
           static_cast<std::int64_t>(r.history_pages_extended.load()));
    r.commit_seconds.render(out);
    r.rows_per_commit.render(out);
    r.request_wait_seconds.render(out);
    r.request_seconds.render(out);
    if (r.privacy_findings) r.privacy_findings->render(out);
    scalar(out, "vraagbaak_database_bytes", "Size of the database file", "gauge", database_bytes);
    return out;
}

}  // namespace vraagbaak::metrics

// loopback-ceiling: what this machine's loopback TCP can carry, as the yardstick for the
// servers: 1,000 connected socket pairs; one thread (pin it with taskset) writes 100-byte
// "deliveries" round robin, either one per write() or `batch` per write(); another thread reads
// everything with epoll. Prints one JSON object: deliveries per second for each batch size.
// Usage: loopback-ceiling [SECONDS] [WRITER_CPU READER_CPU]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

// n connected TCP pairs over 127.0.0.1: {writer end, reader end}.
std::vector<std::pair<int, int>> make_pairs(int n) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    listen(listener, 4096);
    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < n; ++i) {
        int client = socket(AF_INET, SOCK_STREAM, 0);
        connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address));
        int server = accept(listener, nullptr, nullptr);
        int one = 1;
        setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        pairs.emplace_back(server, client);
    }
    close(listener);
    return pairs;
}

double run(int batch, double seconds, int writer_cpu, int reader_cpu) {
    constexpr int kConnections = 1000;
    constexpr std::size_t kMessage = 100;
    auto pairs = make_pairs(kConnections);
    std::atomic<bool> stop{false};
    std::atomic<long long> received_bytes{0};
    std::thread reader([&] {
        pin(reader_cpu);
        int epoll = epoll_create1(0);
        for (auto& [w, r] : pairs) {
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.fd = r;
            epoll_ctl(epoll, EPOLL_CTL_ADD, r, &e);
        }
        std::vector<epoll_event> events(256);
        std::vector<char> buffer(1 << 16);
        long long total = 0;
        while (!stop) {
            int n = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 50);
            for (int i = 0; i < n; ++i) {
                ssize_t got = read(events[static_cast<std::size_t>(i)].data.fd, buffer.data(), buffer.size());
                if (got > 0) total += got;
            }
            received_bytes = total;
        }
        close(epoll);
    });
    pin(writer_cpu);
    std::string payload(kMessage * static_cast<std::size_t>(batch), 'x');
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end)
        for (int i = 0; i < kConnections; ++i)
            if (write(pairs[static_cast<std::size_t>(i)].first, payload.data(), payload.size()) < 0) break;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
    reader.join();
    for (auto& [w, r] : pairs) {
        close(w);
        close(r);
    }
    return static_cast<double>(received_bytes.load()) / static_cast<double>(kMessage) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::stod(argv[1]) : 2.0;
    const int writer_cpu = argc > 3 ? std::stoi(argv[2]) : -1;
    const int reader_cpu = argc > 3 ? std::stoi(argv[3]) : -1;
    const double single = run(1, seconds, writer_cpu, reader_cpu);
    const double batched = run(8, seconds, writer_cpu, reader_cpu);
    std::printf("{\"one_per_write_deliveries_per_s\":%.0f,\"eight_per_write_deliveries_per_s\":%.0f}\n", single, batched);
}

#pragma once
// Wakes the thread of an io_context from any other thread to run one handler there, without
// asio::post.
//
// asio::post from another thread interrupts the io_context's reactor while holding the
// io_context's lock (Asio 1.81, scheduler::wake_one_thread_and_unlock). With both threads on one
// CPU the woken thread preempts the poster, finds the lock taken and sleeps on it: a futex round
// trip and two more context switches for every hand-off. In D1 the network thread spent a tenth
// of its time waiting there. Here the poster only writes to an eventfd that the io_context reads
// like any other descriptor; no lock of the poster's is held while the other thread runs.

#include <cstdint>
#include <functional>
#include <memory>

#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

namespace vraagbaak::transport {

class Wakeup {
public:
    // `on_wake` runs on the io_context's thread after one or more signal()s.
    Wakeup(boost::asio::any_io_executor executor, std::function<void()> on_wake);
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    // Thread-safe and cheap (one write(2)); signals that arrive before on_wake runs are one.
    // Harmless after close(), not after destruction. On the io_context's own thread (the core
    // sharing the network thread) it posts on_wake instead: no system call, and no wait for the
    // reactor's next poll, which comes only after every handler already queued.
    void signal();
    // Stops reading: on_wake runs no more. For an owner that is an Asio service: call it from
    // shutdown(), while the io_context's own services still exist.
    void close();

private:
    struct Reader;
    int fd_ = -1;
    // The io_context's executor, when the executor is one (for the same-thread path).
    std::optional<boost::asio::io_context::executor_type> own_;
    std::shared_ptr<Reader> reader_;
};

}  // namespace vraagbaak::transport

#include "transport/wakeup.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace vraagbaak::transport {

namespace asio = boost::asio;

// Lives as long as a read is pending on it, so a read completing after close() finds it.
struct Wakeup::Reader : std::enable_shared_from_this<Reader> {
    Reader(asio::any_io_executor executor, int fd, std::function<void()> handler)
        : descriptor(std::move(executor), fd), on_wake(std::move(handler)) {}

    // A read, not async_wait: Asio tries it at once, so a signal that came while no read was
    // pending is seen then instead of waiting for an edge that already passed.
    void arm() {
        descriptor.async_read_some(asio::buffer(&count, sizeof count),
                                   [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                                       if (ec || !self->on_wake) return;  // closed
                                       self->on_wake();
                                       if (self->descriptor.is_open()) self->arm();
                                   });
    }

    asio::posix::stream_descriptor descriptor;
    std::function<void()> on_wake;
    std::uint64_t count = 0;
    bool posted = false;  // signal() on the io_context's thread has posted on_wake, not run yet
};

Wakeup::Wakeup(asio::any_io_executor executor, std::function<void()> on_wake) {
    if (auto* own = executor.target<asio::io_context::executor_type>()) own_ = *own;
    fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    // The reading end is a second descriptor of the same eventfd, so that close() never
    // invalidates the one signal() writes to while another thread may be in it.
    const int read_fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
    if (read_fd < 0) {
        const int error = errno;
        ::close(fd_);
        throw std::system_error(error, std::generic_category(), "dup eventfd");
    }
    try {
        reader_ = std::make_shared<Reader>(std::move(executor), read_fd, std::move(on_wake));
    } catch (...) {  // the reactor could not take it: neither descriptor is anyone's then
        ::close(read_fd);
        ::close(fd_);
        throw;
    }
    reader_->arm();
}

Wakeup::~Wakeup() {
    close();
    ::close(fd_);
}

void Wakeup::signal() {
    if (own_ && own_->running_in_this_thread()) {
        if (reader_ && !std::exchange(reader_->posted, true))
            asio::post(*own_, [reader = reader_] {
                reader->posted = false;
                if (reader->on_wake) reader->on_wake();
            });
        return;
    }
    const std::uint64_t one = 1;
    // Fails only when the counter would overflow (2^64 - 2 unread signals): it is set anyway.
    [[maybe_unused]] auto written = ::write(fd_, &one, sizeof one);
}

void Wakeup::close() {
    if (!reader_) return;
    reader_->on_wake = nullptr;
    boost::system::error_code ignored;
    reader_->descriptor.close(ignored);  // a pending read completes as aborted
    reader_.reset();
}

}  // namespace vraagbaak::transport

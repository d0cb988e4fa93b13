#include "search-server/transport/http_listener.h"

#include "search-server/api/errors.h"
#include "search-server/transport/worker_pool.h"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace kb::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kWakeId = 1;
/// How long a closing connection's remaining bytes are read (lingering close: a client still
/// sending would otherwise get a reset, which can discard the answer before it reads it).
constexpr auto kLinger = std::chrono::milliseconds(1000);
constexpr std::size_t kMaxLingerBytes = 4u << 20;
constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

std::string peer_address(const sockaddr_storage& addr) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
    else if (addr.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text,
                  sizeof text);
    return text;
}

// Raises the soft limit on open files to the hard one: each connection is a descriptor.
std::size_t descriptor_budget() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = std::min<rlim_t>(limit.rlim_max, 1 << 16);
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

enum class Phase { Reading, Busy, Writing, Draining };

struct Connection {
    std::uint64_t id = 0;
    int fd = -1;
    std::string client;
    RequestParser parser;
    std::string in;
    std::string out;
    std::size_t out_pos = 0;
    Phase phase = Phase::Reading;
    bool close_after_write = false;
    bool peer_closed = false; // the client shut its side: answer what arrived, then close
    bool continue_sent = false;
    unsigned requests = 0;
    Clock::time_point idle_since;       // Reading with nothing of a next request yet
    Clock::time_point request_deadline; // Reading a started request
    Clock::time_point write_deadline;   // Writing
    Clock::time_point drain_deadline;   // Draining
    std::size_t drained = 0;
    bool request_started = false;
    std::uint32_t events = 0; // what epoll watches now
};

} // namespace

struct HttpListener::Impl {
    Impl(const Poco::Net::ServerSocket& s, ListenerOptions o, RequestHandler h)
        : socket(s), options(o), pool(options.workers, std::move(h), [this] { wake(); }) {
        const std::size_t budget = descriptor_budget();
        max_connections = std::min(options.max_connections, budget > 128 ? budget - 64 : 64);
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (epoll_fd < 0 || wake_fd < 0)
            throw std::runtime_error(std::string("cannot set up the event loop: ") +
                                     std::strerror(errno));
        socket.setBlocking(false);
        listen_fd = socket.impl()->sockfd();
        watch(listen_fd, kListenId, EPOLLIN, EPOLL_CTL_ADD);
        watch(wake_fd, kWakeId, EPOLLIN, EPOLL_CTL_ADD);
    }
    ~Impl() {
        for (auto& [id, c] : connections)
            ::close(c->fd);
        ::close(wake_fd);
        ::close(epoll_fd);
    }

    void watch(int fd, std::uint64_t id, std::uint32_t events, int op) const {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = id;
        epoll_ctl(epoll_fd, op, fd, &ev);
    }
    void set_events(Connection& c, std::uint32_t events) const {
        if (c.events != events) {
            // 0: not registered (the peer's half-close was seen while a worker ran).
            watch(c.fd, c.id, events, c.events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD);
            c.events = events;
        }
    }
    void wake() const {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_fd, &one, sizeof one);
    }

    // --- the event loop ------------------------------------------------------------------

    void loop() {
        std::vector<epoll_event> events(256);
        Clock::time_point last_sweep = Clock::now();
        bool accepting = true;
        for (;;) {
            const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 50);
            const auto now = Clock::now();
            for (int i = 0; i < n; ++i) {
                const std::uint64_t id = events[i].data.u64;
                if (id == kListenId) {
                    if (accepting)
                        accept_all(now);
                    continue;
                }
                if (id == kWakeId) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const ssize_t r = ::read(wake_fd, &count, sizeof count);
                    continue;
                }
                auto it = connections.find(id);
                if (it == connections.end())
                    continue;
                on_event(*it->second, events[i].events, now);
            }
            complete_jobs(Clock::now());
            if (stopping && accepting) {
                accepting = false;
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
                close_idle();
            }
            if (now - last_sweep >= std::chrono::milliseconds(100)) {
                sweep(now);
                last_sweep = now;
            }
            if (stopping && (connections.empty() || now >= stop_deadline))
                return;
        }
    }

    void accept_all(Clock::time_point now) {
        for (;;) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                                   SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE)
                    evict_oldest({}); // make room; the client's connect is retried by the kernel
                return;               // EAGAIN: nothing more to accept
            }
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            std::string client = peer_address(addr);
            if (per_client[client] >= options.max_connections_per_client && !evict_oldest(client)) {
                ::close(fd); // every connection of this address is busy: refuse this one
                continue;
            }
            if (connections.size() >= max_connections && !evict_oldest({})) {
                ::close(fd);
                continue;
            }
            auto c = std::make_unique<Connection>();
            c->id = next_id++;
            c->fd = fd;
            c->client = std::move(client);
            c->parser = RequestParser(options.limits);
            c->idle_since = now;
            c->events = EPOLLIN | EPOLLRDHUP;
            watch(fd, c->id, c->events, EPOLL_CTL_ADD);
            ++per_client[c->client];
            connections.emplace(c->id, std::move(c));
            open_count = connections.size();
        }
    }

    // Closes the connection of `client` (any client when empty) that has waited longest
    // without a request in a worker; false when there is none to close.
    bool evict_oldest(const std::string& client) {
        Connection* oldest = nullptr;
        for (auto& [id, c] : connections) {
            if (c->phase != Phase::Reading && c->phase != Phase::Draining)
                continue;
            if (!client.empty() && c->client != client)
                continue;
            if (!oldest || c->idle_since < oldest->idle_since)
                oldest = c.get();
        }
        if (!oldest)
            return false;
        ++evicted;
        close(*oldest);
        return true;
    }

    void on_event(Connection& c, std::uint32_t ev, Clock::time_point now) {
        if (ev & EPOLLERR) {
            close(c);
            return;
        }
        switch (c.phase) {
        case Phase::Reading:
        case Phase::Draining:
            if (ev & (EPOLLIN | EPOLLHUP | EPOLLRDHUP))
                on_readable(c, now);
            break;
        case Phase::Writing:
            if (ev & EPOLLOUT)
                flush(c, now);
            else if (ev & EPOLLHUP)
                close(c);
            break;
        case Phase::Busy: // the client shut its side (or left): answer, then close
            if (ev & (EPOLLHUP | EPOLLRDHUP)) {
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
                c.events = 0;
                c.peer_closed = true;
            }
            break;
        }
    }

    void on_readable(Connection& c, Clock::time_point now) {
        char buf[kReadChunk];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) {
                if (c.phase == Phase::Draining) {
                    c.drained += static_cast<std::size_t>(n);
                    if (c.drained > kMaxLingerBytes) {
                        close(c);
                        return;
                    }
                    continue;
                }
                c.in.append(buf, static_cast<std::size_t>(n));
                // One read at a time past a request's worth: the parser decides on it first.
                if (c.in.size() > options.limits.max_body + options.limits.max_header_bytes)
                    break;
                continue;
            }
            if (n == 0) {
                if (c.phase == Phase::Draining) {
                    close(c);
                    return;
                }
                c.peer_closed = true;
                break;
            }
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                close(c);
                return;
            }
            break;
        }
        if (c.phase == Phase::Reading)
            parse(c, now);
    }

    // Reads what the buffer holds: a complete request goes to a worker, a broken one is
    // answered and the connection closed.
    void parse(Connection& c, Clock::time_point now) {
        const RequestParser::State state = c.parser.feed(c.in);
        if (!c.request_started && c.parser.started()) {
            c.request_started = true;
            c.request_deadline = now + options.request_timeout;
        }
        if (state == RequestParser::State::Complete) {
            WireRequest request = c.parser.take(c.in);
            c.request_started = false;
            c.continue_sent = false;
            ++c.requests;
            const bool keep_alive =
                request.keep_alive && !stopping && c.requests < options.max_requests_per_connection;
            c.close_after_write = !keep_alive;
            request.keep_alive = keep_alive;
            c.phase = Phase::Busy;
            set_events(c, EPOLLRDHUP); // no reading while it runs: no unbounded pipelining
            pool.submit({c.id, std::move(request), c.client});
            return;
        }
        if (state == RequestParser::State::Failed) {
            const WireError& e = c.parser.error();
            answer_error(c, e.status, e.code, e.message, now);
            return;
        }
        if (c.parser.awaiting_body_continue() && !c.continue_sent) {
            c.continue_sent = true;
            c.out = "HTTP/1.1 100 Continue\r\n\r\n";
            c.out_pos = 0;
            c.close_after_write = false;
            c.phase = Phase::Writing;
            c.write_deadline = now + options.request_timeout;
            flush(c, now);
            return;
        }
        if (c.peer_closed) // the rest of the request will never come
            close(c);
    }

    void answer_error(Connection& c, int status, const std::string& code,
                      const std::string& message, Clock::time_point now) {
        Response r = error_response(status, code, message);
        c.out = serialize_response(r, 1, false, false);
        c.out_pos = 0;
        c.close_after_write = true;
        c.phase = Phase::Writing;
        c.write_deadline = now + options.request_timeout;
        flush(c, now);
    }

    void flush(Connection& c, Clock::time_point now) {
        while (c.out_pos < c.out.size()) {
            const ssize_t n =
                ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
            if (n > 0) {
                c.out_pos += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                set_events(c, EPOLLOUT);
                return;
            }
            close(c);
            return;
        }
        c.out.clear();
        c.out_pos = 0;
        if (c.close_after_write) {
            linger(c, now);
            return;
        }
        c.phase = Phase::Reading;
        c.idle_since = now;
        set_events(c, EPOLLIN | EPOLLRDHUP);
        if (!c.in.empty()) // pipelined, or the body after a 100 Continue
            parse(c, now);
        else if (c.peer_closed) // nothing more will come
            linger(c, now);
    }

    void linger(Connection& c, Clock::time_point now) {
        ::shutdown(c.fd, SHUT_WR);
        c.phase = Phase::Draining;
        c.drain_deadline = now + kLinger;
        c.in.clear();
        set_events(c, EPOLLIN | EPOLLRDHUP);
    }

    void close(Connection& c) {
        const std::uint64_t id = c.id;
        if (c.events)
            epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        auto pc = per_client.find(c.client);
        if (pc != per_client.end() && --pc->second == 0)
            per_client.erase(pc);
        connections.erase(id); // destroys c
        open_count = connections.size();
    }

    void close_idle() {
        std::vector<Connection*> idle;
        for (auto& [id, c] : connections)
            if (c->phase == Phase::Reading || c->phase == Phase::Draining)
                idle.push_back(c.get());
        for (Connection* c : idle)
            close(*c);
    }

    // Deadlines, checked ten times a second: a few thousand comparisons at most.
    void sweep(Clock::time_point now) {
        std::vector<Connection*> expired, late;
        for (auto& [id, c] : connections) {
            switch (c->phase) {
            case Phase::Reading:
                if (c->request_started ? now >= c->request_deadline
                                       : now - c->idle_since >= options.keep_alive)
                    (c->request_started ? late : expired).push_back(c.get());
                break;
            case Phase::Writing:
                if (now >= c->write_deadline)
                    expired.push_back(c.get());
                break;
            case Phase::Draining:
                if (now >= c->drain_deadline)
                    expired.push_back(c.get());
                break;
            case Phase::Busy:
                break;
            }
        }
        for (Connection* c : expired)
            close(*c);
        for (Connection* c : late)
            answer_error(*c, 408, "request_timeout",
                         "the request did not arrive within the server's timeout", now);
    }

    void complete_jobs(Clock::time_point now) {
        for (Completion& d : pool.take_completions()) {
            auto it = connections.find(d.id);
            if (it == connections.end())
                continue;
            Connection& c = *it->second;
            c.out = std::move(d.bytes);
            c.out_pos = 0;
            c.close_after_write = !d.keep_alive || stopping;
            c.phase = Phase::Writing;
            c.write_deadline = now + options.request_timeout;
            flush(c, now);
        }
    }

    Poco::Net::ServerSocket socket;
    ListenerOptions options;
    std::size_t max_connections = 0;
    int epoll_fd = -1, wake_fd = -1, listen_fd = -1;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;
    std::unordered_map<std::string, std::size_t> per_client;
    std::uint64_t next_id = 2; // 0 and 1 are the listening socket and the wake-up descriptor
    std::atomic<std::size_t> evicted{0};
    std::atomic<std::size_t> open_count{0}; // connections.size(), readable from any thread

    std::atomic<bool> stopping{false};
    Clock::time_point stop_deadline;
    std::thread io;
    WorkerPool pool; // last: its threads may wake the loop until stop() has joined them
};

HttpListener::HttpListener(const Poco::Net::ServerSocket& socket, ListenerOptions options,
                           RequestHandler handler)
    : impl_(std::make_unique<Impl>(socket, options, std::move(handler))) {}

HttpListener::~HttpListener() { stop(); }

void HttpListener::start() {
    impl_->pool.start();
    impl_->io = std::thread([this] {
        try {
            impl_->loop();
        } catch (const std::exception& e) { // out of memory, most likely: say so and stop
            std::cerr << "kb-search-server: the connection loop stopped: " << e.what() << "\n";
        } catch (...) {
            std::cerr << "kb-search-server: the connection loop stopped\n";
        }
    });
}

bool HttpListener::stop(std::chrono::milliseconds grace) {
    Impl& s = *impl_;
    if (!s.io.joinable() && !s.pool.started())
        return true;
    const auto deadline = Clock::now() + grace;
    s.stop_deadline = deadline;
    s.stopping = true;
    s.wake();
    if (s.io.joinable())
        s.io.join();
    return s.pool.stop(deadline);
}

std::size_t HttpListener::open_connections() const { return impl_->open_count; }
std::size_t HttpListener::evicted_connections() const { return impl_->evicted; }

} // namespace kb::http

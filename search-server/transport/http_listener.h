#pragma once

#include "search-server/api/http_types.h"
#include "search-server/transport/http_wire.h"

#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace kb::http {

/// How the listener treats connections.
struct ListenerOptions {
    /// Threads that run handlers; connections never hold one while they send or wait.
    unsigned workers = 4;
    /// A request must arrive whole within this time from its first byte (else 408), and a
    /// response must be taken by the client within it (else the connection is closed).
    std::chrono::milliseconds request_timeout{15000};
    /// An idle connection (no byte of a next request) is closed after this.
    std::chrono::milliseconds keep_alive{5000};
    WireLimits limits;
    /// Open connections in all, and from one client address; past either, the connection
    /// of that address (or any) idle the longest is closed to make room.
    std::size_t max_connections = 8192;
    std::size_t max_connections_per_client = 256;
    unsigned max_requests_per_connection = 1000;
};

/// Answers one complete request; runs on a worker thread, must not throw (what escapes is
/// answered 500).
using RequestHandler = std::function<Response(WireRequest& request, const std::string& client)>;

/// The server's connection layer: one event-loop thread (epoll) reads requests off every
/// connection with RequestParser, without a thread per connection, so idle, slow and
/// keep-alive connections cost a file descriptor and a buffer, not a worker. Complete
/// requests go to a pool of worker threads; their responses are written back by the loop.
/// Errors of framing or size are answered (400, 408, 413, 414, 431, 505) with a JSON body and
/// the connection is closed after a lingering read, so no byte of a refused request is ever
/// read as the next one.
class HttpListener {
public:
    HttpListener(const Poco::Net::ServerSocket& socket, ListenerOptions options,
                 RequestHandler handler);
    /// Stops (see stop()) if still running.
    ~HttpListener();
    HttpListener(const HttpListener&) = delete;
    HttpListener& operator=(const HttpListener&) = delete;

    void start();
    /// Stops accepting, closes idle connections and lets running requests answer for up to
    /// `grace`. False when some handler was still running then (its thread is left behind:
    /// the caller should exit the process).
    bool stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    /// Connections open now, and those closed to make room for others (for /metrics).
    std::size_t open_connections() const;
    std::size_t evicted_connections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kb::http

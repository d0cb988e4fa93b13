#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <memory>

namespace kb::http {

/// The server's connection loop: Poco's HTTP connection handling (1.11) with a per-request
/// time budget enforced by a watchdog (slow clients are cut off with 408) and JSON errors
/// with the right status for requests Poco cannot parse (400, 414, 431).
class HttpListener {
public:
    HttpListener(const Poco::Net::ServerSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                 Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::chrono::seconds timeout,
                 std::chrono::seconds keep_alive);
    ~HttpListener();
    HttpListener(const HttpListener&) = delete;
    HttpListener& operator=(const HttpListener&) = delete;

    void start();
    /// Stops accepting, cuts idle keep-alive connections and lets running requests end.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kb::http

#pragma once

// One HTTP request with cpprestsdk, for the end-to-end tests that talk to the real server.

#include <cpprest/http_client.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace kb::test {

struct HttpReply {
    int status = 0;
    web::http::http_headers headers;
    std::string body;
    web::json::value json() const { return web::json::value::parse(body); }
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

inline HttpReply http_send(const std::string& base_url, const web::http::method& method,
                           const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& headers = {},
                           const std::string& body = "",
                           const std::string& content_type = "application/json") {
    web::http::client::http_client client(base_url);
    web::http::http_request req(method);
    req.set_request_uri(path);
    for (const auto& [k, v] : headers)
        req.headers().add(k, v);
    if (!body.empty())
        req.set_body(body, content_type);
    web::http::http_response r = client.request(req).get();
    return {r.status_code(), r.headers(), r.extract_utf8string(true).get()};
}

/// Polls GET /health every 100 ms, for up to a minute, until the server's vectors are "ready"
/// and no background rebuild is pending; calls `between` (extra checks) before each poll.
/// Returns the last /health answer, for the caller's assertions.
template <typename Between>
web::json::value wait_for_vectors(const std::string& base_url, Between&& between) {
    web::json::value health;
    for (int i = 0; i < 600; ++i) {
        between();
        health = http_send(base_url, web::http::methods::GET, "/health").json();
        if (health.at("vectors").as_string() == "ready" &&
            health.at("vectors_refresh").as_string() == "idle")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return health;
}

inline web::json::value wait_for_vectors(const std::string& base_url) {
    return wait_for_vectors(base_url, [] {});
}

} // namespace kb::test

#include "poco_server.h"

#include "error.h"
#include "json_output.h"
#include "router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>

namespace kb::http {
namespace {

Searcher& thread_searcher(const std::string& path, const Settings& settings) {
    thread_local std::unique_ptr<Searcher> searcher;
    thread_local std::string opened;
    if (!searcher || opened != path) {
        SearcherOptions options;
        options.remote_timeout_ms = settings.remote_timeout_ms;
        options.retry_interval = std::chrono::milliseconds(settings.shard_retry_ms);
        options.require_a_shard = false; // checked at start-up; later, a 503 per request
        searcher = std::make_unique<Searcher>(path, options);
        opened = path;
    }
    return *searcher;
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(std::shared_ptr<HandlerFactory::Shared> shared)
        : shared_(std::move(shared)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in,
                       Poco::Net::HTTPServerResponse& out) override {
        const auto started = std::chrono::steady_clock::now();
        const ServerConfig& config = shared_->config;
        Response response;
        Request request;
        std::string route = "unmatched";
        request.method = in.getMethod();
        try {
            const std::string& uri_text = in.getURI();
            Poco::URI uri(uri_text);
            request.path = uri.getPath();
            request.segments = split_path(uri_text.substr(0, uri_text.find_first_of("?#")));
            for (auto& [k, v] : uri.getQueryParameters())
                request.params.emplace_back(k, v);
            for (const auto& [name, value] : in) {
                std::string lower = name;
                for (char& c : lower)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                request.headers[lower] = value;
            }
            request.client = in.clientAddress().host().toString();
            const auto max_body = static_cast<std::streamsize>(config.settings.max_body_bytes);
            if (in.hasContentLength() && in.getContentLength() > max_body) {
                response = body_too_large(config.settings.max_body_bytes);
            } else {
                if (request.method == "POST" || request.method == "PUT" ||
                    request.method == "PATCH") {
                    // Read one byte more than allowed to detect an oversized chunked body.
                    // A body shorter than its Content-Length ends with Poco's read timeout.
                    try {
                        Poco::StreamCopier::copyToString(in.stream(), request.body, max_body + 1);
                    } catch (const Poco::TimeoutException&) {
                        response = {408,
                                    "application/json; charset=utf-8",
                                    error_json("request_timeout",
                                               "the request body did not arrive in time (is "
                                               "Content-Length larger than the body?)"),
                                    {}};
                    } catch (const Poco::Net::NetException& e) {
                        response = {400,
                                    "application/json; charset=utf-8",
                                    error_json("bad_request", "the request body could not be "
                                                              "read: " +
                                                                  e.message()),
                                    {}};
                    }
                    if (response.status < 400 && in.hasContentLength() &&
                        static_cast<std::streamsize>(request.body.size()) < in.getContentLength() &&
                        static_cast<std::streamsize>(request.body.size()) <= max_body) {
                        // Poco ends the body stream quietly when the read times out.
                        response = {
                            408,
                            "application/json; charset=utf-8",
                            error_json("request_timeout",
                                       "the request body ended before its Content-Length (" +
                                           std::to_string(request.body.size()) + " of " +
                                           std::to_string(in.getContentLength()) +
                                           " bytes arrived in time)"),
                            {}};
                    }
                }
                if (response.status >= 400) {
                    out.setKeepAlive(false); // the rest of the body may still come
                } else if (static_cast<std::streamsize>(request.body.size()) > max_body) {
                    response = body_too_large(config.settings.max_body_bytes);
                } else if (has_nul(request)) {
                    // Nothing legitimate carries a NUL byte; ids already refuse control
                    // characters, and words must not smuggle one into Xapian terms.
                    response = {400,
                                "application/json; charset=utf-8",
                                error_json("invalid_parameter",
                                           "the request path or a query parameter contains a "
                                           "NUL byte (%00)"),
                                {}};
                } else {
                    Searcher& searcher = thread_searcher(config.index_path, config.settings);
                    searcher.set_ranking(config.settings.ranking);
                    searcher.set_result_cache(shared_->cache);
                    Context context{searcher,         *config.files,    config.settings,
                                    shared_->metrics, shared_->limiter, shared_->writer};
                    response = dispatch(request, context, &route);
                }
            }
        } catch (const Poco::SyntaxException& e) {
            response = {400,
                        "application/json; charset=utf-8",
                        error_json("invalid_uri", "the request URI is malformed: " + e.message()),
                        {}};
        } catch (const Error& e) { // the index cannot be opened on this thread
            response = {503, "application/json; charset=utf-8", error_json(e.code(), e.what()), {}};
        } catch (const Xapian::Error& e) { // not a std::exception
            std::cerr << "internal error: " << e.get_description() << "\n";
            response = {500,
                        "application/json; charset=utf-8",
                        error_json("internal", "internal error; see the server log"),
                        {}};
        } catch (const std::exception& e) {
            std::cerr << "internal error: " << e.what() << "\n";
            response = {500,
                        "application/json; charset=utf-8",
                        error_json("internal", "internal error; see the server log"),
                        {}};
        }
        write(response, request.method, out);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        shared_->metrics.record(route, response.status, seconds);
        if (config.access_log)
            log(request, response, seconds);
    }

private:
    static bool has_nul(const Request& request) {
        if (request.path.find('\0') != std::string::npos)
            return true;
        for (const auto& [k, v] : request.params)
            if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos)
                return true;
        return false;
    }

    static Response body_too_large(std::size_t max) {
        return {413,
                "application/json; charset=utf-8",
                error_json("body_too_large",
                           "request body is over the limit of " + std::to_string(max) + " bytes"),
                {}};
    }

    static void write(const Response& response, const std::string& method,
                      Poco::Net::HTTPServerResponse& out) {
        out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        out.setContentType(response.content_type);
        out.set("X-Content-Type-Options", "nosniff");
        out.set("Referrer-Policy", "no-referrer");
        if (response.content_type.rfind("text/html", 0) == 0) {
            out.set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                    "base-uri 'none'; frame-ancestors 'self'");
            out.set("X-Frame-Options", "SAMEORIGIN");
        }
        for (const auto& [k, v] : response.headers)
            out.set(k, v);
        out.setContentLength(static_cast<std::streamsize>(response.body.size()));
        auto& stream = out.send();
        if (method != "HEAD")
            stream << response.body;
    }

    // One JSON object per line on stderr. Authorization headers are never logged.
    static void log(const Request& request, const Response& response, double seconds) {
        static std::mutex mutex;
        const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        std::lock_guard<std::mutex> lock(mutex);
        std::clog << "{\"time\":\"" << stamp << "\",\"client\":\"" << json_escape(request.client)
                  << "\",\"method\":\"" << json_escape(request.method.substr(0, 16))
                  << "\",\"path\":\"" << json_escape(request.path.substr(0, 300))
                  << "\",\"status\":" << response.status << ",\"ms\":" << seconds * 1000
                  << ",\"bytes\":" << response.body.size() << "}\n";
    }

    std::shared_ptr<HandlerFactory::Shared> shared_;
};

} // namespace

HandlerFactory::HandlerFactory(ServerConfig config)
    : shared_(std::make_shared<Shared>(std::move(config))) {}

Poco::Net::HTTPRequestHandler*
HandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    // Poco takes ownership of the handler and deletes it after the request.
    return new RequestHandler(shared_);
}

} // namespace kb::http

#include "poco_server.h"

#include "error.h"
#include "json_output.h"
#include "router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <iostream>
#include <mutex>

namespace kb::http {
namespace {

constexpr std::streamsize kMaxBodyBytes = 1 << 20;

Searcher& thread_searcher(const std::string& path) {
    thread_local std::unique_ptr<Searcher> searcher;
    thread_local std::string opened;
    if (!searcher || opened != path) {
        searcher = std::make_unique<Searcher>(path);
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
    explicit RequestHandler(const ServerConfig& config) : config_(config) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        const auto started = std::chrono::steady_clock::now();
        Response response;
        Request request;
        request.method = in.getMethod();
        try {
            Poco::URI uri(in.getURI());
            request.path = uri.getPath();
            for (auto& [k, v] : uri.getQueryParameters()) request.params.emplace_back(k, v);
            if (in.hasContentLength() && in.getContentLength() > kMaxBodyBytes) {
                response = {413, "application/json; charset=utf-8",
                            error_json("body_too_large", "request body is over 1 MiB"), {}};
            } else {
                if (request.method == "POST" || request.method == "PUT")
                    Poco::StreamCopier::copyToString(in.stream(), request.body, kMaxBodyBytes);
                Context context{thread_searcher(config_.index_path), *config_.files};
                response = dispatch(request, context);
            }
        } catch (const Poco::SyntaxException& e) {
            response = {400, "application/json; charset=utf-8",
                        error_json("invalid_uri", "the request URI is malformed: " + e.message()),
                        {}};
        } catch (const Error& e) { // the index cannot be opened on this thread
            response = {503, "application/json; charset=utf-8", error_json(e.code(), e.what()), {}};
        } catch (const std::exception& e) {
            std::cerr << "internal error: " << e.what() << "\n";
            response = {500, "application/json; charset=utf-8",
                        error_json("internal", "internal error; see the server log"), {}};
        }
        write(response, request.method, out);
        if (config_.access_log) log(request, response, started);
    }

private:
    static void write(const Response& response, const std::string& method,
                      Poco::Net::HTTPServerResponse& out) {
        out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        out.setContentType(response.content_type);
        out.set("X-Content-Type-Options", "nosniff");
        out.set("Referrer-Policy", "no-referrer");
        if (response.content_type.rfind("text/html", 0) == 0) {
            out.set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                    "base-uri 'none'; frame-ancestors 'self'");
            out.set("X-Frame-Options", "SAMEORIGIN");
        } else {
            // Read-only JSON is public: partner pages may call it from any origin.
            out.set("Access-Control-Allow-Origin", "*");
        }
        for (const auto& [k, v] : response.headers) out.set(k, v);
        out.setContentLength(static_cast<std::streamsize>(response.body.size()));
        auto& stream = out.send();
        if (method != "HEAD") stream << response.body;
    }

    static void log(const Request& request, const Response& response,
                    std::chrono::steady_clock::time_point started) {
        static std::mutex mutex;
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        std::lock_guard<std::mutex> lock(mutex);
        std::clog << "{\"method\":\"" << json_escape(request.method.substr(0, 16))
                  << "\",\"path\":\"" << json_escape(request.path.substr(0, 300))
                  << "\",\"status\":" << response.status << ",\"ms\":" << ms << "}\n";
    }

    const ServerConfig& config_;
};

} // namespace

Poco::Net::HTTPRequestHandler* HandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
    // Poco takes ownership of the handler and deletes it after the request.
    return new RequestHandler(config_);
}

} // namespace kb::http

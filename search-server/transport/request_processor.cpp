#include "search-server/transport/request_processor.h"

#include "core/error.h"
#include "search-server/api/errors.h"
#include "search-server/api/router.h"
#include "search-server/transport/compression.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <xapian.h>

#include <algorithm>
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

// Nothing legitimate carries a raw NUL byte (JSON escapes one as \u0000, which the JSON
// readers refuse in their turn): one rule for the path, the parameters and the body.
bool has_nul(const Request& request) {
    if (request.path.find('\0') != std::string::npos ||
        request.body.find('\0') != std::string::npos)
        return true;
    for (const auto& [k, v] : request.params)
        if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos)
            return true;
    return false;
}

// One JSON object per line on stderr. Authorization headers are never logged.
void log(const Request& request, const Response& response, double seconds) {
    static std::mutex mutex;
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char stamp[32];
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::lock_guard<std::mutex> lock(mutex);
    std::clog << "{\"time\":\"" << stamp << "\",\"client\":\"" << json_escape(request.client)
              << "\",\"method\":\"" << json_escape(request.method.substr(0, 16)) << "\",\"path\":\""
              << json_escape(request.path.substr(0, 300)) << "\",\"status\":" << response.status
              << ",\"ms\":" << seconds * 1000 << ",\"bytes\":" << response.body.size() << "}\n";
}

} // namespace

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted) {
    auto is_trusted = [&](const std::string& a) {
        return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
    };
    if (forwarded_for.empty() || !is_trusted(peer))
        return peer; // anyone else could write any X-Forwarded-For
    // "client, proxy1, proxy2": from the right, the first address no trusted proxy added.
    std::string address = peer;
    std::size_t end = forwarded_for.size();
    while (end > 0) {
        const std::size_t comma = forwarded_for.rfind(',', end - 1);
        const std::size_t begin = comma == std::string::npos ? 0 : comma + 1;
        std::string item = forwarded_for.substr(begin, end - begin);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item.empty() || item.size() > 64)
            break;
        address = item;
        if (!is_trusted(item))
            break;
        if (comma == std::string::npos)
            break;
        end = comma;
    }
    return address;
}

RequestProcessor::RequestProcessor(ServerConfig config)
    : config_(std::move(config)), limiter_(config_.settings.rate_limit_per_minute),
      writer_(config_.index_path), keys_(config_.keys_path), index_settings_(config_.settings_path),
      cache_(config_.settings.cache_bytes
                 ? std::make_shared<ResultCache>(config_.settings.cache_bytes)
                 : nullptr) {
    if (cache_)
        metrics_.watch_cache(cache_);
}

Response RequestProcessor::handle(WireRequest& in, const std::string& client) {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    Request request;
    std::string route = "unmatched";
    request.method = in.method;
    request.client = client;
    try {
        for (auto& [name, value] : in.headers)
            request.headers[name] = value; // a repeated field: the last one
        request.client = client_address(client, request.header("x-forwarded-for"),
                                        config_.settings.trusted_proxies);
        request.body = std::move(in.body);
        Poco::URI uri(in.target);
        request.path = uri.getPath();
        // Segments are split before percent-decoding ("a%2Fb" is one segment); an absolute
        // target (http://host/path, RFC 9112 §3.2.2) loses its scheme and authority first.
        std::string raw_path = in.target.substr(0, in.target.find_first_of("?#"));
        if (const std::size_t scheme = raw_path.find("://");
            scheme != std::string::npos && raw_path.front() != '/') {
            const std::size_t slash = raw_path.find('/', scheme + 3);
            raw_path = slash == std::string::npos ? "/" : raw_path.substr(slash);
        }
        request.segments = split_path(raw_path);
        for (auto& [k, v] : uri.getQueryParameters())
            request.params.emplace_back(k, v);
        if (has_nul(request)) {
            response = error_response(400, "invalid_parameter",
                                      "the request path, a query parameter or the body contains a "
                                      "NUL byte (%00)");
        } else {
            Searcher& searcher = thread_searcher(config_.index_path, config_.settings);
            searcher.set_ranking(config_.settings.ranking);
            searcher.set_result_cache(cache_);
            Context context{searcher, *config_.files, config_.settings, metrics_,       limiter_,
                            writer_,  keys_,          tasks_,           index_settings_};
            response = dispatch(request, context, &route);
        }
        compress_for(request, response);
    } catch (const Poco::SyntaxException& e) {
        response =
            error_response(400, "invalid_uri", "the request URI is malformed: " + e.message());
    } catch (const Error& e) { // the index cannot be opened on this thread
        response = error_response(503, e.code(), e.message());
    } catch (const Xapian::Error& e) { // not a std::exception
        std::cerr << "internal error: " << e.get_description() << "\n";
        response = internal_error_response();
    } catch (const std::exception& e) {
        std::cerr << "internal error: " << e.what() << "\n";
        response = internal_error_response();
    } catch (...) {
        std::cerr << "internal error: unknown exception\n";
        response = internal_error_response();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    try {
        metrics_.record(route, response.status, seconds);
        if (config_.access_log)
            log(request, response, seconds);
    } catch (...) { // a full disk or a closed stderr must not lose the answer
    }
    return response;
}

} // namespace kb::http

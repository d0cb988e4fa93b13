#include "router.h"

#include "error.h"
#include "handlers.h"
#include "json_output.h"
#include "utf8.h"

#include <Poco/Logger.h>

#include <cstring>
#include <functional>

namespace kb::http {
namespace {

using Handler = std::function<Response(const Request&, Context&, const std::string&)>;

struct Route {
    const char* method;
    const char* path;
    bool prefix; ///< the path is a prefix; the rest is passed to the handler
    Handler handler;
};

// The route table: one line per route.
const std::vector<Route>& routes() {
    static const std::vector<Route> table = {
        {"GET", "/search", false, handle_search},
        {"GET", "/documents/", true, handle_document},
        {"GET", "/facets", false, handle_facets},
        {"GET", "/health", false, handle_health},
        {"GET", "/", false, handle_static},
        {"GET", "/index.html", false, handle_static},
        {"GET", "/web/app.js", false, handle_static},
        {"GET", "/web/style.css", false, handle_static},
    };
    return table;
}

// The one table from error kinds to HTTP statuses.
int status_for(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidRequest: return 400;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Unavailable: return 503;
    case ErrorKind::Internal: return 500;
    }
    return 500;
}

Response error_response(int status, const std::string& code, const std::string& message) {
    return {status, "application/json; charset=utf-8", error_json(code, message), {}};
}

bool matches(const Route& r, const std::string& path) {
    return r.prefix ? path.rfind(r.path, 0) == 0 && path.size() > std::strlen(r.path)
                    : path == r.path;
}

} // namespace

Response dispatch(const Request& request, Context& context) {
    try {
        if (!is_valid_utf8(request.path))
            return error_response(400, "invalid_utf8", "the request path is not valid UTF-8");
        for (const auto& [name, value] : request.params)
            if (!is_valid_utf8(name) || !is_valid_utf8(value))
                return error_response(400, "invalid_utf8",
                                      "a query parameter is not valid UTF-8 (percent-encode UTF-8)");

        std::string allowed;
        for (const Route& route : routes()) {
            if (!matches(route, request.path)) continue;
            if (request.method == route.method ||
                (request.method == "HEAD" && std::string(route.method) == "GET"))
                return route.handler(request, context,
                                     route.prefix ? request.path.substr(std::strlen(route.path))
                                                  : std::string());
            if (!allowed.empty()) allowed += ", ";
            allowed += route.method;
        }
        if (!allowed.empty()) {
            Response r = error_response(405, "method_not_allowed",
                                        "method " + request.method.substr(0, 20) +
                                            " is not allowed here (allowed: " + allowed + ")");
            r.headers.emplace_back("Allow", allowed);
            return r;
        }
        return error_response(404, "not_found", "no such endpoint: " + request.path.substr(0, 200));
    } catch (const Error& e) {
        const int status = status_for(e.kind());
        if (status >= 500) {
            Poco::Logger::get("kb").error("%s %s: %s", request.method, request.path,
                                          std::string(e.what()));
            return error_response(status, e.code(),
                                  status == 503 ? e.what() : "internal error; see the server log");
        }
        return error_response(status, e.code(), e.what());
    } catch (const std::exception& e) {
        Poco::Logger::get("kb").error("%s %s: %s", request.method, request.path,
                                      std::string(e.what()));
        return error_response(500, "internal", "internal error; see the server log");
    }
}

} // namespace kb::http

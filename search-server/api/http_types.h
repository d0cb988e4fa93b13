#pragma once

#include "core/search_types.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kb::http {

/// A request as handlers see it: decoded path and parameters, independent of Poco.
struct Request {
    std::string method;
    std::string path;                  ///< percent-decoded
    std::vector<std::string> segments; ///< the raw path split on '/', each segment decoded
    std::vector<std::pair<std::string, std::string>> params; ///< decoded, in order
    std::map<std::string, std::string> headers;              ///< names in lower case
    std::string body;
    std::string client; ///< the peer's address, for rate limiting
    /// Set by the router for a tenant token: filters every search of this request stays inside.
    std::shared_ptr<const FacetFilters> scope;

    /// The header's value, or "" when absent.
    std::string header(const std::string& lower_case_name) const {
        auto it = headers.find(lower_case_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// Adds the request's tenant-token scope (if any) to filters a handler built from it; every
/// search a scoped route runs goes through this.
inline void apply_scope(const Request& request, FacetFilters& filters) {
    if (request.scope)
        filters.scope = request.scope;
}

/// What a handler answers; the Poco adapter writes it out.
struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Splits a raw (percent-encoded) path into decoded segments: "/documents/a%2Fb/similar" →
/// {"documents", "a/b", "similar"}. Empty segments are dropped.
std::vector<std::string> split_path(const std::string& raw_path);

} // namespace kb::http

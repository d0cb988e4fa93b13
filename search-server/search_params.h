#pragma once

#include "http_types.h"
#include "search_types.h"

namespace kb::http {

/// Longest accepted query, in characters (code points).
constexpr std::size_t kMaxQueryChars = 1000;
constexpr unsigned kMaxPageSize = 100;
/// Deepest result reachable by paging, so a client cannot make the engine rank everything.
constexpr unsigned kMaxResultDepth = 10000;
constexpr std::size_t kMaxHighlightTagBytes = 64;

/// Validates /search parameters into a SearchRequest; throws kb::Error(InvalidRequest) naming
/// the parameter and what is wrong (unknown, repeated, non-numeric, out of range, too long).
SearchRequest parse_search_request(const Request& request);

/// Turns a POST /search JSON body into the same parameters as GET /search:
/// {"q", "page", "size", "sort", "mode", "fusion", "vector_weight", "facets", "explain",
///  "year_from", "year_to",
///  "filters": {"country": ["SN"], "type": "étude"}, "exclude": {"country": ["FR"]},
///  "highlight": {"pre": "<em>", "post": "</em>"}}. Throws kb::Error(InvalidRequest) naming
/// the field for bad JSON, unknown fields and wrong types.
std::vector<std::pair<std::string, std::string>> search_params_from_json(const std::string& body);

} // namespace kb::http

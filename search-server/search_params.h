#pragma once

#include "http_types.h"
#include "search_types.h"

namespace kb::http {

/// Longest accepted query, in characters (code points).
constexpr std::size_t kMaxQueryChars = 1000;
constexpr unsigned kMaxPageSize = 100;
/// Deepest result reachable by paging, so a client cannot make the engine rank everything.
constexpr unsigned kMaxResultDepth = 10000;

/// Validates /search parameters into a SearchRequest; throws kb::Error(InvalidRequest) naming
/// the parameter and what is wrong (unknown, repeated, non-numeric, out of range, too long).
SearchRequest parse_search_request(const Request& request);

} // namespace kb::http

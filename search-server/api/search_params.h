#pragma once

#include "search-server/api/http_types.h"
#include "core/search_types.h"

namespace kb::http {

/// Longest accepted query, in characters (code points).
constexpr std::size_t kMaxQueryChars = 1000;
constexpr unsigned kMaxPageSize = 100;
/// Deepest result reachable by paging, so a client cannot make the engine rank everything.
constexpr unsigned kMaxResultDepth = 10000;
constexpr std::size_t kMaxHighlightTagBytes = 64;

// What one request's filters may ask of the engine, for /search and the Meilisearch layer
// alike. Repeated values are dropped first, so only distinct ones count; each cap bounds the
// size of the Xapian query a filter becomes (an OR of one term per value).
/// Most distinct facet values in the filters of one search.
constexpr std::size_t kMaxFilterValues = 1000;
/// Most conditions (`country = SN`, `year > 2010`, …) in one Meilisearch filter.
constexpr std::size_t kMaxFilterClauses = 1000;
/// Longest Meilisearch filter, in bytes (strings of an array filter summed). Reading it is
/// linear; 64 KiB admits 20,000 repeated values, which cost no more than one once deduplicated.
constexpr std::size_t kMaxFilterBytes = 64 * 1024;
/// Deepest nesting of parentheses and NOT in a Meilisearch filter expression.
constexpr std::size_t kMaxFilterDepth = 32;
/// Largest response body a search builds (a Meilisearch search or multi-search with
/// attributesToRetrieve text and 1,000 hits could otherwise reach hundreds of megabytes).
constexpr std::size_t kMaxResponseBytes = 8u << 20;

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

#pragma once

#include "core/search_types.h"

namespace kb {
class Searcher;
}
#include "search-server/api/http_types.h"

#include <set>

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
constexpr std::size_t kMaxFilterBytes = std::size_t{64} * 1024;
/// Deepest nesting of parentheses and NOT in a Meilisearch filter expression.
constexpr std::size_t kMaxFilterDepth = 32;
/// Largest response body a search builds (a Meilisearch search or multi-search with
/// attributesToRetrieve text and 1,000 hits could otherwise reach hundreds of megabytes).
constexpr std::size_t kMaxResponseBytes = 8u << 20;

/// Validates /search parameters (name, value) into a SearchRequest: the one set of field
/// parsers GET and POST /search share. Throws kb::Error(InvalidRequest) naming the parameter
/// and what is wrong (unknown, repeated, non-numeric, out of range, too long).
SearchRequest parse_search_params(const std::vector<std::pair<std::string, std::string>>& params);

/// The filters among `params` (facet parameters, year_from, year_to) through
/// parse_search_params; every other parameter but those named in `own` is refused, naming
/// `route` and what it accepts.
FacetFilters parse_filter_params(const std::vector<std::pair<std::string, std::string>>& params,
                                 const std::set<std::string>& own, const std::string& route);

/// GET /search: the query string's parameters through parse_search_params.
SearchRequest parse_search_request(const Request& request);

/// POST /search: a JSON body with the same fields as GET /search's parameters:
/// {"q", "page", "size", "sort", "mode", "fusion", "vector_weight", "facets", "explain",
///  "year_from", "year_to",
///  "filters": {"country": ["SN"], "type": "étude"}, "exclude": {"country": ["FR"]},
///  "highlight": {"pre": "<em>", "post": "</em>"}}. Every field's type is checked first
/// (bad JSON, wrong types: kb::Error(InvalidRequest) naming the field), then each goes through
/// the same field parser as its GET parameter.
SearchRequest parse_search_body(const std::string& body);

/// Refuses (unknown_facet_value) a type filter naming a type the index does not hold: types
/// are not in the catalog, so only the index can tell.
void require_known_types(const FacetFilters& filters, const Searcher& searcher);

} // namespace kb::http

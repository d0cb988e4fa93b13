#pragma once

// The subset of the Meilisearch search API that InstantSearch.js (through
// @meilisearch/instant-meilisearch) and the official `meilisearch` JS client call, translated
// onto the one Passerelle index. The index uid is "documents"; any other uid is a 404
// (index_not_found), as Meilisearch answers for an index that does not exist.
//
//   POST /indexes/{uid}/search        one search
//   POST /multi-search                {"queries":[{indexUid, q, …}]} → {"results":[…]}
//   POST /indexes/{uid}/facet-search  values of one facet matching facetQuery
//   GET  /indexes/{uid}               {uid, primaryKey, createdAt, updatedAt}
//
// Facet values are exchanged as French labels ("Sénégal", "étude"); a filter takes a label, an
// id or an alias, so what the UI shows is what it sends back. Errors carry both Meilisearch's
// {message, code, type, link} and Passerelle's {"error":{code, message}}.

#include "search-server/api/router.h"
#include "core/search_types.h"

#include <string>

namespace kb::http {

Response handle_meili_search(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_multi_search(const Request& request, Context& context,
                                   const RouteMatch& match);
Response handle_meili_facet_search(const Request& request, Context& context,
                                   const RouteMatch& match);
Response handle_meili_index(const Request& request, Context& context, const RouteMatch& match);

/// A Meilisearch filter (JSON: a string expression, or an array meaning AND whose inner
/// arrays mean OR) as Passerelle facet filters. Ids are resolved through the facet catalog
/// (types to their analysed form, unchecked). Sets `matches_nothing` when the filter is
/// contradictory (type = a AND type = b). Throws kb::Error(InvalidRequest) for bad syntax,
/// unknown attributes or values, what FacetFilters cannot express (OR across facets), and
/// past the caps of search_params.h (kMaxFilterBytes, kMaxFilterClauses, kMaxFilterValues,
/// kMaxFilterDepth; JSON nested deeper than kMaxJsonDepth or with a NUL) or the time budget
/// (`time_limit_ms`, 0: none). Repeated values are dropped before any cap counts them.
FacetFilters meili_filter_from_json(const std::string& filter_json, bool* matches_nothing = nullptr,
                                    double time_limit_ms = 2000);

} // namespace kb::http

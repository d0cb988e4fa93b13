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
// The parts: filter_parser (expression → tree), filter_builder (tree → FacetFilters), request
// (body → MeiliQuery, paging, the index settings and tenant scope: prepare), response (result
// → JSON), hit_attributes (one hit: facet values, _formatted, crops, _rankingScore),
// facet_attributes and facet_values (facets under Meilisearch's names, ordered and cut); this
// unit holds the search routes, meili_documents, meili_settings and meili_admin (version,
// stats, indexes, tasks) the others.
//
// Facet values are exchanged as French labels ("Sénégal", "étude"); a filter takes a label, an
// id or an alias, so what the UI shows is what it sends back. Errors carry both Meilisearch's
// {message, code, type, link} and Passerelle's {"error":{code, message}}.

#include "search-server/api/router.h"

#include <string>

namespace kb::http {

Response handle_meili_search(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_multi_search(const Request& request, Context& context,
                                   const RouteMatch& match);
Response handle_meili_facet_search(const Request& request, Context& context,
                                   const RouteMatch& match);
Response handle_meili_index(const Request& request, Context& context, const RouteMatch& match);

} // namespace kb::http

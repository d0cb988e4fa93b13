#pragma once

// SearchResult → Meilisearch's JSON: hits (with `_formatted` and the client's highlight tags),
// the paging fields of the query's mode, facetDistribution and facetStats; facet-search hits.

#include "core/schema/facet.h"
#include "search-server/json/json_writer.h"
#include "search-server/meili/request.h"

#include <string>

namespace kb::http {
struct Context;
}

namespace kb::http::meili {

/// One query's answer object; `index_uid` (multi-search) adds "indexUid". The stored text is
/// read through `context` when attributesToRetrieve asks for it. Throws response_too_large
/// once `buffer` passes kMaxResponseBytes.
void write_result(JsonWriter& w, const rapidjson::StringBuffer& buffer, const MeiliQuery& m,
                  const Answer& a, Context& context, const std::string* index_uid);

/// {facetHits: [{value, count}], facetQuery, processingTimeMs}: the values of `facet` in
/// `a` (all of them counted) a word of which starts with `facet_query` (accents and case
/// aside), ordered and at most as many as the index settings say (m.settings); facetQuery is
/// null when the body had none.
void write_facet_search(JsonWriter& w, const MeiliQuery& m, const FacetAttribute& facet,
                        const Answer& a, const std::string& facet_query, bool has_query);

} // namespace kb::http::meili

#pragma once

// One hit as a Meilisearch answer shows it: the attributes asked (attributesToRetrieve), its
// facet values under the facet attributes' names and as facetDistribution shows them
// (theme, actor, country, region as lists of labels, year as a number, place as
// {"lvl0": […], "lvl1": […]}), `_formatted` with the client's highlight tags and crops
// (attributesToHighlight, attributesToCrop), and `_rankingScore` (showRankingScore).

#include "core/search_types.h"
#include "search-server/json/json_writer.h"
#include "search-server/meili/request.h"

#include <string>

namespace kb::http::meili {

/// The hit `h` of query `m`; `terms`: what the query marks (SearchResult::highlight); `text`:
/// the record's whole text when attributesToRetrieve or attributesToCrop name it, else null.
void write_hit(JsonWriter& w, const MeiliQuery& m, const Hit& h, const HighlightTerms& terms,
               const std::string* text);

/// True when the hits need their record's whole text (`text` retrieved or cropped).
bool needs_text(const MeiliQuery& m);

} // namespace kb::http::meili

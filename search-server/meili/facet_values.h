#pragma once

// A facet's counted values as the Meilisearch answers show them (facetDistribution, facet
// search): under the attribute's names and values (facet_attributes.h), ordered and cut as
// the index settings say (sortFacetValuesBy, maxValuesPerFacet); and the numeric facets'
// facetStats.

#include "core/search_types.h"
#include "search-server/meili/facet_attributes.h"
#include "search-server/meili/settings_store.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kb::http::meili {

/// One value of an answer: as shown, with its count and the id it stands for.
struct ShownValue {
    std::string value;
    unsigned long long count = 0;
    std::string id;
};

/// The values of `attribute` counted in `result`, as shown: labels (the id when two values
/// share one), the attribute's own values only, ordered by `order` (count, most first, then
/// label; or label: French collation), at most `limit`.
std::vector<ShownValue> shown_values(const FacetAttribute& attribute, const SearchResult& result,
                                     FacetOrder order, std::size_t limit);

/// The smallest and largest year counted in `result` (facetStats), if any.
std::optional<std::pair<int, int>> year_range(const SearchResult& result);

} // namespace kb::http::meili

#pragma once

// A Meilisearch filter's syntax tree → the FacetFilters Passerelle runs: per facet an OR-group
// of ids (several groups on one facet intersected when that is exact), exclusions and a year
// range. Values are French labels, ids or aliases, resolved through the facet catalog (types
// to their analysed form, checked against the index later); place.lvl0 filters the primary
// regions, place.lvl1 ("Afrique de l'Ouest > Sénégal") the countries. What FacetFilters cannot
// express (OR across facets, NOT over an AND, comparisons on anything but year) is refused.

#include "core/schema/facet.h"
#include "core/search_types.h"
#include "search-server/meili/facet_attributes.h"
#include "search-server/meili/filter_parser.h"

#include <rapidjson/document.h>

#include <string>

namespace kb::http::meili {

/// The facet attribute a filter names (facet_attributes.h: the facets, place.lvl0 and
/// place.lvl1); throws invalid_search_filter naming the filterable ones.
FacetAttribute filter_attribute(const std::string& attr);

/// The tree as facet filters. Sets `nothing` when the filter is contradictory (type = a AND
/// type = b, `x IN []`, an empty year range). Throws kb::Error(InvalidRequest) for unknown
/// attributes or values, what FacetFilters cannot express, past kMaxFilterValues distinct
/// values or once `budget` has run out.
FacetFilters build_filters(const FilterNode& tree, bool& nothing, const Budget& budget);

/// A JSON `filter` value parsed (parse_filter) and built, within `budget`.
FacetFilters build_filters(const rapidjson::Value& filter, bool& nothing, const Budget& budget);

} // namespace kb::http::meili

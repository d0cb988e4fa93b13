#pragma once

// The facets as Meilisearch clients name them: the schema's facets (theme, actor, country,
// region, type, year: kFacetTable) and two hierarchical attributes for InstantSearch's
// hierarchicalMenu, region > country:
//
//   place.lvl0  a record's primary regions (regions.tsv's partition of the countries), by label
//   place.lvl1  its countries under their primary region: "Afrique de l'Ouest > Sénégal"
//
// Hits carry the same attributes (place as {"lvl0": […], "lvl1": […]}), so facetDistribution,
// filters and hits agree on names and values.

#include "core/schema/facet.h"
#include "core/search_types.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::http::meili {

/// Between a level's labels in place.lvl1 (instant-meilisearch's default separator).
inline const char* const kLevelSeparator = " > ";

/// A facet attribute: which facet it counts, and whether it is a level of place.
struct FacetAttribute {
    enum class Level { None, Lvl0, Lvl1 };
    Facet facet = Facet::Theme;
    Level level = Level::None;

    bool operator==(const FacetAttribute&) const = default;
    /// "country", "place.lvl0", …
    std::string name() const;
};

/// Every attribute, the schema's facets in table order then place.lvl0 and place.lvl1.
const std::vector<FacetAttribute>& facet_attributes();
/// The attribute with this name, if any.
std::optional<FacetAttribute> facet_attribute(std::string_view name);
/// "theme, actor, …, place.lvl0, place.lvl1": the names the errors list.
std::string facet_attribute_list();

/// How a counted value shows under `attribute`, given `shown`, its label (or its id when two
/// values share the label): `shown` itself, or under place.lvl1 "Region > shown". Nothing
/// when the value is none of the attribute's (a region that is no primary one under
/// place.lvl0, a country without a region under place.lvl1).
std::optional<std::string> attribute_value(const FacetAttribute& attribute, const FacetCount& c,
                                           const std::string& shown);

/// How a value shows, in answers and hits alike: a catalog facet's value by its label, unless
/// two entries share the label (then by its id, which a filter resolves too); a type or year
/// by `label` as counted.
std::string shown_label(Facet facet, const std::string& id, const std::string& label);

/// True when the region id is a primary one (the region a country is grouped under).
bool is_primary_region(const std::string& region_id);

/// The label of a region or country id ("" when the catalog has none).
std::string catalog_label(Facet facet, const std::string& id);

} // namespace kb::http::meili

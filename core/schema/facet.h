#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kb {

/// The facets every document carries and every search counts.
enum class Facet { Theme, Actor, Country, Region, Type, Year };

constexpr Facet kAllFacets[] = {Facet::Theme,  Facet::Actor, Facet::Country,
                                Facet::Region, Facet::Type,  Facet::Year};

/// "theme", "actor", "country", "region", "type", "year": the API's names.
const char* facet_name(Facet facet);
/// The facet with this API name, if any.
std::optional<Facet> facet_from_name(std::string_view name);

} // namespace kb

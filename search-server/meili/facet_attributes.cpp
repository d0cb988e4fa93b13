#include "search-server/meili/facet_attributes.h"

#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"

#include <map>
#include <set>

namespace kb::http::meili {

std::string FacetAttribute::name() const {
    switch (level) {
    case Level::Lvl0:
        return "place.lvl0";
    case Level::Lvl1:
        return "place.lvl1";
    case Level::None:
        break;
    }
    return facet_name(facet);
}

const std::vector<FacetAttribute>& facet_attributes() {
    static const std::vector<FacetAttribute> all = [] {
        std::vector<FacetAttribute> list;
        for (const schema::FacetSpec& spec : schema::kFacetTable)
            list.push_back({spec.facet, FacetAttribute::Level::None});
        list.push_back({Facet::Region, FacetAttribute::Level::Lvl0});
        list.push_back({Facet::Country, FacetAttribute::Level::Lvl1});
        return list;
    }();
    return all;
}

std::optional<FacetAttribute> facet_attribute(std::string_view name) {
    for (const FacetAttribute& a : facet_attributes())
        if (a.name() == name)
            return a;
    return std::nullopt;
}

std::string facet_attribute_list() {
    std::string names;
    for (const FacetAttribute& a : facet_attributes())
        names += (names.empty() ? "" : ", ") + a.name();
    return names;
}

bool is_primary_region(const std::string& region_id) {
    // The regions countries are grouped under (regions.tsv's `primary`): each country's parent.
    static const std::set<std::string> primary = [] {
        std::set<std::string> ids;
        for (const auto& [id, e] : FacetCatalog::builtin().entries(Facet::Country))
            if (!e.parent.empty())
                ids.insert(e.parent);
        return ids;
    }();
    return primary.contains(region_id);
}

std::string shown_label(Facet facet, const std::string& id, const std::string& label) {
    if (schema::facet_spec(facet).values_from != schema::FacetValuesFrom::Catalog)
        return label.empty() ? id : label;
    // Labels two entries of a facet share: those values show as their ids.
    static const std::map<Facet, std::set<std::string>> shared = [] {
        std::map<Facet, std::set<std::string>> m;
        const FacetCatalog& catalog = FacetCatalog::builtin();
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            std::map<std::string, int> count;
            for (const auto& [entry_id, e] : catalog.entries(spec.facet))
                if (++count[e.label] == 2)
                    m[spec.facet].insert(e.label);
        }
        return m;
    }();
    const std::string known = catalog_label(facet, id);
    if (known.empty())
        return id;
    auto it = shared.find(facet);
    return it != shared.end() && it->second.contains(known) ? id : known;
}

std::string catalog_label(Facet facet, const std::string& id) {
    const FacetEntry* e = FacetCatalog::builtin().find(facet, id);
    return e ? e->label : "";
}

std::optional<std::string> attribute_value(const FacetAttribute& attribute, const FacetCount& c,
                                           const std::string& shown) {
    switch (attribute.level) {
    case FacetAttribute::Level::None:
        return shown;
    case FacetAttribute::Level::Lvl0:
        if (!is_primary_region(c.id))
            return std::nullopt;
        return shown;
    case FacetAttribute::Level::Lvl1: {
        const std::string region = c.parent.empty() ? "" : shown_label(Facet::Region, c.parent, "");
        if (region.empty())
            return std::nullopt;
        return region + kLevelSeparator + shown;
    }
    }
    return std::nullopt;
}

} // namespace kb::http::meili

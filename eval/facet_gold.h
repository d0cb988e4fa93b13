#pragma once
// The facets a line of the hand-labelled gold set (tests/data/facets_gold.jsonl) expects,
// header-only so that facet_eval and tests/facets_test.cpp read the labels the same way.

#include "core/facets/facet_catalog.h"

#include <rapidjson/document.h>

#include <set>
#include <string>

namespace kb::eval {

struct ExpectedFacets {
    std::set<std::string> countries, actors, themes; ///< themes with their broader themes
};

/// The strings of a JSON array (empty for anything else).
inline std::set<std::string> string_set(const rapidjson::Value& v) {
    std::set<std::string> out;
    if (v.IsArray())
        for (const auto& item : v.GetArray())
            out.insert(item.GetString());
    return out;
}

/// A gold line's "expected" object; broader themes are implied by the narrower ones listed.
inline ExpectedFacets expected_facets(const rapidjson::Value& expected,
                                      const kb::FacetCatalog& catalog) {
    ExpectedFacets out;
    out.countries = string_set(expected["country"]);
    out.actors = string_set(expected["actor"]);
    out.themes = string_set(expected["theme"]);
    for (const auto& t : string_set(expected["theme"]))
        for (const auto& b : catalog.broader_of(t))
            out.themes.insert(b);
    return out;
}

} // namespace kb::eval

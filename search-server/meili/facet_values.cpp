#include "search-server/meili/facet_values.h"

#include "core/analysis/collation.h"

#include <algorithm>
#include <limits>
#include <set>

namespace kb::http::meili {

std::vector<ShownValue> shown_values(const FacetAttribute& attribute, const SearchResult& result,
                                     FacetOrder order, std::size_t limit) {
    std::vector<ShownValue> out;
    auto it = result.facets.find(attribute.facet);
    if (it == result.facets.end())
        return out;
    std::set<std::string> seen;
    for (const FacetCount& c : it->second) {
        if (c.count == 0)
            continue;
        const std::string key = shown_label(attribute.facet, c.id, c.label);
        std::optional<std::string> value = attribute_value(attribute, c, key);
        if (!value || !seen.insert(*value).second)
            continue;
        out.push_back({std::move(*value), c.count, c.id});
    }
    std::stable_sort(out.begin(), out.end(), [&](const ShownValue& a, const ShownValue& b) {
        if (order == FacetOrder::Count && a.count != b.count)
            return a.count > b.count;
        return french_less(a.value, b.value);
    });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

std::optional<std::pair<int, int>> year_range(const SearchResult& result) {
    auto it = result.facets.find(Facet::Year);
    if (it == result.facets.end())
        return std::nullopt;
    std::optional<std::pair<int, int>> range;
    for (const FacetCount& c : it->second) {
        if (c.count == 0 || c.label.size() != 4 ||
            c.label.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const int y = std::stoi(c.label);
        if (!range)
            range = std::pair{y, y};
        range->first = std::min(range->first, y);
        range->second = std::max(range->second, y);
    }
    return range;
}

} // namespace kb::http::meili

#include "search-server/meili/filter_builder.h"

#include "core/analysis/analyzer.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"
#include "search-server/api/search_params.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/facet_attributes.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace kb::http::meili {
namespace {

using Node = FilterNode;

// Labels as the facet distribution shows them → ids, for the facets of the catalog; a label
// two entries share is left out (resolve() decides then).
const std::map<std::string, std::string>& label_ids(Facet facet) {
    static const std::map<Facet, std::map<std::string, std::string>> all = [] {
        std::map<Facet, std::map<std::string, std::string>> m;
        const FacetCatalog& catalog = FacetCatalog::builtin();
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            const Facet f = spec.facet;
            std::map<std::string, int> seen;
            for (const auto& [id, e] : catalog.entries(f))
                ++seen[e.label];
            for (const auto& [id, e] : catalog.entries(f))
                if (seen[e.label] == 1)
                    m[f][e.label] = id;
        }
        return m;
    }();
    static const std::map<std::string, std::string> none;
    auto it = all.find(facet);
    return it == all.end() ? none : it->second;
}

} // namespace

FacetAttribute filter_attribute(const std::string& attr) {
    auto attribute = facet_attribute(attr);
    if (!attribute)
        bad("invalid_search_filter", "Attribute `" + attr.substr(0, 80) +
                                         "` is not filterable. Available filterable attributes "
                                         "are: " +
                                         facet_attribute_list() + ".");
    return *attribute;
}

namespace {

int year_value(const std::string& v) {
    std::string digits = v;
    if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, ".0") == 0)
        digits.resize(digits.size() - 2);
    if (digits.size() != 4 || digits.find_first_not_of("0123456789") != std::string::npos)
        bad("invalid_search_filter",
            "year must be a year (4 digits), got `" + v.substr(0, 40) + "`");
    return std::stoi(digits);
}

std::string resolve_value(Facet facet, const std::string& value) {
    if (value.empty())
        bad("invalid_search_filter", std::string("empty ") + facet_name(facet) + " value");
    if (facet == Facet::Year)
        return std::to_string(year_value(value));
    if (facet == Facet::Type) {
        thread_local Analyzer analyzer;
        return analyzer.fold_phrase(value);
    }
    const auto& labels = label_ids(facet);
    if (auto it = labels.find(value); it != labels.end())
        return it->second;
    if (auto id = FacetCatalog::builtin().resolve(facet, value))
        return *id;
    bad("unknown_facet_value", std::string("unknown ") + facet_name(facet) + " '" +
                                   value.substr(0, 80) + "' (see GET /facets for known values)");
}

[[noreturn]] void unknown_value(const FacetAttribute& attribute, const std::string& value) {
    bad("unknown_facet_value", "unknown " + attribute.name() + " '" + value.substr(0, 80) +
                                   "' (see facetDistribution of " + attribute.name() +
                                   " for its values)");
}

// A value of a facet attribute as its facet's id: place.lvl0 a primary region, place.lvl1
// "Region > Country" whose region is the country's own.
std::string resolve_attribute_value(const FacetAttribute& attribute, const std::string& value) {
    using Level = FacetAttribute::Level;
    if (attribute.level == Level::Lvl1) {
        const std::size_t cut = value.rfind(kLevelSeparator);
        if (cut == std::string::npos)
            unknown_value(attribute, value);
        std::string country = resolve_value(
            Facet::Country, value.substr(cut + std::char_traits<char>::length(kLevelSeparator)));
        const FacetEntry* e = FacetCatalog::builtin().find(Facet::Country, country);
        if (!e || e->parent.empty() ||
            resolve_value(Facet::Region, value.substr(0, cut)) != e->parent)
            unknown_value(attribute, value);
        return country;
    }
    std::string id = resolve_value(attribute.facet, value);
    if (attribute.level == Level::Lvl0 && !is_primary_region(id))
        unknown_value(attribute, value);
    return id;
}

// The filter as a conjunction Passerelle can run: per facet an OR-group of ids (several groups
// on one facet are intersected when that is exact), exclusions, a year range.
class FilterBuilder {
public:
    explicit FilterBuilder(const Budget& budget) : budget_(budget) {}

    void add(const Node& n, bool negated) {
        budget_.check();
        switch (n.kind) {
        case Node::And:
            if (negated && n.kids.size() > 1)
                unsupported("NOT over an AND of several conditions");
            for (const Node& k : n.kids)
                add(k, negated);
            return;
        case Node::Not:
            add(n.kids.front(), !negated);
            return;
        case Node::Or:
            if (negated) { // NOT (a OR b) = NOT a AND NOT b
                for (const Node& k : n.kids)
                    add(k, true);
                return;
            }
            {
                std::optional<Facet> facet;
                std::vector<std::string> ids;
                or_seen_.clear();
                collect_or(n, facet, ids);
                include(*facet, std::move(ids));
            }
            return;
        case Node::Cond:
            condition(n, negated);
            return;
        }
    }

    FacetFilters finish(bool* nothing) {
        FacetFilters f;
        for (auto& [facet, ids] : include_)
            f.include[facet] = ids;
        for (auto& [facet, ids] : exclude_) {
            std::set<std::string> seen;
            for (const std::string& id : ids)
                if (seen.insert(id).second)
                    f.exclude[facet].push_back(id);
        }
        f.year_from = year_from_;
        f.year_to = year_to_;
        if (year_from_ && year_to_ && year_from_ > year_to_)
            nothing_ = true;
        if (nothing)
            *nothing = nothing_;
        return f;
    }

private:
    [[noreturn]] static void unsupported(const std::string& what) {
        bad("invalid_search_filter",
            "Unsupported filter: " + what +
                ". Passerelle runs an AND of conditions, each one "
                "facet's values ORed (`country = SN OR country = LB`), `!=`/NOT on values and year "
                "comparisons.");
    }

    void collect_or(const Node& n, std::optional<Facet>& facet, std::vector<std::string>& ids) {
        if (n.kind == Node::Or) {
            for (const Node& k : n.kids)
                collect_or(k, facet, ids);
            return;
        }
        if (n.kind == Node::And && n.kids.size() == 1)
            return collect_or(n.kids.front(), facet, ids);
        if (n.kind != Node::Cond || (n.op != "=" && n.op != "IN"))
            unsupported("OR of anything but `attribute = value` conditions");
        const FacetAttribute attribute = filter_attribute(n.attr);
        const Facet f = attribute.facet;
        if (facet && *facet != f)
            unsupported(std::string("OR across facets (") + facet_name(*facet) + ", " +
                        facet_name(f) + ")");
        facet = f;
        for (const std::string& v : n.values) {
            std::string id = resolve(attribute, v);
            if (or_seen_.insert(id).second)
                ids.push_back(std::move(id));
        }
    }

    // A value as its id, counted against kMaxFilterValues: an OR of one term per distinct
    // value is what the filter costs the engine.
    std::string resolve(const FacetAttribute& attribute, const std::string& value) {
        std::string id = resolve_attribute_value(attribute, value);
        if (distinct_.emplace(attribute.facet, id).second && distinct_.size() > kMaxFilterValues)
            bad("invalid_search_filter", "the filter names more than " +
                                             std::to_string(kMaxFilterValues) +
                                             " distinct values; narrow it instead");
        return id;
    }

    void include(Facet facet, std::vector<std::string> ids) {
        auto it = include_.find(facet);
        if (it == include_.end()) {
            if (ids.empty())
                nothing_ = true; // `x IN []`
            include_.emplace(facet, std::move(ids));
            return;
        }
        std::vector<std::string>& have = it->second;
        // Sets, so that many groups of many values cost n log n, not n × m.
        auto subset = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
            const std::set<std::string> in_b(b.begin(), b.end());
            for (const std::string& x : a)
                if (!in_b.count(x))
                    return false;
            return true;
        };
        if (facet == Facet::Type || facet == Facet::Year) { // one value per document: intersect
            const std::set<std::string> in_ids(ids.begin(), ids.end());
            std::vector<std::string> both;
            for (const std::string& x : have)
                if (in_ids.count(x))
                    both.push_back(x);
            if (both.empty())
                nothing_ = true;
            else
                have = std::move(both);
        } else if (subset(ids, have)) {
            have = std::move(ids);
        } else if (!subset(have, ids)) {
            unsupported(std::string("AND of different values of the multi-valued facet '") +
                        facet_name(facet) + "'");
        }
    }

    void year_bound(const std::string& op, int y) {
        if (op == ">=" || op == ">") {
            const int from = op == ">" ? y + 1 : y;
            year_from_ = std::max(year_from_, from);
        } else {
            const int to = op == "<" ? y - 1 : y;
            year_to_ = year_to_ ? std::min(year_to_, to) : to;
        }
    }

    void condition(const Node& n, bool negated) {
        const FacetAttribute attribute = filter_attribute(n.attr);
        const Facet facet = attribute.facet;
        std::string op = n.op;
        if (op == "!=") {
            op = "=";
            negated = !negated;
        }
        if (op == "=" || op == "IN") {
            // The parser dropped repeated values; a label and its id still name one value.
            std::vector<std::string> ids;
            std::set<std::string> seen;
            for (const std::string& v : n.values) {
                std::string id = resolve(attribute, v);
                if (seen.insert(id).second)
                    ids.push_back(std::move(id));
            }
            if (negated) {
                for (std::string& id : ids)
                    exclude_[facet].push_back(std::move(id));
            } else {
                include(facet, std::move(ids));
            }
            return;
        }
        if (facet != Facet::Year)
            unsupported(std::string("comparison (") + op + ") on '" + attribute.name() +
                        "'; only year is numeric");
        if (op == "TO") {
            if (negated)
                unsupported("NOT over a TO range");
            year_bound(">=", year_value(n.values[0]));
            year_bound("<=", year_value(n.values[1]));
            return;
        }
        if (negated) { // NOT (year > y) = year <= y …
            op = op == ">" ? "<=" : op == ">=" ? "<" : op == "<" ? ">=" : ">";
        }
        year_bound(op, year_value(n.values[0]));
    }

    const Budget& budget_;
    std::map<Facet, std::vector<std::string>> include_, exclude_;
    std::set<std::pair<Facet, std::string>> distinct_; ///< every value of the filter, as ids
    std::set<std::string> or_seen_;                    ///< the ids of the OR group being read
    int year_from_ = 0, year_to_ = 0;
    bool nothing_ = false;
};
} // namespace

FacetFilters build_filters(const FilterNode& tree, bool& nothing, const Budget& budget) {
    FilterBuilder builder(budget);
    builder.add(tree, false);
    return builder.finish(&nothing);
}

FacetFilters build_filters(const rapidjson::Value& filter, bool& nothing, const Budget& budget) {
    FilterTally tally;
    tally.budget = budget;
    return build_filters(parse_filter(filter, tally), nothing, budget);
}

} // namespace kb::http::meili

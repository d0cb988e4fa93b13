#include "core/search/filters.h"

#include "core/schema/schema.h"

#include <string>
#include <vector>

namespace kb {

Xapian::Query filter_query(const FacetFilters& filters, std::optional<Facet> skip) {
    std::vector<Xapian::Query> required;
    for (const auto& [facet, ids] : filters.include) {
        if (skip && *skip == facet)
            continue;
        std::vector<Xapian::Query> any;
        for (const std::string& id : ids)
            any.emplace_back(std::string(schema::facet_prefix(facet)) + id);
        required.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if ((filters.year_from || filters.year_to) && !(skip && *skip == Facet::Year))
        required.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot,
                              Xapian::sortable_serialise(filters.year_from ? filters.year_from : 0),
                              Xapian::sortable_serialise(filters.year_to ? filters.year_to : 9999));
    Xapian::Query q = required.empty()
                          ? Xapian::Query()
                          : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    std::vector<Xapian::Query> excluded;
    for (const auto& [facet, ids] : filters.exclude)
        for (const std::string& id : ids)
            excluded.emplace_back(std::string(schema::facet_prefix(facet)) + id);
    if (!excluded.empty())
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, q.empty() ? Xapian::Query::MatchAll : q,
                          Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    // The scope is never skipped: counts outside it would tell what it hides.
    if (filters.scope) {
        const Xapian::Query scope = filter_query(*filters.scope);
        if (!scope.empty())
            q = q.empty() ? scope : Xapian::Query(Xapian::Query::OP_AND, q, scope);
    }
    return q;
}

Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter) {
    return filter.empty() ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

bool is_selected(const FacetFilters& filters, Facet facet) {
    return filters.include.count(facet) ||
           (facet == Facet::Year && (filters.year_from || filters.year_to));
}

Xapian::valueno collapse_slot(const SearchRequest& request) {
    // One hit per record (the best of the record and its passages), and by default one per
    // near-duplicate cluster (the same study published on two sites).
    return request.collapse_duplicates ? schema::kClusterSlot : schema::kParentSlot;
}

} // namespace kb

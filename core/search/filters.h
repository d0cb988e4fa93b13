#pragma once

#include "core/schema/facet.h"
#include "core/search_types.h"

#include <xapian.h>

#include <optional>

namespace kb {

/// The filters as one boolean query, leaving out `skip`'s own inclusion filter (disjunctive
/// facets: a facet's counts ignore its own selection). Empty when nothing restricts.
Xapian::Query filter_query(const FacetFilters& filters, std::optional<Facet> skip = std::nullopt);

/// `query` restricted to `filter` (unchanged when the filter is empty).
Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter);

/// True when the filters select values of `facet` (for the year: a range).
bool is_selected(const FacetFilters& filters, Facet facet);

/// The value hits are collapsed on: the near-duplicate cluster, or only the record.
Xapian::valueno collapse_slot(const SearchRequest& request);

} // namespace kb

#pragma once

#include "core/search/facet_counter.h"
#include "core/search/search_context.h"
#include "core/search/vectors.h"

#include <xapian.h>

#include <optional>
#include <vector>

namespace kb {

/// Counts the facets of `query`'s matches into `counter`: all of them when they are at most
/// ranking.facet_sample (and returns nothing: the counts are exact), else about that many
/// spread over the index (and returns the factor that scales the sample's counts to estimates
/// over every match).
std::optional<double> count_facets(SearchContext& ctx, const Xapian::Query& query,
                                   FacetCounter& counter);

/// The facets of a lexical search whose matches are `matched` within `filter` (the request's
/// filters): unselected facets on those matches, each selected facet without its own filter
/// (disjunctive facets). Sets result.facets, facets_exact and, from the counts, the total.
void count_match_facets(SearchContext& ctx, const Xapian::Query& matched,
                        const Xapian::Query& filter, const SearchRequest& request,
                        SearchResult& result);

/// The total of a lexical search without facets: the records (or clusters) among `matched`
/// within `filter`, counted exactly when the matches are at most `exact_up_to` (one pass
/// without weights that stops after that many); beyond, result.total (a lower bound on entry)
/// is raised to the records seen and flagged as a lower bound (result.total_lower_bound). Like
/// count_match_facets, records are told apart by the facet counter, so both totals agree.
void count_match_total(SearchContext& ctx, const Xapian::Query& matched,
                       const Xapian::Query& filter, const SearchRequest& request,
                       Xapian::doccount exact_up_to, SearchResult& result);

/// The most values a request lists per facet (SearchRequest::facet_values; 0: all of them).
std::size_t facet_value_limit(const SearchRequest& request);

/// The facets of the nearest neighbours of a semantic search (every facet, on them only), at
/// most `limit` values each.
void count_neighbour_facets(const Xapian::Database& db,
                            const std::vector<IndexVectors::Neighbour>& found,
                            Xapian::valueno collapse_slot, std::size_t limit, SearchResult& result);

} // namespace kb

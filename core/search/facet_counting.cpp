#include "core/search/facet_counting.h"

#include "core/search/docid_sample.h"
#include "core/search/filters.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kb {

std::optional<double> count_facets(SearchContext& ctx, const Xapian::Query& query,
                                   FacetCounter& counter) {
    const Xapian::Database& db = ctx.index.db();
    // Only the counts are wanted: no weights, no collapsing (the counter groups records and
    // clusters itself), no page.
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    counter.attach(enquire);
    enquire.set_query(query);
    const Xapian::doccount all = db.get_doccount();
    const Xapian::doccount sample = ctx.ranking.facet_sample;
    // A pass cut short by the time budget saw only some matches: its counts are lower bounds,
    // flagged as estimates (scale 1).
    if (sample == 0 || sample >= all) {
        ctx.budget.mset(enquire, 0, 0, all);
        return ctx.budget.timed_out() ? std::optional<double>(1.0) : std::nullopt;
    }
    // Xapian's estimate from the terms' frequencies, before matching anything (check_at_least
    // 0). It can be far off (words that go together), so unless the matches are clearly more
    // than the sample, count the first sample + 1 of them: without weights Xapian stops there
    // on one database (each remote shard stops at its own), and a counter shown at most the
    // sample saw every match.
    Xapian::doccount estimate = enquire.get_mset(0, 0, Xapian::doccount(0)).get_matches_estimated();
    const bool remote = ctx.index.any_remote();
    // Xapian 1.4 stops a weightless match early on one database only: over several local
    // ones (shards, or a shard and the aux database) this pass saw every match.
    const bool one_database = ctx.index.shards().size() <= 1;
    if (remote || estimate < 2 * sample) {
        ctx.budget.mset(enquire, 0, 0, sample + 1);
        if (ctx.budget.timed_out())
            return std::max(1.0, double(estimate) /
                                     double(std::max<Xapian::doccount>(counter.seen(), 1)));
        if (counter.seen() <= sample || (!remote && !one_database))
            return std::nullopt;
        // xapian-tcpsrv cannot rebuild DocidWindows: remote shards keep their first matches,
        // scaled by the estimate.
        if (remote)
            return std::max(1.0, double(estimate) / double(counter.seen()));
        counter.reset();
        enquire.clear_matchspies();
        counter.attach(enquire);
        estimate = std::max(estimate, 2 * sample); // more than the sample, by how much unknown
    }
    // Windows of ids spread over the index, covering about sample / estimate of it (at least
    // 32 of them: small indexes get narrow windows); each count is then divided by the share
    // of ids covered. Local shards each get the same windows over their own ids.
    const Xapian::docid databases = ctx.index.document_databases();
    const Xapian::docid last = db.get_lastdocid() / std::max<Xapian::docid>(databases, 1);
    const double share = double(sample) / double(estimate);
    const auto width = static_cast<Xapian::docid>(std::clamp(last * share / 32, 1.0, 64.0));
    const auto stride = static_cast<Xapian::docid>(std::lround(width / share));
    auto* windows = new DocidWindows(width, stride);
    const double fraction = windows->fraction(last);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(windows->release())));
    ctx.budget.mset(enquire, 0, 0, all);
    return 1.0 / fraction;
}

std::size_t facet_value_limit(const SearchRequest& request) {
    return request.facet_values == 0 ? std::numeric_limits<std::size_t>::max()
                                     : request.facet_values;
}

void count_match_facets(SearchContext& ctx, const Xapian::Query& matched,
                        const Xapian::Query& filter, const SearchRequest& request,
                        SearchResult& result) {
    const Xapian::valueno collapse = collapse_slot(request);
    std::vector<Facet> unselected;
    for (Facet f : kAllFacets)
        if (!is_selected(request.filters, f))
            unselected.push_back(f);
    // Facets without a selection are counted on the query itself, by one counter. When it saw
    // every match, the number of distinct records it found is the exact total; otherwise the
    // total is scaled from the sample like the counts.
    FacetCounter counter(unselected, collapse, ctx.index.any_remote());
    if (const std::optional<double> scale = count_facets(ctx, filtered(matched, filter), counter)) {
        counter.scale_by(*scale);
        const auto scaled =
            static_cast<unsigned long long>(std::llround(double(counter.documents()) * *scale));
        // Cut short by the time budget, the count is a lower bound: Xapian's estimate may be
        // closer.
        result.total = ctx.budget.timed_out() ? std::max(result.total, scaled) : scaled;
        result.total_exact = false;
        result.facets_exact = false;
    } else {
        result.total = counter.documents();
        result.total_exact = true;
    }
    for (Facet f : unselected)
        result.facets[f] = counter.result(f, facet_value_limit(request));
    // A selected facet is counted on the query with every other filter but its own, so
    // ticking Sénégal still shows how many documents Liban would add.
    for (Facet f : kAllFacets) {
        if (!is_selected(request.filters, f))
            continue;
        FacetCounter own({f}, collapse, ctx.index.any_remote());
        if (const auto scale =
                count_facets(ctx, filtered(matched, filter_query(request.filters, f)), own)) {
            own.scale_by(*scale);
            result.facets_exact = false;
        }
        result.facets[f] = own.result(f, facet_value_limit(request));
    }
}

void count_match_total(SearchContext& ctx, const Xapian::Query& matched,
                       const Xapian::Query& filter, const SearchRequest& request,
                       Xapian::doccount exact_up_to, SearchResult& result) {
    FacetCounter counter({}, collapse_slot(request), ctx.index.any_remote());
    Xapian::Enquire enquire(ctx.index.db());
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    counter.attach(enquire);
    enquire.set_query(filtered(matched, filter));
    // Without weights Xapian stops after exact_up_to + 1 matches on one database; the bounds
    // say whether it saw them all (over several databases it may have).
    const Xapian::MSet counted = ctx.budget.mset(enquire, 0, 0, exact_up_to + 1);
    const bool saw_all = !ctx.budget.timed_out() &&
                         counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
    const auto records = static_cast<Xapian::doccount>(counter.documents());
    result.total_exact = saw_all;
    result.total_lower_bound = !saw_all;
    // The records among the matches seen are a lower bound too, often above the ranked
    // match's (result.total on entry, which stopped at the page).
    result.total = saw_all ? records : std::max<Xapian::doccount>(result.total, records);
}

void count_neighbour_facets(const Xapian::Database& db,
                            const std::vector<IndexVectors::Neighbour>& found,
                            Xapian::valueno collapse_slot, std::size_t limit,
                            SearchResult& result) {
    std::vector<Facet> all(std::begin(kAllFacets), std::end(kAllFacets));
    FacetCounter counter(all, collapse_slot);
    for (const IndexVectors::Neighbour& n : found)
        counter.add(db.get_document(n.docid));
    for (Facet f : all)
        result.facets[f] = counter.result(f, limit);
}

} // namespace kb

#include "core/search/lexical.h"

#include "core/schema/schema.h"
#include "core/search/facet_counting.h"
#include "core/search/filters.h"
#include "core/search/hits.h"
#include "core/search/query/query_builder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace kb {
namespace {

// Matches counted exactly when facets are not asked for (cheap at this depth).
constexpr Xapian::doccount kExactTotalUpTo = 5000;

// The query with passage matches weighted `passage_weight` times a whole
// record's match.
Xapian::Query weigh_passages(const Xapian::Query& query, double passage_weight) {
    if (passage_weight == 1.0 || query.empty())
        return query;
    const Xapian::Query records(Xapian::Query::OP_FILTER, query,
                                Xapian::Query(std::string(schema::kRecordKindTerm)));
    const Xapian::Query passages(Xapian::Query::OP_FILTER, query,
                                 Xapian::Query(std::string(schema::kPassageKindTerm)));
    return Xapian::Query(Xapian::Query::OP_OR, records,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, passages, passage_weight));
}

// The unit of the window every page of a search is cut from (run_lexical).
constexpr Xapian::doccount kPageWindow = 50;

// The request may turn synonyms on or off (on without a configured weight: a
// low default); expand=false turns every expansion off, synonyms included.
double synonym_weight(const SearchRequest& request, const RankingParams& scoring) {
    if (!request.expand || (request.synonyms && !*request.synonyms))
        return 0;
    if (request.synonyms && scoring.synonym_weight <= 0)
        return kDefaultSynonymWeight;
    return scoring.synonym_weight;
}

// Equal scores are ordered by record id, not by document id: the order of
// document ids depends on how the index is split in shards (Xapian interleaves
// them), the id does not.
void set_order(Xapian::Enquire& enquire, SortOrder sort, bool browse) {
    switch (sort) {
    case SortOrder::Relevance:
        if (browse)
            enquire.set_sort_by_value(schema::kBrowseSortSlot, true);
        else
            enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
        break;
    case SortOrder::DateNewest:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true);
        break;
    case SortOrder::DateOldest:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false);
        break;
    }
}

// The ranks of a relevance-ordered `mset` in the order pages are cut from: by weight, then by
// record id. Xapian orders equal weights by record id already, but a record's weight over
// shards differs from the one database's in its last bits (the statistics are summed in
// another order): weights equal to 12 digits of the best one are taken as equal, so that
// tied records do not swap between layouts (seen: 8 of 500 first pages at 100k).
std::vector<Xapian::doccount> relevance_order(const Xapian::MSet& mset) {
    std::vector<Xapian::doccount> order(mset.size());
    std::iota(order.begin(), order.end(), Xapian::doccount(0));
    const double best = mset.get_max_attained();
    if (best <= 0)
        return order;
    std::vector<long long> weight(order.size());
    std::vector<std::string> record(order.size());
    for (Xapian::doccount rank = 0; rank < mset.size(); ++rank) {
        const Xapian::MSetIterator it = mset[rank];
        weight[rank] = std::llround(it.get_weight() / best * 1e12);
        record[rank] = it.get_sort_key(); // the record id (set_order)
    }
    std::stable_sort(order.begin(), order.end(), [&](Xapian::doccount a, Xapian::doccount b) {
        return weight[a] != weight[b] ? weight[a] > weight[b] : record[a] < record[b];
    });
    return order;
}

} // namespace

ParsedQuery build_query(SearchContext& ctx, const std::string& text, const SearchRequest& request,
                        bool with_synonyms) {
    RankingParams weights = ctx.scoring;
    weights.synonym_weight = with_synonyms ? synonym_weight(request, ctx.scoring) : 0;
    if (!request.translate)
        weights.translation_weight = 0;
    if (request.matching == WordMatching::All)
        weights.max_all_terms_words = std::numeric_limits<unsigned>::max();
    else if (request.matching == WordMatching::Any)
        weights.max_all_terms_words = 0;
    ParsedQuery parsed = parse_query(text, ctx.analyzer, &ctx.index.db(), request.expand, weights,
                                     request.vocabulary.get());
    if (request.matching == WordMatching::All)
        parsed.relaxed = Xapian::Query(); // never relaxed to any word
    return parsed;
}

void run_lexical(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
                 SearchResult& result, bool snippets) {
    const RankingParams& scoring = ctx.scoring;
    Xapian::Database& db = ctx.index.db();
    const Xapian::doccount offset = (request.page - 1) * request.size;
    // The total is counted by a pass of its own (with the facets, or count_match_total), not
    // by the ranked match: that one stops as soon as it has the page.
    const Xapian::doccount check_at_least = offset + request.size;
    const Xapian::Query filter = filter_query(request.filters);

    Xapian::Enquire enquire(db);
    // min_normlen 0.5 is Xapian's default; k2 = 0 and k3 = 1 likewise (k3 is
    // unused by Xapian for queries without repeated terms).
    enquire.set_weighting_scheme(Xapian::BM25Weight(scoring.k1, 0, 1, scoring.b, 0.5));
    enquire.set_collapse_key(collapse_slot(request));
    set_order(enquire, request.sort, parsed.browse);

    Xapian::Query matched = parsed.browse ? Xapian::Query(std::string(schema::kRecordKindTerm))
                                          : weigh_passages(parsed.query, scoring.passage_weight);
    enquire.set_query(filtered(matched, filter));
    // Every page is cut from one window of whole kPageWindow steps from the first match:
    // Xapian 1.4's top N with a collapse key can leave out a better hit when N is small (seen:
    // the 2nd of the top 10 missing from the top 5, so page 2 repeated page 1's last hit).
    const Xapian::doccount window =
        (offset + request.size + kPageWindow - 1) / kPageWindow * kPageWindow;
    Xapian::MSet mset = ctx.budget.mset(enquire, 0, window, check_at_least);
    result.mode = parsed.browse         ? MatchMode::Browse
                  : parsed.requires_all ? MatchMode::AllTerms
                                        : MatchMode::AnyTerms;
    // How many records have every word, counted exactly up to few_all_terms (an estimate
    // could differ between one database and its shards).
    Xapian::doccount all_terms = mset.get_matches_estimated();
    if (!parsed.relaxed.empty() && all_terms > 0 && scoring.few_all_terms > 0) {
        const Xapian::doccount few = scoring.few_all_terms;
        all_terms = window >= few ? std::min<Xapian::doccount>(mset.size(), few)
                                  : ctx.budget.mset(enquire, 0, few, few).size();
    }
    if (!parsed.relaxed.empty() && (all_terms == 0 || all_terms < scoring.few_all_terms)) {
        matched = weigh_passages(parsed.relaxed, scoring.passage_weight);
        enquire.set_query(filtered(matched, filter));
        mset = ctx.budget.mset(enquire, 0, window, check_at_least);
        result.mode = all_terms == 0 ? MatchMode::RelaxedAnyTerms : MatchMode::FewAllTerms;
        result.all_terms_total = all_terms;
    }
    result.expansions = parsed.expansions;
    result.highlight = parsed.highlight;
    result.query_language = parsed.english ? "en" : "fr";
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.total_lower_bound = false;
    if (!result.total_exact && !request.facets) {
        result.total = mset.get_matches_lower_bound();
        count_match_total(ctx, matched, filter, request, kExactTotalUpTo, result);
    }
    result.hits.clear();
    const Xapian::doccount end = std::min<Xapian::doccount>(mset.size(), offset + request.size);
    std::vector<Xapian::doccount> order;
    if (request.sort == SortOrder::Relevance && !parsed.browse)
        order = relevance_order(mset);
    for (Xapian::doccount rank = offset; rank < end; ++rank) {
        const Xapian::MSetIterator it = mset[order.empty() ? rank : order[rank]];
        // How it matched first: the snippet marks expansions' words only in a hit that
        // matched through them.
        Hit how;
        if (request.explain || !parsed.concepts.empty())
            explain_match(parsed,
                          std::set<std::string>(enquire.get_matching_terms_begin(it),
                                                enquire.get_matching_terms_end(it)),
                          ctx.analyzer, request.explain, how);
        Hit hit =
            make_hit(it.get_document(), it.get_weight(),
                     how.via.empty() ? parsed.typed_highlight : parsed.highlight, ctx.analyzer,
                     request.highlight_pre, request.highlight_post, snippets && request.snippets);
        hit.via = std::move(how.via);
        hit.matched_terms = std::move(how.matched_terms);
        // Relative to the query's best match (max_attained is over every match, not only this
        // page's): Xapian's own percentage would also scale by the share of the query's terms
        // the best match has, which a concept's or an acronym's many alternatives make small.
        const double best = mset.get_max_attained();
        hit.relevance = parsed.browse || best <= 0 ? 1.0 : std::min(1.0, it.get_weight() / best);
        // Document::get_docid() of a document of a database made of several
        // (shards) is its id in its own shard in Xapian 1.4; fusion and the vectors
        // need the combined one.
        hit.docid = *it;
        hit.group = it.get_collapse_key();
        result.hits.push_back(std::move(hit));
    }
    result.facets.clear();
    result.facets_exact = true;
    if (request.facets)
        count_match_facets(ctx, matched, filter, request, result);
}

} // namespace kb

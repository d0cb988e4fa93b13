#include "searcher.h"

#include "document_builder.h"
#include "error.h"
#include "facets/facet_counter.h"
#include "query_builder.h"
#include "schema.h"
#include "snippet.h"

#include <chrono>
#include <memory>
#include <optional>

namespace kb {

const char* to_string(MatchMode mode) {
    switch (mode) {
    case MatchMode::AllTerms: return "all_terms";
    case MatchMode::AnyTerms: return "any_terms";
    case MatchMode::RelaxedAnyTerms: return "relaxed_any_terms";
    case MatchMode::Browse: return "browse";
    }
    return "unknown";
}

Searcher::Searcher(const std::string& index_path) : path_(index_path) {
    try {
        db_ = Xapian::Database(index_path);
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(ErrorKind::Unavailable, "index_unavailable",
                    "cannot open index " + index_path + ": " + e.get_msg() +
                        " (run the indexer first: ./kb index)");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "index_unavailable",
                    "cannot open index " + index_path + ": " + e.get_description());
    }
}

void Searcher::refresh() { db_.reopen(); }

bool Searcher::knows(Facet facet, const std::string& id) const {
    return db_.term_exists(std::string(schema::facet_prefix(facet)) + id);
}

std::string Searcher::last_commit() const {
    return db_.get_metadata(std::string(schema::kLastCommitKey));
}

// A writer committing while we read can invalidate our snapshot: reopen and retry once.
template <typename F> auto Searcher::with_retry(F&& f) {
    try {
        return f();
    } catch (const Xapian::DatabaseModifiedError&) {
        db_.reopen();
        return f();
    }
}

std::string Searcher::spelling_correction(const std::string& query) {
    // Replaces, in the raw query, each word the index does not know by Xapian's suggestion
    // (built from the corpus' accented words), leaving operators and syntax untouched.
    std::string corrected;
    std::size_t cursor = 0;
    bool changed = false;
    for (const Token& t : analyzer_.tokenize(query)) {
        if (t.compound || t.implied || t.stopword || t.kind != TokenKind::Word || t.term.size() < 3)
            continue;
        if (db_.get_termfreq(std::string(schema::kStemPrefix) + analyzer_.stem(t.term)) > 0)
            continue;
        const std::string suggestion =
            db_.get_spelling_suggestion(t.accented.empty() ? t.term : t.accented, 2);
        if (suggestion.empty()) continue;
        corrected.append(query, cursor, t.begin - cursor);
        corrected += suggestion;
        cursor = t.end;
        changed = true;
    }
    if (!changed) return {};
    corrected.append(query, cursor, std::string::npos);
    return corrected;
}

namespace {

// Most values a facet lists in a response.
constexpr std::size_t kMaxFacetValues = 100;

// The filters as one boolean query, leaving out `skip`'s own inclusion filter (disjunctive
// facets: a facet's counts ignore its own selection). Empty when nothing restricts.
Xapian::Query filter_query(const FacetFilters& filters, std::optional<Facet> skip) {
    std::vector<Xapian::Query> required;
    for (const auto& [facet, ids] : filters.include) {
        if (skip && *skip == facet) continue;
        std::vector<Xapian::Query> any;
        for (const std::string& id : ids) any.emplace_back(std::string(schema::facet_prefix(facet)) + id);
        required.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if ((filters.year_from || filters.year_to) && !(skip && *skip == Facet::Year))
        required.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot,
                              Xapian::sortable_serialise(filters.year_from ? filters.year_from : 0),
                              Xapian::sortable_serialise(filters.year_to ? filters.year_to : 9999));
    Xapian::Query q = required.empty() ? Xapian::Query()
                                       : Xapian::Query(Xapian::Query::OP_AND, required.begin(),
                                                       required.end());
    std::vector<Xapian::Query> excluded;
    for (const auto& [facet, ids] : filters.exclude)
        for (const std::string& id : ids)
            excluded.emplace_back(std::string(schema::facet_prefix(facet)) + id);
    if (!excluded.empty())
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, q.empty() ? Xapian::Query::MatchAll : q,
                          Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    return q;
}

Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter) {
    return filter.empty() ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

bool is_selected(const FacetFilters& filters, Facet facet) {
    return filters.include.count(facet) ||
           (facet == Facet::Year && (filters.year_from || filters.year_to));
}

} // namespace

void Searcher::run(const std::string& query, const SearchRequest& request, SearchResult& result) {
    const ParsedQuery parsed = parse_query(query, analyzer_, &db_);
    const Xapian::doccount offset = (request.page - 1) * request.size;
    // Facet counts must see every match; without facets, count exactly up to 1000 matches.
    const Xapian::doccount check_at_least =
        request.facets ? db_.get_doccount()
                       : std::max<Xapian::doccount>(offset + request.size, 1000);
    const Xapian::Query filter = filter_query(request.filters, std::nullopt);

    Xapian::Enquire enquire(db_);
    switch (request.sort) {
    case SortOrder::Relevance:
        if (parsed.browse) enquire.set_sort_by_value(schema::kDateSlot, true);
        break;
    case SortOrder::DateNewest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true); break;
    case SortOrder::DateOldest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false); break;
    }
    // Facets without a selection are counted on the main query itself.
    std::vector<std::unique_ptr<FacetCounter>> counters;
    if (request.facets)
        for (Facet f : kAllFacets)
            if (!is_selected(request.filters, f)) {
                counters.push_back(std::make_unique<FacetCounter>(f));
                enquire.add_matchspy(counters.back().get());
            }

    Xapian::Query matched = parsed.query;
    enquire.set_query(filtered(matched, filter));
    Xapian::MSet mset = enquire.get_mset(offset, request.size, check_at_least);
    result.mode = parsed.browse         ? MatchMode::Browse
                  : parsed.requires_all ? MatchMode::AllTerms
                                        : MatchMode::AnyTerms;
    if (mset.get_matches_estimated() == 0 && !parsed.relaxed.empty()) {
        matched = parsed.relaxed;
        enquire.set_query(filtered(matched, filter));
        enquire.clear_matchspies();
        for (auto& c : counters) {
            c = std::make_unique<FacetCounter>(c->facet());
            enquire.add_matchspy(c.get());
        }
        mset = enquire.get_mset(offset, request.size, check_at_least);
        result.mode = MatchMode::RelaxedAnyTerms;
    }
    result.expansions = parsed.expansions;
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.hits.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Record r = decode_record(it.get_document().get_data());
        Hit hit;
        hit.id = r.id;
        hit.title = r.title;
        hit.date = r.date;
        hit.type = r.type;
        hit.publisher = r.publisher;
        hit.url = r.url;
        hit.score = it.get_weight();
        hit.snippet = make_snippet(r.text, parsed.highlight, analyzer_);
        result.hits.push_back(std::move(hit));
    }

    result.facets.clear();
    if (!request.facets) return;
    for (const auto& c : counters) result.facets[c->facet()] = c->result(kMaxFacetValues);
    // A selected facet is counted on the query with every other filter but its own, so
    // ticking Sénégal still shows how many documents Liban would add.
    for (Facet f : kAllFacets) {
        if (!is_selected(request.filters, f)) continue;
        Xapian::Enquire own(db_);
        FacetCounter counter(f);
        own.add_matchspy(&counter);
        own.set_query(filtered(matched, filter_query(request.filters, f)));
        own.get_mset(0, 0, db_.get_doccount());
        result.facets[f] = counter.result(kMaxFacetValues);
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = request.q;
    result.page = request.page;
    result.size = request.size;

    with_retry([&] {
        run(request.q, request, result);
        if (result.total == 0 || result.mode == MatchMode::RelaxedAnyTerms) {
            result.did_you_mean = spelling_correction(request.q);
            if (result.total == 0 && !result.did_you_mean.empty()) {
                run(result.did_you_mean, request, result);
                result.corrected = true;
            }
        }
        return 0;
    });

    result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               started)
                         .count();
    return result;
}

std::optional<Record> Searcher::document(const std::string& id) {
    return with_retry([&]() -> std::optional<Record> {
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term)) return std::nullopt;
        return decode_record(db_.get_document(*it).get_data());
    });
}

} // namespace kb

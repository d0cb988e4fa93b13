#include "searcher.h"

#include "document_builder.h"
#include "analysis/word_normalizer.h"
#include "error.h"
#include "facets/facet_catalog.h"
#include "facets/facet_counter.h"
#include "query_builder.h"
#include "schema.h"
#include "passages.h"
#include "snippet.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
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

Xapian::doccount Searcher::document_count() const {
    return db_.get_termfreq(std::string(schema::kRecordKindTerm));
}


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

// Length of a snippet, in bytes of the original text.
constexpr std::size_t kSnippetBytes = 320;

// An index term as a user can read it in `explain`.
std::string readable_term(const std::string& term) {
    auto starts = [&](std::string_view p) { return term.compare(0, p.size(), p) == 0; };
    if (starts(schema::kTitleStemPrefix)) return "titre-racine:" + term.substr(schema::kTitleStemPrefix.size());
    if (starts(schema::kStemPrefix)) return "racine:" + term.substr(schema::kStemPrefix.size());
    if (starts(schema::kAccentedPrefix)) return "accent:" + term.substr(schema::kAccentedPrefix.size());
    if (starts(schema::kTitlePrefix)) return "titre:" + term.substr(schema::kTitlePrefix.size());
    if (starts("X")) return "filtre:" + term;
    return "mot:" + term;
}

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

// A hit from a matched record or passage document.
Hit make_hit(const Xapian::Document &doc, double weight, const HighlightTerms &highlight,
             const Analyzer &analyzer, const std::string &pre, const std::string &post,
             bool snippet = true) {
    Record r = decode_record(doc.get_data());
    Hit hit;
    hit.id = r.id;
    hit.title = r.title;
    hit.date = r.date;
    hit.type = r.type;
    hit.publisher = r.publisher;
    hit.url = r.url;
    hit.score = weight;
    std::size_t window = 0;
    if (snippet)
        hit.snippet = make_snippet(r.text, highlight, analyzer, kSnippetBytes, pre, post, &window);
    if (auto p = r.metadata.find("passage"); p != r.metadata.end()) {
        hit.passage = std::stoi(p->second);
        if (auto page = r.metadata.find("page"); page != r.metadata.end())
            hit.page = std::stoul(page->second) + page_at(r.text, window) - 1;
    } else if (r.text.find('\f') != std::string::npos) {
        hit.page = page_at(r.text, window);
    }
    return hit;
}

// The query with passage matches weighted `passage_weight` times a whole record's match.
Xapian::Query weigh_passages(const Xapian::Query &query, double passage_weight) {
    if (passage_weight == 1.0 || query.empty())
        return query;
    const Xapian::Query records(Xapian::Query::OP_FILTER, query,
                                Xapian::Query(std::string(schema::kRecordKindTerm)));
    const Xapian::Query passages(Xapian::Query::OP_FILTER, query,
                                 Xapian::Query(std::string(schema::kPassageKindTerm)));
    return Xapian::Query(Xapian::Query::OP_OR, records,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, passages, passage_weight));
}

bool is_selected(const FacetFilters& filters, Facet facet) {
    return filters.include.count(facet) ||
           (facet == Facet::Year && (filters.year_from || filters.year_to));
}

} // namespace

void Searcher::run(const std::string& query, const SearchRequest& request, SearchResult& result) {
    QueryOptions options;
    options.expand = request.expand;
    options.title_boost = ranking_.title_boost;
    options.exact_boost = ranking_.exact_boost;
    options.concept_weight = ranking_.concept_weight;
    options.max_all_terms_words = ranking_.max_all_terms_words;
    const ParsedQuery parsed = parse_query(query, analyzer_, &db_, options);
    const Xapian::doccount offset = (request.page - 1) * request.size;
    // Facet counts must see every match. Without them, Xapian may skip documents that cannot
    // reach the page (its max-weight optimisations): much faster, and the total becomes an
    // estimate, flagged as such (total_exact: false) when it is one.
    const Xapian::doccount check_at_least =
        request.facets ? db_.get_doccount() : offset + request.size;
    const Xapian::Query filter = filter_query(request.filters, std::nullopt);

    Xapian::Enquire enquire(db_);
    // min_normlen 0.5 is Xapian's default; k2 = 0 and k3 = 1 likewise (k3 is unused by
    // Xapian for queries without repeated terms).
    enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.k1, 0, 1, ranking_.b, 0.5));
    // One hit per record (the best of the record and its passages), and by default one per
    // near-duplicate cluster (the same study published on two sites).
    const Xapian::valueno collapse_slot =
        request.collapse_duplicates ? schema::kClusterSlot : schema::kParentSlot;
    enquire.set_collapse_key(collapse_slot);
    switch (request.sort) {
    case SortOrder::Relevance:
        if (parsed.browse) enquire.set_sort_by_value(schema::kDateSlot, true);
        break;
    case SortOrder::DateNewest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true); break;
    case SortOrder::DateOldest: enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false); break;
    }
    // Facets without a selection are counted on the main query itself, by one spy.
    std::vector<Facet> unselected;
    for (Facet f : kAllFacets)
        if (!is_selected(request.filters, f)) unselected.push_back(f);
    auto counter = std::make_unique<FacetCounter>(unselected, collapse_slot);
    if (request.facets) enquire.add_matchspy(counter.get());

    Xapian::Query matched = parsed.browse ? Xapian::Query(std::string(schema::kRecordKindTerm))
                                          : weigh_passages(parsed.query, ranking_.passage_weight);
    enquire.set_query(filtered(matched, filter));
    Xapian::MSet mset = enquire.get_mset(offset, request.size, check_at_least);
    result.mode = parsed.browse         ? MatchMode::Browse
                  : parsed.requires_all ? MatchMode::AllTerms
                                        : MatchMode::AnyTerms;
    if (mset.get_matches_estimated() == 0 && !parsed.relaxed.empty()) {
        matched = weigh_passages(parsed.relaxed, ranking_.passage_weight);
        enquire.set_query(filtered(matched, filter));
        enquire.clear_matchspies();
        counter = std::make_unique<FacetCounter>(unselected, collapse_slot);
        if (request.facets) enquire.add_matchspy(counter.get());
        mset = enquire.get_mset(offset, request.size, check_at_least);
        result.mode = MatchMode::RelaxedAnyTerms;
    }
    result.expansions = parsed.expansions;
    result.query_language = parsed.english ? "en" : "fr";
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.hits.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit = make_hit(it.get_document(), it.get_weight(), parsed.highlight, analyzer_,
                           request.highlight_pre, request.highlight_post, request.snippets);
        if (request.explain)
            for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it); ++t)
                hit.matched_terms.push_back(readable_term(*t));
        result.hits.push_back(std::move(hit));
    }
    // With facet counts every match was seen: the number of distinct records is exact.
    if (request.facets) {
        result.total = counter->documents();
        result.total_exact = true;
    }

    result.facets.clear();
    if (!request.facets) return;
    for (Facet f : unselected) result.facets[f] = counter->result(f, kMaxFacetValues);
    // A selected facet is counted on the query with every other filter but its own, so
    // ticking Sénégal still shows how many documents Liban would add.
    for (Facet f : kAllFacets) {
        if (!is_selected(request.filters, f)) continue;
        Xapian::Enquire own(db_);
        own.set_collapse_key(collapse_slot);
        FacetCounter own_counter({f}, collapse_slot);
        own.add_matchspy(&own_counter);
        own.set_query(filtered(matched, filter_query(request.filters, f)));
        own.get_mset(0, 0, db_.get_doccount());
        result.facets[f] = own_counter.result(f, kMaxFacetValues);
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

namespace {

// Only stemmed body terms describe what a document is about (no ids, filters or positions).
class StemTermsOnly : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        return term.size() > schema::kStemPrefix.size() + 2 &&
               term.compare(0, schema::kStemPrefix.size(), schema::kStemPrefix) == 0 &&
               term.compare(0, schema::kTitleStemPrefix.size(), schema::kTitleStemPrefix) != 0;
    }
};

constexpr Xapian::termcount kSimilarTerms = 25;

} // namespace

SearchResult Searcher::similar(const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = id;
    result.size = size;
    with_retry([&] {
        const std::string term = id_term(id);
        auto posting = db_.postlist_begin(term);
        if (posting == db_.postlist_end(term))
            throw Error(ErrorKind::NotFound, "document_not_found", "no document with id '" + id + "'");
        Xapian::Enquire enquire(db_);
        Xapian::RSet rset;
        rset.add_document(*posting);
        StemTermsOnly decider;
        Xapian::ESet eset = enquire.get_eset(kSimilarTerms, rset, &decider);
        std::vector<Xapian::Query> terms;
        HighlightTerms highlight;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
            highlight.stems.insert((*t).substr(schema::kStemPrefix.size()));
        }
        result.hits.clear();
        result.mode = MatchMode::AnyTerms;
        if (terms.empty()) return 0;
        enquire.set_collapse_key(schema::kParentSlot);
        enquire.set_query(Xapian::Query(
            Xapian::Query::OP_AND_NOT,
            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
            Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(term),
                          Xapian::Query(passage_term(id)))));
        Xapian::MSet mset = enquire.get_mset(0, size);
        result.total = mset.get_matches_estimated();
        result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        for (auto it = mset.begin(); it != mset.end(); ++it)
            result.hits.push_back(make_hit(it.get_document(), it.get_weight(), highlight, analyzer_,
                                           "<mark>", "</mark>"));
        return 0;
    });
    result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               started)
                         .count();
    return result;
}

std::vector<Suggestion> Searcher::suggest(std::string_view typed, unsigned limit) {
    std::vector<Suggestion> out;
    const std::string folded = analyzer_.fold_phrase(typed);
    if (folded.empty() || limit == 0) return out;
    std::set<std::string> seen;
    auto add = [&](Suggestion s) {
        std::string key = analyzer_.fold_phrase(s.text);
        if (out.size() < limit && seen.insert(key).second) out.push_back(std::move(s));
    };

    // Facet values whose label, then whose alias, starts with the text; after the corpus'
    // own words and titles, those with a later word that starts with it.
    const FacetCatalog& catalog = FacetCatalog::builtin();
    auto facet_values = [&](int pass) {
        for (Facet facet : {Facet::Theme, Facet::Actor, Facet::Country, Facet::Region})
            for (const auto& [alias, id] : catalog.aliases(facet)) {
                const FacetEntry* e = catalog.find(facet, id);
                if (!e) continue;
                const bool is_label = catalog.is_label(facet, alias);
                const bool starts = alias.compare(0, folded.size(), folded) == 0;
                const bool word_starts = alias.find(" " + folded) != std::string::npos;
                const bool wanted = pass == 0 ? starts && is_label
                                    : pass == 1 ? starts && !is_label
                                                : word_starts && !starts;
                if (!wanted) continue;
                if (facet == Facet::Country && !db_.term_exists(std::string(schema::kCountryPrefix) + id))
                    continue; // only countries the corpus talks about
                add({e->label, facet_name(facet), id});
            }
    };
    facet_values(0);

    with_retry([&] {
        // The words typed; the last one is a prefix.
        std::vector<Token> tokens = analyzer_.tokenize(typed);
        std::vector<Xapian::Query> parts;
        std::string last;
        for (const Token& t : tokens) {
            if (t.compound || t.implied) continue;
            if (!last.empty())
                parts.emplace_back(std::string(schema::kTitlePrefix) + last);
            last = t.term;
        }
        // Frequent words of the corpus starting with the last word, shown with their accents.
        if (last.size() >= 2 && out.size() < limit) {
            std::vector<std::pair<Xapian::doccount, std::string>> words;
            // Bounded: a two-letter prefix on a large index must stay fast.
            for (auto t = db_.allterms_begin(last); t != db_.allterms_end(last) && words.size() < 5000; ++t)
                words.emplace_back(t.get_termfreq(), *t);
            std::sort(words.rbegin(), words.rend());
            std::map<std::string, std::string> accented;
            const std::string ascii = last.substr(0, std::min<std::size_t>(last.size(), 3));
            const std::string eprefix = std::string(schema::kAccentedPrefix) + ascii;
            for (auto t = db_.allterms_begin(eprefix);
                 t != db_.allterms_end(eprefix) && accented.size() < 5000; ++t) {
                std::string form = (*t).substr(schema::kAccentedPrefix.size());
                accented.emplace(normalize_word(form).folded, form);
            }
            const std::string head = folded.substr(0, folded.size() - last.size());
            for (const auto& [freq, word] : words) {
                if (analyzer_.stopwords().contains(word) || word.size() < 3) continue;
                auto a = accented.find(word);
                add({head + (a == accented.end() ? word : a->second), "term", ""});
                if (out.size() >= limit - limit / 3) break; // leave room for titles
            }
        }
        // Titles of the best documents whose title has the words.
        if (last.size() >= 2 && out.size() < limit) {
            parts.emplace_back(Xapian::Query::OP_WILDCARD, std::string(schema::kTitlePrefix) + last,
                               50, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
            Xapian::Enquire enquire(db_);
            enquire.set_collapse_key(schema::kParentSlot);
            enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
            Xapian::MSet mset = enquire.get_mset(0, 5);
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                Record r = decode_record(it.get_document().get_data());
                if (!r.title.empty()) add({r.title, "title", r.id});
            }
        }
        return 0;
    });
    facet_values(1);
    facet_values(2);
    return out;
}

std::vector<std::string> Searcher::duplicates_of(const std::string& id) {
    return with_retry([&] {
        std::vector<std::string> out;
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term)) return out;
        const std::string cluster =
            std::string(schema::kClusterPrefix) + db_.get_document(*it).get_value(schema::kClusterSlot);
        for (auto p = db_.postlist_begin(cluster); p != db_.postlist_end(cluster); ++p) {
            const std::string other = db_.get_document(*p).get_value(schema::kParentSlot);
            if (other != id) out.push_back(other);
        }
        return out;
    });
}

std::optional<Record> Searcher::document(const std::string& id) {
    return with_retry([&]() -> std::optional<Record> {
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term)) return std::nullopt;
        return decode_record(db_.get_document(*it).get_data());
    });
}

std::vector<PassageInfo> Searcher::passages(const std::string& id) {
    return with_retry([&] {
        std::vector<PassageInfo> out;
        const std::string term = passage_term(id);
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
            Record r = decode_record(db_.get_document(*it).get_data());
            PassageInfo p;
            p.n = std::stoul(r.metadata["passage"]);
            p.page = r.metadata.count("page") ? std::stoul(r.metadata["page"]) : 0;
            p.begin = std::stoull(r.metadata["begin"]);
            p.length = r.text.size();
            out.push_back(p);
        }
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.n < b.n; });
        return out;
    });
}

} // namespace kb

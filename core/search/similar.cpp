#include "core/search/similar.h"

#include "core/embedding/embedder.h"
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "core/schema/schema.h"
#include "core/search/hits.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace kb {
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

double elapsed_ms(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
        .count();
}

// The posting of the record `id` in `db`; throws kb::Error(NotFound) when there is none.
Xapian::docid record_docid(const Xapian::Database& db, const std::string& id) {
    const std::string term = id_term(id);
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term))
        throw Error(ErrorKind::NotFound, "document_not_found", "no document with id '" + id + "'");
    return *posting;
}

SearchResult by_terms(SearchContext& ctx, const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = id;
    result.size = size;
    ctx.index.with_retry([&] {
        const Xapian::Database& db = ctx.index.db();
        const Xapian::docid docid = record_docid(db, id);
        Xapian::Enquire enquire(db);
        Xapian::RSet rset;
        rset.add_document(docid);
        StemTermsOnly decider;
        // Exact term frequencies: by default Xapian approximates them on a database made of
        // several (shards), which changes the terms' weights and so the results.
        Xapian::ESet eset =
            enquire.get_eset(kSimilarTerms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> terms;
        HighlightTerms highlight;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
            highlight.stems.insert((*t).substr(schema::kStemPrefix.size()));
        }
        result.hits.clear();
        result.mode = MatchMode::AnyTerms;
        if (terms.empty())
            return 0;
        enquire.set_collapse_key(schema::kParentSlot);
        enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
        enquire.set_query(
            Xapian::Query(Xapian::Query::OP_AND_NOT,
                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                          Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(id_term(id)),
                                        Xapian::Query(passage_term(id)))));
        Xapian::MSet mset = enquire.get_mset(0, size);
        result.total = mset.get_matches_estimated();
        result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        for (auto it = mset.begin(); it != mset.end(); ++it)
            result.hits.push_back(make_hit(it.get_document(), it.get_weight(), highlight,
                                           ctx.analyzer, "<mark>", "</mark>"));
        result.highlight = std::move(highlight);
        return 0;
    });
    result.shards = ctx.index.shard_status();
    result.took_ms = elapsed_ms(started);
    return result;
}

SearchResult by_vectors(SearchContext& ctx, const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = id;
    result.size = size;
    result.search_mode = SearchMode::Semantic;
    result.mode = MatchMode::AnyTerms;
    ctx.index.with_retry([&] {
        const Xapian::Database& db = ctx.index.db();
        const Xapian::docid docid = record_docid(db, id);
        ctx.vectors.require(ctx.index);
        const unsigned dimension = ctx.vectors.dimension();
        // The record's vector: its own, or the mean of its passages' vectors.
        std::vector<Xapian::docid> own = {docid};
        const std::string passages = passage_term(id);
        for (auto p = db.postlist_begin(passages); p != db.postlist_end(passages); ++p)
            own.push_back(*p);
        std::vector<float> v(dimension, 0.0f);
        for (Xapian::docid d : own)
            if (const float* row = ctx.vectors.vector_of(d))
                for (unsigned i = 0; i < dimension; ++i)
                    v[i] += row[i];
        l2_normalise(v);
        result.hits.clear();
        const std::vector<IndexVectors::Neighbour> found =
            ctx.vectors.neighbours(ctx.index, v, Xapian::Query(), schema::kParentSlot, size, own);
        result.total = found.size();
        result.total_exact = false;
        for (const IndexVectors::Neighbour& n : found)
            result.hits.push_back(make_hit(db.get_document(n.docid), n.similarity, {}, ctx.analyzer,
                                           "<mark>", "</mark>"));
        return 0;
    });
    result.took_ms = elapsed_ms(started);
    return result;
}

// Reciprocal Rank Fusion (k = rrf_k, equal weights) of both lists.
SearchResult by_both(SearchContext& ctx, const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    constexpr unsigned kDepth = 50;
    SearchResult vectors = by_vectors(ctx, id, std::max(size, kDepth));
    SearchResult terms = by_terms(ctx, id, std::max(size, kDepth));
    std::map<std::string, std::pair<double, Hit>> fused;
    for (SearchResult* list : {&terms, &vectors})
        for (std::size_t i = 0; i < list->hits.size(); ++i) {
            auto& entry = fused[list->hits[i].id];
            if (entry.second.id.empty())
                entry.second = list->hits[i];
            entry.first += 1.0 / (ctx.ranking.rrf_k + double(i + 1));
        }
    std::vector<std::pair<double, Hit>> ranked;
    ranked.reserve(fused.size());
    for (auto& [key, entry] : fused)
        ranked.push_back(std::move(entry));
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    SearchResult result = std::move(terms);
    result.total = ranked.size();
    result.total_exact = false;
    result.size = size;
    result.search_mode = SearchMode::Hybrid;
    result.hits.clear();
    for (std::size_t i = 0; i < ranked.size() && i < size; ++i) {
        ranked[i].second.score = ranked[i].first;
        result.hits.push_back(std::move(ranked[i].second));
    }
    result.took_ms = elapsed_ms(started);
    return result;
}

} // namespace

SearchResult find_similar(SearchContext& ctx, const std::string& id, unsigned size,
                          SimilarMethod method) {
    switch (method) {
    case SimilarMethod::Terms:
        return by_terms(ctx, id, size);
    case SimilarMethod::Vectors:
        return by_vectors(ctx, id, size);
    case SimilarMethod::Hybrid:
        break;
    }
    return by_both(ctx, id, size);
}

} // namespace kb

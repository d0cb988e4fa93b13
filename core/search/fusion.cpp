#include "core/search/fusion.h"

#include "core/embedding/embedder.h"
#include "core/indexing/document_builder.h"
#include "core/search/filters.h"
#include "core/search/hits.h"

#include <algorithm>
#include <map>
#include <optional>

namespace kb {
namespace {

// A record of either ranking, with where each put it.
struct Candidate {
    std::optional<Hit> lexical;
    Xapian::docid docid = 0;
    Hit::Ranking ranking;
};

// The lexical hits, then the neighbours not among them, one candidate per
// group.
std::vector<Candidate> candidates_of(std::vector<Hit>& hits,
                                     const std::vector<IndexVectors::Neighbour>& found) {
    std::vector<Candidate> candidates;
    std::map<std::string, std::size_t> by_group;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        Candidate c;
        c.docid = hits[i].docid;
        c.ranking.lexical_rank = static_cast<unsigned>(i + 1);
        c.ranking.lexical_score = hits[i].score;
        by_group.emplace(hits[i].group, candidates.size());
        c.lexical = std::move(hits[i]);
        candidates.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < found.size(); ++i) {
        auto [it, added] = by_group.emplace(found[i].group, candidates.size());
        if (added) {
            candidates.emplace_back();
            candidates.back().docid = found[i].docid;
        }
        Candidate& c = candidates[it->second];
        c.ranking.vector_rank = static_cast<unsigned>(i + 1);
        c.ranking.vector_similarity = found[i].similarity;
    }
    return candidates;
}

// Convex fusion needs a similarity for lexical candidates the neighbours
// missed: the best of the matched document's vector and its record's passages.
void fill_similarities(const Xapian::Database& db, const IndexVectors& vectors,
                       const std::vector<float>& query_vector, std::vector<Candidate>& candidates) {
    for (Candidate& c : candidates) {
        if (c.ranking.vector_similarity || !c.lexical)
            continue;
        float best = -2;
        if (const float* v = vectors.vector_of(c.docid))
            best = dot(query_vector.data(), v, vectors.dimension());
        const std::string term = passage_term(c.lexical->id);
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
            if (const float* v = vectors.vector_of(*p))
                best = std::max(best, dot(query_vector.data(), v, vectors.dimension()));
        if (best > -2)
            c.ranking.vector_similarity = best;
    }
}

void score(std::vector<Candidate>& candidates, Fusion fusion, double wv, double rrf_k) {
    const double wl = 1.0 - wv;
    double max_lexical = 0, min_sim = 1, max_sim = -1;
    for (const Candidate& c : candidates) {
        max_lexical = std::max(max_lexical, c.ranking.lexical_score);
        if (c.ranking.vector_similarity) {
            min_sim = std::min(min_sim, *c.ranking.vector_similarity);
            max_sim = std::max(max_sim, *c.ranking.vector_similarity);
        }
    }
    for (Candidate& c : candidates) {
        Hit::Ranking& r = c.ranking;
        if (fusion == Fusion::Rrf) {
            r.fused_score = (r.lexical_rank ? wl / (rrf_k + r.lexical_rank) : 0) +
                            (r.vector_rank ? wv / (rrf_k + r.vector_rank) : 0);
        } else {
            const double lex = max_lexical > 0 ? r.lexical_score / max_lexical : 0;
            const double sim = r.vector_similarity && max_sim > min_sim
                                   ? (*r.vector_similarity - min_sim) / (max_sim - min_sim)
                                   : 0;
            r.fused_score = wl * lex + wv * sim;
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                         return a.ranking.fused_score > b.ranking.fused_score;
                     });
}

} // namespace

void fuse(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
          SearchResult& result) {
    ctx.vectors.require(ctx.index);
    const Xapian::Database& db = ctx.index.db();
    const Fusion fusion = request.fusion.value_or(ctx.ranking.fusion);
    const double wv =
        std::clamp(request.vector_weight.value_or(ctx.ranking.vector_weight), 0.0, 1.0);
    const std::size_t depth =
        std::max<std::size_t>(ctx.ranking.depth, std::size_t(request.page) * request.size);
    const std::vector<float> query_vector = ctx.vectors.embedder().embed(request.q);
    const bool any = any_nonzero(query_vector);
    const std::vector<IndexVectors::Neighbour> found =
        any ? ctx.vectors.neighbours(ctx.index, query_vector, filter_query(request.filters),
                                     collapse_slot(request), depth)
            : std::vector<IndexVectors::Neighbour>{};

    std::vector<Candidate> candidates = candidates_of(result.hits, found);
    if (fusion == Fusion::Convex && any)
        fill_similarities(db, ctx.vectors, query_vector, candidates);
    score(candidates, fusion, wv, ctx.ranking.rrf_k);

    const std::size_t offset = std::size_t(request.page - 1) * request.size;
    std::size_t vector_only = 0;
    for (const Candidate& c : candidates)
        vector_only += c.lexical ? 0 : 1;
    result.total += vector_only;
    if (vector_only)
        result.total_exact = false;
    result.page = request.page;
    result.size = request.size;
    result.hits.clear();
    // The best score each fusion can give: a record first in both rankings (rrf), or best in
    // both (convex).
    const double best = fusion == Fusion::Rrf ? 1.0 / (ctx.ranking.rrf_k + 1) : 1.0;
    for (std::size_t i = offset; i < candidates.size() && i < offset + request.size; ++i) {
        Candidate& c = candidates[i];
        const bool via = c.lexical && !c.lexical->via.empty();
        Hit hit = make_hit(db.get_document(c.docid), c.ranking.fused_score,
                           via ? parsed.highlight : parsed.typed_highlight, ctx.analyzer,
                           request.highlight_pre, request.highlight_post);
        if (c.lexical) {
            hit.matched_terms = std::move(c.lexical->matched_terms);
            hit.via = std::move(c.lexical->via);
        }
        hit.relevance = std::clamp(c.ranking.fused_score / best, 0.0, 1.0);
        if (request.explain)
            hit.ranking = c.ranking;
        result.hits.push_back(std::move(hit));
    }
}

} // namespace kb

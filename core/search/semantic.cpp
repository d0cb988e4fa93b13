#include "core/search/semantic.h"

#include "core/embedding/embedder.h"
#include "core/search/facet_counting.h"
#include "core/search/filters.h"
#include "core/search/hits.h"

#include <algorithm>

namespace kb {

void run_semantic(SearchContext& ctx, const ParsedQuery& parsed, const SearchRequest& request,
                  SearchResult& result) {
    ctx.vectors.require(ctx.index);
    const Xapian::Database& db = ctx.index.db();
    result.expansions = parsed.expansions;
    result.highlight = parsed.highlight;
    result.query_language = parsed.english ? "en" : "fr";
    result.mode = MatchMode::AnyTerms;
    const Xapian::valueno collapse = collapse_slot(request);
    const std::size_t offset = std::size_t(request.page - 1) * request.size;
    // The candidates: the `depth` nearest records (or as many as the page needs);
    // the total and the facet counts are over them, so total_exact is false.
    const std::size_t pool = std::max<std::size_t>(ctx.ranking.depth, offset + request.size);
    const std::vector<float> query_vector = ctx.vectors.embedder().embed(request.q);
    std::vector<IndexVectors::Neighbour> found;
    if (any_nonzero(query_vector))
        found = ctx.vectors.neighbours(ctx.index, query_vector, filter_query(request.filters),
                                       collapse, pool);
    result.total = found.size();
    result.total_exact = found.empty();
    result.hits.clear();
    for (std::size_t i = offset; i < found.size() && i < offset + request.size; ++i) {
        Hit hit =
            make_hit(db.get_document(found[i].docid), found[i].similarity, parsed.typed_highlight,
                     ctx.analyzer, request.highlight_pre, request.highlight_post);
        hit.group = found[i].group;
        hit.relevance = std::clamp(static_cast<double>(found[i].similarity), 0.0, 1.0);
        if (request.explain) {
            Hit::Ranking r;
            r.vector_rank = static_cast<unsigned>(i + 1);
            r.vector_similarity = found[i].similarity;
            r.fused_score = found[i].similarity;
            hit.ranking = r;
        }
        result.hits.push_back(std::move(hit));
    }
    result.facets.clear();
    if (request.facets)
        count_neighbour_facets(db, found, collapse, facet_value_limit(request), result);
}

} // namespace kb

#include "core/search/searcher.h"

#include "core/schema/schema.h"
#include "core/search/cache_key.h"
#include "core/search/fusion.h"
#include "core/search/lexical.h"
#include "core/search/lookups.h"
#include "core/search/recovery.h"
#include "core/search/result_cache.h"
#include "core/search/semantic.h"
#include "core/search/similar.h"
#include "core/search/suggest.h"

#include <algorithm>
#include <chrono>

namespace kb {

Xapian::doccount Searcher::document_count() const {
    return index_.db().get_termfreq(std::string(schema::kRecordKindTerm));
}

bool Searcher::knows(Facet facet, const std::string& id) const {
    return index_.db().term_exists(std::string(schema::facet_prefix(facet)) + id);
}

std::string Searcher::last_commit() const {
    return index_.db().get_metadata(std::string(schema::kLastCommitKey));
}

std::optional<std::string> Searcher::cache_key(const SearchRequest& request) {
    return result_cache_key(index_, ranking_, scoring_, request);
}

SearchResult Searcher::search(const SearchRequest& request) {
    if (!cache_)
        return compute(request);
    const auto started = std::chrono::steady_clock::now();
    const std::optional<std::string> key = cache_key(request);
    if (key)
        if (std::optional<SearchResult> page = cache_->find(*key)) {
            page->cached = true;
            page->took_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            return std::move(*page);
        }
    SearchResult result = compute(request);
    // A commit seen while computing (with_retry reopened the database) makes the
    // page belong to a newer revision than the key says: then it is not stored.
    // Nor is a page cut short by the time budget: the same search may finish
    // another time.
    if (key && !result.shards.partial() && !result.timed_out && cache_key(request) == key)
        cache_->insert(*key, result);
    return result;
}

SearchResult Searcher::compute(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    budget_.start(started, ranking_.time_limit_ms);
    SearchContext ctx = context();
    SearchResult result;
    result.query = request.q;
    result.page = request.page;
    result.size = request.size;
    // Vectors rank by relevance to a text: browsing (no words) and date sorts
    // stay lexical.
    SearchMode mode = request.mode.value_or(ranking_.default_mode);
    if (!request.mode && mode == SearchMode::Hybrid) {
        // Hybrid by default is lexical ranking refined by vectors: without usable
        // vectors (an index built without them, or a write not embedded yet) it is
        // still lexical ranking, so answer that and say so rather than fail. An
        // explicit mode=hybrid still gets 409.
        const std::string status = index_.with_retry([&] { return vector_status(); });
        if (status != "ready") {
            mode = SearchMode::Lexical;
            result.mode_fallback = status == "none" ? "no_vectors" : "vectors_stale";
        }
    }
    if (mode != SearchMode::Lexical)
        index_.with_retry([&] {
            vectors_.require(index_);
            return 0;
        });
    if (request.q.find_first_not_of(" \t\r\n") == std::string::npos ||
        request.sort != SortOrder::Relevance)
        mode = SearchMode::Lexical;
    result.search_mode = mode;

    index_.with_retry([&] {
        // The query is built once per text searched, and every step reads that one.
        if (mode == SearchMode::Semantic) {
            run_semantic(ctx, build_query(ctx, request.q, request, false), request, result);
            return 0;
        }
        // Hybrid: the lexical ranking's first `depth` records are candidates for
        // fusion.
        SearchRequest lexical = request;
        if (mode == SearchMode::Hybrid) {
            lexical.page = 1;
            lexical.size = std::max(ranking_.depth, request.page * request.size);
        }
        const bool snippets = mode == SearchMode::Lexical;
        ParsedQuery parsed = build_query(ctx, request.q, request);
        run_lexical(ctx, parsed, lexical, result, snippets);
        if (result.total == 0 || result.mode == MatchMode::RelaxedAnyTerms)
            recover(ctx, request, lexical, parsed, result, snippets);
        // Fusion marks, in its page's snippets, the words of the query that was
        // matched.
        if (mode == SearchMode::Hybrid)
            fuse(ctx, parsed, request, result);
        return 0;
    });
    result.shards = index_.shard_status();
    result.timed_out = budget_.timed_out();
    budget_.stop();

    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

SearchResult Searcher::similar(const std::string& id, unsigned size, SimilarMethod method) {
    SearchContext ctx = context();
    return find_similar(ctx, id, size, method);
}

std::vector<Suggestion> Searcher::suggest(std::string_view typed, unsigned limit,
                                          const FacetFilters& filters) {
    SearchContext ctx = context();
    return kb::suggest(ctx, typed, limit, filters);
}

std::vector<std::string> Searcher::duplicates_of(const std::string& id) {
    return find_duplicates(index_, id);
}

std::optional<Record> Searcher::document(const std::string& id) {
    return find_document(index_, id);
}

std::vector<NamedConcept> Searcher::facets_of(const std::string& id) {
    return find_facets(index_, id);
}

std::vector<PassageInfo> Searcher::passages(const std::string& id) {
    return find_passages(index_, id);
}

} // namespace kb

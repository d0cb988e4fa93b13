#pragma once

// Meilisearch search bodies → a SearchRequest and what the answer must look like (paging
// mode, attributes, highlight tags), and the paging translation: Meilisearch's offset/limit or
// page/hitsPerPage onto the engine's (page, size) windows.

#include "core/schema/facet.h"
#include "core/search_types.h"
#include "search-server/api/http_types.h"
#include "search-server/api/search_params.h"
#include "search-server/meili/facet_attributes.h"
#include "search-server/meili/filter_parser.h"
#include "search-server/meili/settings_store.h"

#include <rapidjson/document.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace kb::http {
struct Context;
}

namespace kb::http::meili {

/// The one index's uid; any other is index_not_found.
inline const char* const kIndexUid = "documents";
/// Most hits one request returns (Meilisearch's default maxTotalHits is 1000 too).
constexpr unsigned kMaxLimit = 1000;
/// Private highlight markers asked of the engine, replaced by the client's tags afterwards.
inline const std::string kPre = "\x02", kPost = "\x03";

/// One search query as read from its body.
struct MeiliQuery {
    SearchRequest search;
    bool nothing = false;               ///< the filter is contradictory: no search runs
    std::vector<FacetAttribute> facets; ///< asked for facetDistribution
    /// The index settings this query runs with (prepare()); null before.
    std::shared_ptr<const IndexSettings> settings;
    unsigned max_total_hits = kMaxResultDepth; ///< the settings' maxTotalHits (prepare())
    bool page_mode = false;
    unsigned page = 1, hits_per_page = 20, offset = 0, limit = 20;
    bool retrieve_all = true;
    std::set<std::string> retrieve;
    bool formatted = false, highlight_all = false;
    std::set<std::string> highlight;
    std::string pre = "<em>", post = "</em>";
    /// attributesToCrop: each attribute with its crop length in words ("text:20"; else
    /// crop_length); "*" crops every text attribute.
    std::map<std::string, unsigned> crop;
    unsigned crop_length = 10;
    std::string crop_marker = "\u2026";
    bool show_ranking_score = false;
};

/// A query's result and how long it took.
struct Answer {
    SearchResult result;
    double took_ms = 0;
};

/// The request's body as a JSON object (missing_payload, malformed_payload, bad_request).
rapidjson::Document parse_body(const Request& request);

/// Throws NotFound index_not_found unless `uid` is kIndexUid.
void check_index(const std::string& uid);

/// One query object of a search or multi-search body. Fields it does not read
/// (showMatchesPosition, attributesToSearchOn, distinct, vector, rankingScoreThreshold,
/// locales, …) are accepted and ignored, as Meilisearch's clients send many.
MeiliQuery parse_query_object(const rapidjson::Value& body, const Budget& budget);

/// Makes the query the request's and the index's: the tenant token's scope (apply_scope), the
/// index settings' vocabulary, maxTotalHits and how many facet values to count. Before
/// reachable_limit and run.
void prepare(MeiliQuery& m, const Request& request, Context& context);

/// The hits of [offset, offset + limit) the engine can reach (maxTotalHits).
unsigned reachable_limit(const MeiliQuery& m);

/// Runs the query: the (page, size) window of the engine that covers [offset, offset + limit),
/// cut to that range. Unknown types in the filter are unknown_facet_value.
Answer run(MeiliQuery& m, Context& context);

} // namespace kb::http::meili

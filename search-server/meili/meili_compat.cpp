#include "search-server/meili/meili_compat.h"

#include "core/error.h"
#include "search-server/api/errors.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_writer.h"
#include "search-server/meili/answer.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/filter_builder.h"
#include "search-server/meili/meili_admin.h"
#include "search-server/meili/request.h"
#include "search-server/meili/response.h"

#include <rapidjson/document.h>

#include <string>
#include <tuple>
#include <vector>

namespace kb::http {
namespace {

using namespace meili;
using Value = rapidjson::Value;
using Writer = JsonWriter;

const char* const kJson = "application/json; charset=utf-8";
/// Most queries in one multi-search.
constexpr rapidjson::SizeType kMaxMultiSearchQueries = 100;

} // namespace

Response handle_meili_search(const Request& request, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        const rapidjson::Document body = parse_body(request);
        MeiliQuery m = parse_query_object(body, Budget::of(context.settings.ranking.time_limit_ms));
        prepare(m, request, context);
        const Answer a = run(m, context);
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        write_result(w, buffer, m, a, context, nullptr);
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_multi_search(const Request& request, Context& context, const RouteMatch&) {
    return meili_answer([&] {
        const rapidjson::Document body = parse_body(request);
        if (member(body, "federation"))
            bad("invalid_multi_search_federation",
                "federated multi-search is not supported: send `queries` only");
        const Value* queries = member(body, "queries");
        if (!queries || !queries->IsArray())
            bad("invalid_multi_search_queries",
                "Missing field `queries` (an array of search queries with `indexUid`)");
        if (queries->Size() > kMaxMultiSearchQueries)
            bad("invalid_multi_search_queries",
                "at most " + std::to_string(kMaxMultiSearchQueries) + " queries per multi-search");
        // One budget for the whole request: its filters, and its queries one after the other.
        const Budget budget = Budget::of(context.settings.ranking.time_limit_ms);
        // Every query is read (and refused) before any runs, so that the caps on the whole
        // request hold before the engine does any work.
        std::vector<std::tuple<std::string, MeiliQuery, Answer>> done;
        unsigned long long hits = 0, depth = 0;
        for (rapidjson::SizeType i = 0; i < queries->Size(); ++i) {
            try {
                const Value& q = (*queries)[i];
                if (!q.IsObject())
                    bad("bad_request", "a query must be a JSON object");
                const Value* uid = member(q, "indexUid");
                if (!uid || !uid->IsString())
                    bad("missing_index_uid", "Missing field `indexUid`");
                check_index(str(*uid));
                MeiliQuery m = parse_query_object(q, budget);
                prepare(m, request, context);
                const unsigned limit = reachable_limit(m);
                hits += limit;
                depth += limit > 0 ? m.offset + limit : 0;
                done.emplace_back(str(*uid), std::move(m), Answer{});
            } catch (const Error& e) {
                if (e.kind() != ErrorKind::InvalidRequest && e.kind() != ErrorKind::NotFound)
                    throw;
                return meili_error_response(e, "Inside `.queries[" + std::to_string(i) + "]`: ");
            }
        }
        // What one search may ask (kMaxLimit hits, ranked down to kMaxResultDepth), the whole
        // multi-search may ask: 100 queries of offset 999 and limit 1000 are refused, not run.
        if (hits > kMaxLimit)
            bad("invalid_multi_search_queries", "the queries ask for " + std::to_string(hits) +
                                                    " hits in all; a multi-search " +
                                                    "returns at most " + std::to_string(kMaxLimit) +
                                                    " (the sum of their limits, or hitsPerPage)");
        if (depth > kMaxResultDepth)
            bad("invalid_multi_search_queries",
                "the queries reach " + std::to_string(depth) + " results deep in all (the sum of " +
                    "offset + limit); a multi-search reaches at most " +
                    std::to_string(kMaxResultDepth));
        for (std::size_t i = 0; i < done.size(); ++i) {
            if (i > 0 && Clock::now() > budget.deadline)
                bad("invalid_multi_search_queries",
                    "the multi-search ran out of its time budget of " + budget.shown() +
                        " ms (search.time_limit_ms) after " + std::to_string(i) + " of " +
                        std::to_string(done.size()) + " queries; send fewer or simpler queries");
            auto& [uid, m, a] = done[i];
            a = run(m, context);
        }
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        w.StartObject();
        w.Key("results");
        w.StartArray();
        for (const auto& [uid, m, a] : done)
            write_result(w, buffer, m, a, context, &uid);
        w.EndArray();
        w.EndObject();
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_facet_search(const Request& request, Context& context,
                                   const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        const rapidjson::Document body = parse_body(request);
        const Value* name = member(body, "facetName");
        if (!name)
            bad("missing_facet_search_facet_name", "Missing field `facetName`");
        if (!name->IsString())
            bad("invalid_facet_search_facet_name",
                "Invalid value type at `.facetName`: expected a string");
        auto facet = facet_attribute(str(*name));
        if (!facet)
            bad("invalid_facet_search_facet_name",
                "Attribute `" + str(*name).substr(0, 80) +
                    "` is not filterable. Available filterable attributes are: " +
                    facet_attribute_list() + ".");
        std::string facet_query;
        bool has_query = false;
        if (const Value* fq = member(body, "facetQuery")) {
            if (!fq->IsString())
                bad("invalid_facet_search_facet_query",
                    "Invalid value type at `.facetQuery`: expected a string");
            facet_query = str(*fq);
            has_query = true;
        }
        // The query's other fields as a search (facets, pagination and sort do not apply).
        rapidjson::Document copy;
        copy.CopyFrom(body, copy.GetAllocator());
        for (const char* drop : {"facets", "page", "hitsPerPage", "offset", "limit", "sort"})
            copy.RemoveMember(drop);
        MeiliQuery m = parse_query_object(copy, Budget::of(context.settings.ranking.time_limit_ms));
        m.facets = {*facet};
        prepare(m, request, context);
        m.search.facets = true;
        m.search.facet_values = 0; // the values matching facetQuery among all of them
        m.limit = 0;
        m.offset = 0;
        m.page_mode = false;
        const Answer a = run(m, context);
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        write_facet_search(w, m, *facet, a, facet_query, has_query);
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_index(const Request&, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        write_index(w, context);
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

} // namespace kb::http

#define BOOST_TEST_MODULE meili
// The Meilisearch-compatible layer (search-server/meili_compat.cpp) through dispatch(), without
// sockets, on an in-memory index: the filter grammar and its errors, the caps on filters,
// multi-searches and responses, the NUL rule of every JSON entry, the time budget.
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "search-server/api/router.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_input.h"
#include "search-server/meili/filter_builder.h"
#include "search-server/meili/meili_compat.h"
#include "tests/dispatch_support.h"

#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <string>

using kb::http::Request;
using kb::http::Response;

namespace {

// A JSON `filter` value read and built as a search body's is (what the routes do with it).
kb::FacetFilters meili_filter_from_json(const std::string& json) {
    rapidjson::Document doc;
    kb::http::parse_client_json(
        doc, json, {"invalid_search_filter", "filter is not valid JSON", "invalid_search_filter"});
    bool nothing = false;
    return kb::http::meili::build_filters(doc, nothing, kb::http::meili::Budget::of(2000));
}

// 240 records: a third mention the Sénégal, a third the Mali, a third the Liban; years 2000 to
// 2019; each has 40 KB of text, so that 240 whole texts outweigh kMaxResponseBytes.
struct Fixture : kb::test::DispatchFixture {
    Fixture() : DispatchFixture(make_db()) {}

    static constexpr int kRecords = 240;

    // Built once: the cases only read it.
    static Xapian::Database make_db() {
        static const Xapian::Database db = [] {
            Xapian::WritableDatabase w(std::string(), Xapian::DB_BACKEND_INMEMORY);
            kb::Analyzer analyzer;
            // One 40 KB word: heavy to send back, light to index (a word over 100 bytes is
            // one hashed term).
            const std::string filler(40000, 'x');
            for (int i = 0; i < kRecords; ++i) {
                kb::Record r;
                r.id = "r/" + std::to_string(i);
                const char* country = i % 3 == 0 ? "Sénégal" : i % 3 == 1 ? "Mali" : "Liban";
                r.title = std::string("Eau potable, ") + country;
                r.text = std::string("Coopération décentralisée sur l’eau potable avec le ") +
                         country + ". " + filler;
                r.date = std::to_string(2000 + i % 20) + "-01-01";
                r.type = i % 2 ? "étude" : "rapport";
                w.add_document(kb::build_document(r, analyzer));
            }
            w.commit();
            return Xapian::Database(w);
        }();
        return db;
    }

    Response post(const std::string& path, const std::string& body) {
        Request r;
        r.method = "POST";
        r.path = path;
        r.body = body;
        r.headers["content-type"] = "application/json";
        return send(std::move(r));
    }
    Response search(const std::string& body) { return post("/indexes/documents/search", body); }
    // A search with this filter (a JSON value); the limit 0 keeps bodies small, and counting a
    // facet makes the total exact (else it is Xapian's estimate).
    Response filtered(const std::string& filter) {
        return search(R"({"q":"eau","limit":0,"facets":["type"],"filter":)" + filter + "}");
    }
};

rapidjson::Document json(const Response& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str(), r.body.size());
    BOOST_REQUIRE_MESSAGE(!d.HasParseError(), r.body.substr(0, 300));
    return d;
}

std::uint64_t total(const Response& r) {
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body.substr(0, 300));
    const auto d = json(r);
    return d["estimatedTotalHits"].GetUint64();
}

// A Meilisearch-shaped error with this code; returns its message.
std::string error(const Response& r, int status, const std::string& code) {
    BOOST_TEST(r.status == status, r.status << " " << r.body.substr(0, 300));
    if (r.status != status)
        return "";
    const auto d = json(r);
    BOOST_TEST(std::string(d["code"].GetString()) == code, r.body.substr(0, 300));
    BOOST_TEST(std::string(d["type"].GetString()) == "invalid_request");
    BOOST_TEST(std::string(d["error"]["code"].GetString()) == code);
    return std::string(d["message"].GetString(), d["message"].GetStringLength());
}

std::string repeated(const std::string& item, std::size_t n, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += (i ? sep : "") + item;
    return out;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

} // namespace

BOOST_FIXTURE_TEST_SUITE(meili, Fixture)

BOOST_AUTO_TEST_CASE(filter_grammar_selects_what_it_says) {
    const std::uint64_t all = total(filtered(quoted("")));
    BOOST_TEST(all == std::uint64_t(kRecords));
    BOOST_TEST(total(filtered(quoted("country = SN"))) == 80u);
    BOOST_TEST(total(filtered(quoted("country = Sénégal"))) == 80u); // the label resolves
    BOOST_TEST(total(filtered(quoted("country IN [SN, ML]"))) == 160u);
    BOOST_TEST(total(filtered(quoted("country = SN OR country = ML"))) == 160u);
    BOOST_TEST(total(filtered(quoted("country != SN"))) == 160u);
    BOOST_TEST(total(filtered(quoted("NOT country IN [SN, ML]"))) == 80u);
    BOOST_TEST(total(filtered(quoted("year > 2009"))) == 120u);
    BOOST_TEST(total(filtered(quoted("year 2000 TO 2004"))) == 60u);
    BOOST_TEST(total(filtered(quoted("year >= 2010 AND (country = SN OR country = ML)"))) == 80u);
    BOOST_TEST(total(filtered(quoted("type = 'étude' AND country = \\\"SN\\\""))) == 40u);
    BOOST_TEST(total(filtered(R"([["country = SN", "country = ML"], "year < 2010"])")) == 80u);
    BOOST_TEST(total(filtered(quoted("type = étude AND type = rapport"))) == 0u);
    BOOST_TEST(total(filtered(quoted("country IN []"))) == 0u);
}

BOOST_AUTO_TEST_CASE(each_filter_error_is_a_400_naming_the_problem) {
    struct Case {
        std::string filter, code, says;
    };
    const Case cases[] = {
        {quoted("country IN [SN, ML"), "invalid_search_filter", "expected ',' or ']'"},
        {quoted("country = 'SN"), "invalid_search_filter", "unclosed quote"},
        {quoted("country SN"), "invalid_search_filter", "expected an operator"},
        {quoted("country : SN"), "invalid_search_filter", "':' is not an operator"},
        {quoted("country EXISTS"), "invalid_search_filter", "not supported"},
        {quoted("(country = SN"), "invalid_search_filter", "missing ')'"},
        {quoted("country = SN AND"), "invalid_search_filter", "missing a name or value"},
        {quoted("colour = red"), "invalid_search_filter", "is not filterable"},
        {quoted("country = Atlantide"), "unknown_facet_value", "unknown country 'Atlantide'"},
        {quoted("country = SN OR year = 2010"), "invalid_search_filter", "OR across facets"},
        {quoted("year > deux"), "invalid_search_filter", "year must be a year"},
        {quoted("country > SN"), "invalid_search_filter", "only year is numeric"},
        {"42", "invalid_search_filter", "expected an array or a string"},
        {R"([[["country = SN"]]])", "invalid_search_filter", "arrays may nest once"},
    };
    for (const Case& c : cases) {
        const std::string message = error(filtered(c.filter), 400, c.code);
        BOOST_TEST(message.find(c.says) != std::string::npos, c.filter << ": " << message);
    }
}

BOOST_AUTO_TEST_CASE(repeated_in_values_cost_one_value) {
    // 20,000 repeats of one value, 60 KB: the parser keeps one.
    const std::string many = "country IN [" + repeated("SN", 20000, ",") + "]";
    BOOST_TEST(many.size() > 60000u);
    const kb::FacetFilters f = meili_filter_from_json(quoted(many));
    BOOST_REQUIRE(f.include.count(kb::Facet::Country));
    BOOST_TEST(f.include.at(kb::Facet::Country).size() == 1u);
    // The same answer as one value, hits included.
    auto without_time = [](const std::string& body) {
        const auto at = body.find("\"processingTimeMs\"");
        return body.substr(0, at) + body.substr(body.find(',', at));
    };
    const Response one = search(R"({"q":"eau","limit":50,"filter":"country IN [SN]"})");
    const Response repeats = search(R"({"q":"eau","limit":50,"filter":")" + many + "\"}");
    BOOST_TEST(repeats.status == 200);
    BOOST_TEST(without_time(repeats.body) == without_time(one.body));
    // Array filters too: repeated OR members and repeated labels of one id.
    const std::string group = "[[" + repeated(quoted("country = SN"), 900, ",") + "," +
                              quoted("country = Sénégal") + "]]";
    const kb::FacetFilters g = meili_filter_from_json(group);
    BOOST_TEST(g.include.at(kb::Facet::Country).size() == 1u);
    const kb::FacetFilters excluded = meili_filter_from_json(
        quoted("country NOT IN [" + repeated("SN", 5000, ",") + "] AND country != Sénégal"));
    BOOST_TEST(excluded.exclude.at(kb::Facet::Country).size() == 1u);
}

BOOST_AUTO_TEST_CASE(filters_over_a_cap_are_400_naming_the_limit) {
    using namespace kb::http;
    // Bytes: a string filter, and an array filter's strings summed.
    std::string message = error(
        filtered(quoted("country IN [" + repeated("SN", kMaxFilterBytes / 3 + 10, ",") + "]")), 400,
        "invalid_search_filter");
    BOOST_TEST(message.find(std::to_string(kMaxFilterBytes) + " bytes") != std::string::npos,
               message);
    const std::string half =
        quoted("country IN [" + repeated("SN", kMaxFilterBytes / 5, ",") + "]");
    message = error(filtered("[" + half + "," + half + "]"), 400, "invalid_search_filter");
    BOOST_TEST(message.find(std::to_string(kMaxFilterBytes) + " bytes") != std::string::npos,
               message);
    // Conditions: 1,001 of them, even of one value.
    message = error(filtered(quoted(repeated("country = SN", kMaxFilterClauses + 1, " OR "))), 400,
                    "invalid_search_filter");
    BOOST_TEST(message.find(std::to_string(kMaxFilterClauses) + " conditions") != std::string::npos,
               message);
    BOOST_TEST(filtered(quoted(repeated("country = SN", kMaxFilterClauses, " OR "))).status == 200);
    // Distinct values: years 1000 to 2000 are 1,001 of them.
    std::string years;
    for (std::size_t y = 1000; y <= 1000 + kMaxFilterValues; ++y)
        years += (years.empty() ? "" : ",") + std::to_string(y);
    message = error(filtered(quoted("year IN [" + years + "]")), 400, "invalid_search_filter");
    BOOST_TEST(message.find(std::to_string(kMaxFilterValues) + " distinct values") !=
                   std::string::npos,
               message);
    // Nesting: parentheses and NOT.
    const std::size_t deep = kMaxFilterDepth + 1;
    message =
        error(filtered(quoted(std::string(deep, '(') + "country = SN" + std::string(deep, ')'))),
              400, "invalid_search_filter");
    BOOST_TEST(message.find(std::to_string(kMaxFilterDepth) + " levels") != std::string::npos,
               message);
    message = error(filtered(quoted(repeated("NOT", deep, " ") + " country = SN")), 400,
                    "invalid_search_filter");
    BOOST_TEST(message.find("levels") != std::string::npos, message);
    const std::size_t ok = kMaxFilterDepth - 1;
    BOOST_TEST(
        filtered(quoted(std::string(ok, '(') + "country = SN" + std::string(ok, ')'))).status ==
        200);
}

BOOST_AUTO_TEST_CASE(nested_json_arrays_are_cut_at_the_depth_cap) {
    using kb::http::kMaxJsonDepth;
    // [[[[…"country = SN"…]]]]: refused before anything walks it.
    for (std::size_t depth : {kMaxJsonDepth, std::size_t(1000), std::size_t(100000)}) {
        const std::string nested =
            std::string(depth, '[') + quoted("country = SN") + std::string(depth, ']');
        const std::string message = error(filtered(nested), 400, "bad_request");
        BOOST_TEST(message.find("deeper than " + std::to_string(kMaxJsonDepth)) !=
                       std::string::npos,
                   message);
        BOOST_CHECK_THROW(meili_filter_from_json(nested), kb::Error);
    }
    // The same rule for POST /search and the facet search.
    const std::string deep_object = repeated("{\"a\":", 40, "") + "1" + std::string(40, '}');
    Response r = post("/search", deep_object);
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.body.find("deeper than") != std::string::npos, r.body);
    r = post("/indexes/documents/facet-search",
             R"({"facetName":"country","x":)" + deep_object + "}");
    BOOST_TEST(error(r, 400, "bad_request").find("deeper than") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(multi_search_caps_total_hits_and_depth) {
    auto queries = [](std::size_t n, const std::string& query) {
        return R"({"queries":[)" + repeated(query, n, ",") + "]}";
    };
    // The issue's request: 100 queries of offset 999 + limit 1000 with text.
    const std::string heavy =
        R"({"indexUid":"documents","q":"","offset":999,"limit":1000,"attributesToRetrieve":["text"]})";
    std::string message =
        error(post("/multi-search", queries(100, heavy)), 400, "invalid_multi_search_queries");
    BOOST_TEST(message.find("at most 1000") != std::string::npos, message);
    message = error(
        post("/multi-search", queries(2, R"({"indexUid":"documents","q":"eau","limit":600})")), 400,
        "invalid_multi_search_queries");
    BOOST_TEST(message.find("1200 hits") != std::string::npos, message);
    message =
        error(post("/multi-search",
                   queries(2, R"({"indexUid":"documents","q":"eau","offset":6000,"limit":5})")),
              400, "invalid_multi_search_queries");
    BOOST_TEST(message.find("at most 10000") != std::string::npos, message);
    message = error(post("/multi-search", queries(101, R"({"indexUid":"documents"})")), 400,
                    "invalid_multi_search_queries");
    BOOST_TEST(message.find("100 queries") != std::string::npos, message);
    // What InstantSearch sends: a page and facet-only queries.
    const Response ok = post(
        "/multi-search",
        R"({"queries":[{"indexUid":"documents","q":"eau","hitsPerPage":20,"page":1,"facets":["country"]},)" +
            repeated(R"({"indexUid":"documents","q":"eau","limit":0,"facets":["country"]})", 20,
                     ",") +
            "]}");
    BOOST_TEST(ok.status == 200, ok.body.substr(0, 300));
    BOOST_TEST(json(ok)["results"].Size() == 21u);
}

BOOST_AUTO_TEST_CASE(responses_are_capped_in_bytes) {
    // 240 whole texts of 40 KB are over kMaxResponseBytes: refused, not built.
    std::string message =
        error(search(R"({"q":"","limit":1000,"attributesToRetrieve":["id","text"]})"), 400,
              "response_too_large");
    BOOST_TEST(message.find(std::to_string(kb::http::kMaxResponseBytes)) != std::string::npos);
    message = error(
        post(
            "/multi-search",
            R"({"queries":[{"indexUid":"documents","q":"","limit":500,"attributesToRetrieve":["text"]},)"
            R"({"indexUid":"documents","q":"eau","limit":500,"attributesToRetrieve":["text"]}]})"),
        400, "response_too_large");
    // Without the texts, the same hits are fine.
    const Response r = search(R"({"q":"","limit":1000})");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(json(r)["hits"].Size() == std::size_t(kRecords));
    const Response some = search(R"({"q":"","limit":20,"attributesToRetrieve":["text"]})");
    BOOST_TEST(some.status == 200);
}

BOOST_AUTO_TEST_CASE(a_nul_in_any_json_string_is_a_400_with_the_whole_message) {
    const std::string nul = "\\u0000";
    struct Case {
        std::string path, body, code, where;
    };
    const Case cases[] = {
        {"/search", R"({"q":"eau)" + nul + R"(mali"})", "invalid_parameter", "`.q`"},
        {"/search", R"({"filters":{"country":["S)" + nul + R"(N"]}})", "invalid_parameter",
         "`.filters.country[0]`"},
        {"/search", R"({"highlight":{"pre":")" + nul + R"("}})", "invalid_parameter",
         "`.highlight.pre`"},
        {"/search", R"({"q":"eau","x)" + nul + R"(y":1})", "invalid_parameter", "a member name"},
        {"/indexes/documents/search", R"({"q":"eau)" + nul + R"(mali"})", "bad_request", "`.q`"},
        {"/indexes/documents/search", R"({"filter":"country = S)" + nul + R"(N"})", "bad_request",
         "`.filter`"},
        {"/indexes/documents/search", R"({"filter":[["country = SN","pays)" + nul + R"("]]})",
         "bad_request", "`.filter[0][1]`"},
        {"/indexes/documents/search", R"({"highlightPreTag":")" + nul + R"("})", "bad_request",
         "`.highlightPreTag`"},
        {"/indexes/documents/search", R"({"attributesToRetrieve":["ti)" + nul + R"(tle"]})",
         "bad_request", "`.attributesToRetrieve[0]`"},
        {"/multi-search", R"({"queries":[{"indexUid":"documents","q":"a)" + nul + R"(b"}]})",
         "bad_request", "`.queries[0].q`"},
        {"/multi-search", R"({"queries":[{"indexUid":"docu)" + nul + R"(ments"}]})", "bad_request",
         "`.queries[0].indexUid`"},
        {"/indexes/documents/facet-search",
         R"({"facetName":"country","facetQuery":"s)" + nul + R"(e"})", "bad_request",
         "`.facetQuery`"},
        {"/indexes/documents/facet-search", R"({"facetName":"coun)" + nul + R"(try"})",
         "bad_request", "`.facetName`"},
    };
    for (const Case& c : cases) {
        const Response r = post(c.path, c.body);
        BOOST_TEST(r.status == 400, c.path << " " << c.body << ": " << r.status);
        BOOST_TEST(r.body.find("\"code\":\"" + c.code + "\"") != std::string::npos,
                   c.body << ": " << r.body);
        // The whole message: where the NUL is, and what is wrong after it.
        BOOST_TEST(r.body.find(c.where) != std::string::npos, c.body << ": " << r.body);
        BOOST_TEST(r.body.find("which no text may contain") != std::string::npos,
                   c.body << ": " << r.body);
        BOOST_TEST(r.body.find('\0') == std::string::npos);
    }
    // A Meilisearch error message keeps what follows a NUL it quotes (what() would stop there).
    const kb::Error e(kb::ErrorKind::InvalidRequest, "x", std::string("before\0after", 12));
    BOOST_TEST(e.message().size() == 12u);
    BOOST_TEST(std::string(e.what()).size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_spent_time_budget_flags_the_answer) {
    // Without a budget problem: no flag.
    Response r = search(R"({"q":"eau","facets":["country"]})");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"partial\"") == std::string::npos, r.body.substr(0, 300));
    // A microsecond: every match outlasts it. The answer is still a 200, flagged.
    kb::RankingSettings ranking;
    ranking.time_limit_ms = 0.001;
    searcher.set_ranking(ranking);
    settings.ranking = ranking;
    r = search(R"({"q":"eau","facets":["country"]})");
    BOOST_TEST(r.status == 200, r.body.substr(0, 300));
    BOOST_TEST(r.body.find("\"partial\":true") != std::string::npos, r.body.substr(0, 300));
    BOOST_TEST(json(r)["hits"].Size() > 0u);
    Request get;
    get.method = "GET";
    get.path = "/search";
    get.segments = {"search"};
    get.params = {{"q", "eau"}};
    get.client = "127.0.0.1";
    const Response plain = kb::http::dispatch(get, context);
    BOOST_TEST(plain.status == 200);
    BOOST_TEST(plain.body.find("\"partial\":true,\"timed_out\":true") != std::string::npos,
               plain.body.substr(0, 400));
    // A filter cannot be read within it either: a clear 400, not a 500.
    const std::string message =
        error(filtered(quoted("country = SN")), 400, "invalid_search_filter");
    BOOST_TEST(message.find("time budget") != std::string::npos, message);
    // Many of them: Xapian 1.4's own time limit, once used here, let its timer thread write
    // into a returned stack frame, and a run of spent budgets crashed the server.
    for (int i = 0; i < 300; ++i) {
        const std::string q = i % 2 ? "eau" : "coopération";
        r = search(R"({"q":")" + q + R"(","facets":["country","theme"],"limit":3})");
        BOOST_TEST_REQUIRE(r.status == 200, r.body.substr(0, 300));
        BOOST_TEST_REQUIRE(r.body.find("\"partial\":true") != std::string::npos);
    }
    // 0: no budget.
    ranking.time_limit_ms = 0;
    searcher.set_ranking(ranking);
    settings.ranking = ranking;
    r = search(R"({"q":"eau","facets":["country"],"filter":"country = SN"})");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("\"partial\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(post_search_caps_distinct_facet_values) {
    // POST /search: 1,001 distinct values refused, 20,000 repeats of one accepted.
    std::string many;
    for (std::size_t y = 0; y <= kb::http::kMaxFilterValues; ++y)
        many += (many.empty() ? "" : ",") + quoted("t" + std::to_string(y));
    Response r = post("/search", R"({"q":"eau","filters":{"type":[)" + many + "]}}");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.body.find("1000 distinct facet values") != std::string::npos, r.body);
    r = post("/search",
             R"({"q":"eau","filters":{"country":[)" + repeated(quoted("SN"), 20000, ",") + "]}}");
    BOOST_TEST(r.status == 200, r.body.substr(0, 300));
    BOOST_TEST(r.body.find("\"total\":80") != std::string::npos, r.body.substr(0, 300));
}

// Titles are marked, in _formatted only and with the client's tags, with the terms the
// engine's snippets mark: words by their stems, prefixes, and the client's plain title beside.
BOOST_AUTO_TEST_CASE(formatted_titles_mark_the_query_terms_with_the_client_tags) {
    const auto marked = [&](const std::string& q) {
        const Response r = search(R"({"q":")" + q +
                                  R"(","limit":1,"filter":"type = rapport AND country = SN",)"
                                  R"("attributesToHighlight":["title"],"highlightPreTag":"[",)"
                                  R"("highlightPostTag":"]"})");
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body.substr(0, 300));
        const auto d = json(r);
        BOOST_REQUIRE(d["hits"].Size() == 1u);
        const auto& hit = d["hits"][0];
        BOOST_TEST(std::string(hit["title"].GetString()) == "Eau potable, Sénégal");
        // Only the title was asked for: the snippet keeps no tags.
        BOOST_TEST(std::string(hit["_formatted"]["snippet"].GetString()).find('[') ==
                   std::string::npos);
        return std::string(hit["_formatted"]["title"].GetString());
    };
    BOOST_TEST(marked("potables senegal") == "Eau [potable], [Sénégal]");
    BOOST_TEST(marked("pota*") == "Eau [potable], Sénégal");
    BOOST_TEST(marked("\\\"eau potable\\\"") == "[Eau] [potable], Sénégal");
    BOOST_TEST(marked("") == "Eau potable, Sénégal");
}

BOOST_AUTO_TEST_SUITE_END()

#define BOOST_TEST_MODULE tenant_scope
// A tenant token can never see a record outside its rules: through dispatch(), a token whose
// filter is `country = SN` sends every filter form a client can (strings with OR, NOT, IN and
// !=, array filters, nested arrays, the place levels, Algolia's facetFilters, our /search's
// parameters) to every search route (Meilisearch search, multi-search, facet search; /search
// GET and POST, /facets, /suggest); every hit, total and count is checked against the
// records the test wrote. The routes that answer records by id or list them refuse the token,
// whether reads need a key or not.
#include "core/analysis/analyzer.h"
#include "core/indexing/document_builder.h"
#include "tests/dispatch_support.h"
#include "tests/tenant_token_support.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using kb::http::Request;
using kb::http::Response;
namespace bdata = boost::unit_test::data;

namespace {

using kb::test::tenant_token;

constexpr int kRecords = 80;

// Record i's countries: Sénégal, Mali, Liban, or Sénégal and Mali; its type and year.
std::vector<std::string> countries_of(int i) {
    switch (i % 4) {
    case 0:
        return {"SN"};
    case 1:
        return {"ML"};
    case 2:
        return {"LB"};
    default:
        return {"SN", "ML"};
    }
}
const char* type_of(int i) { return i % 3 == 0 ? "étude" : i % 3 == 1 ? "programme" : "rapport"; }
int year_of(int i) { return 2000 + i % 10; }
bool in_scope(int i) { return i % 4 == 0 || i % 4 == 3; }

rapidjson::Document json(const Response& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str(), r.body.size());
    BOOST_REQUIRE_MESSAGE(!d.HasParseError(), r.body.substr(0, 300));
    return d;
}

struct Scoped : kb::test::DispatchFixture {
    Scoped() : DispatchFixture(make_db()) {
        const kb::http::ApiKey key =
            keys.create(R"({"actions":["search"],"indexes":["documents"],"expiresAt":null})");
        token = tenant_token(key.uid, key.key, R"({"documents":{"filter":"country = SN"}})");
        for (int i = 0; i < kRecords; ++i)
            if (in_scope(i))
                scope.insert("r/" + std::to_string(i));
    }

    static Xapian::Database make_db() {
        static const Xapian::Database db = [] {
            Xapian::WritableDatabase w(std::string(), Xapian::DB_BACKEND_INMEMORY);
            kb::Analyzer analyzer;
            for (int i = 0; i < kRecords; ++i) {
                kb::Record r;
                r.id = "r/" + std::to_string(i);
                r.title = "Coopération décentralisée " + std::to_string(i);
                r.text =
                    "Un jumelage et un forage d'eau potable, projet " + std::to_string(i) + ".";
                std::string packed;
                for (const std::string& c : countries_of(i))
                    packed += (packed.empty() ? "" : "; ") + c;
                r.metadata["countries"] = packed;
                r.type = type_of(i);
                r.date = std::to_string(year_of(i)) + "-03-01";
                w.add_document(kb::build_document(r, analyzer));
            }
            w.commit();
            return Xapian::Database(w);
        }();
        return db;
    }

    Response call(const std::string& method, const std::string& target, const std::string& body,
                  bool with_token = true) {
        Request r;
        r.method = method;
        const std::size_t q = target.find('?');
        r.path = target.substr(0, q);
        if (q != std::string::npos) {
            std::istringstream params(target.substr(q + 1));
            for (std::string pair; std::getline(params, pair, '&');) {
                const std::size_t eq = pair.find('=');
                r.params.emplace_back(pair.substr(0, eq),
                                      eq == std::string::npos ? "" : pair.substr(eq + 1));
            }
        }
        r.body = body;
        if (with_token)
            r.headers["authorization"] = "Bearer " + token;
        return send(std::move(r));
    }

    // Every hit of a Meilisearch answer (page mode, all of them) is in the scope, the total is
    // the number of hits, and no facet count passes what the scope holds for the value.
    void check_meili(const rapidjson::Value& answer, const std::string& what) {
        std::size_t hits = 0;
        for (const auto& h : answer["hits"].GetArray()) {
            ++hits;
            const std::string id = h["id"].GetString();
            BOOST_TEST(scope.count(id), what << ": " << id << " is outside the token's rules");
            bool senegal = false;
            for (const auto& c : h["country"].GetArray())
                senegal = senegal || std::string(c.GetString()) == "Sénégal";
            BOOST_TEST(senegal, what << ": " << id);
        }
        if (answer.HasMember("totalHits")) {
            // Every record of the scope at most; all of them on the page when it has room.
            BOOST_TEST(answer["totalHits"].GetUint64() <= scope.size(), what);
            if (hits < answer["hitsPerPage"].GetUint64())
                BOOST_TEST(answer["totalHits"].GetUint64() == hits, what);
        }
        if (answer.HasMember("estimatedTotalHits"))
            BOOST_TEST(answer["estimatedTotalHits"].GetUint64() <= scope.size(), what);
        if (answer.HasMember("facetDistribution"))
            for (const auto& facet : answer["facetDistribution"].GetObject())
                for (const auto& v : facet.value.GetObject())
                    BOOST_TEST(v.value.GetUint64() <=
                                   scope_count(facet.name.GetString(), v.name.GetString()),
                               what << ": " << facet.name.GetString() << " " << v.name.GetString());
    }

    // How many records of the scope have this value (the labels facetDistribution shows).
    static std::uint64_t scope_count(const std::string& facet, const std::string& value) {
        static const std::map<std::string, std::string> label_of = {
            {"Sénégal", "SN"}, {"Mali", "ML"}, {"Liban", "LB"}};
        std::uint64_t n = 0;
        for (int i = 0; i < kRecords; ++i) {
            if (!in_scope(i))
                continue;
            if (facet == "country" || facet == "place.lvl1") {
                const std::string name = value.substr(
                    value.rfind(" > ") == std::string::npos ? 0 : value.rfind(" > ") + 3);
                for (const std::string& c : countries_of(i))
                    n += label_of.count(name) && label_of.at(name) == c;
            } else if (facet == "type") {
                n += value == type_of(i);
            } else if (facet == "year") {
                n += value == std::to_string(year_of(i));
            } else {
                n += 1; // region, place.lvl0, theme, actor: at most every record of the scope
            }
        }
        return n;
    }

    std::string token;
    std::set<std::string> scope;
};

// Every filter form a Meilisearch client sends; an empty string: no filter.
const std::vector<std::string> kFilters = {
    "",
    R"f("")f",
    R"f("   ")f",
    R"f("country = ML")f",
    R"f("country = Mali")f",
    R"f("country = LB")f",
    R"f("country = SN OR country = ML OR country = LB")f",
    R"f("country IN [SN, ML, LB]")f",
    R"f("country IN []")f",
    R"f("NOT country = SN")f",
    R"f("country != SN")f",
    R"f("NOT country IN [SN]")f",
    R"f("country NOT IN [SN, ML]")f",
    R"f("NOT (country = SN OR country = ML)")f",
    R"f("(country = ML OR country = LB) AND type = étude")f",
    R"f("country = LB AND year >= 2000")f",
    R"f("year > 1900 OR year < 2100")f",
    R"f("year 1900 TO 2100")f",
    R"f("type = programme OR type = rapport OR type = étude")f",
    R"f("region = moyen-orient")f",
    R"f("region = \"Afrique de l'Ouest\"")f",
    R"f("place.lvl0 = \"Moyen-Orient\"")f",
    R"f("place.lvl1 = \"Moyen-Orient > Liban\"")f",
    R"f("place.lvl1 = \"Afrique de l'Ouest > Mali\"")f",
    R"f(["country = ML"])f",
    R"f(["country = LB", "type = étude"])f",
    R"f([["country = ML", "country = LB", "country = SN"]])f",
    R"f([["country = LB"], ["type = rapport", "type = étude"]])f",
    R"f([["country = SN", "country = ML"], "NOT country = SN"])f",
    R"f([[["country = LB"]]])f",
    R"f(["country = LB OR country = ML"])f",
    R"f("COUNTRY = LB")f",
    R"f("country = LB OR year = 2001")f",
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(scope, Scoped)

BOOST_DATA_TEST_CASE(meilisearch_search_stays_inside_whatever_the_filter, bdata::make(kFilters),
                     filter) {
    const std::string with_filter = filter.empty() ? "" : R"(,"filter":)" + filter;
    const std::string body = R"({"q":"","hitsPerPage":1000,"facets":["*"])" + with_filter + "}";
    const Response r = call("POST", "/indexes/documents/search", body);
    // A filter the engine refuses is refused whole (400), never answered from outside.
    BOOST_TEST((r.status == 200 || r.status == 400), r.body.substr(0, 200));
    if (r.status == 200)
        check_meili(json(r), filter);
    // With a query and offset/limit too.
    const Response words = call("POST", "/indexes/documents/search",
                                R"({"q":"jumelage forage","limit":1000)" + with_filter + "}");
    if (words.status == 200)
        check_meili(json(words), "q " + filter);
    // Algolia's facetFilters and numericFilters, which InstantSearch's own client sends, are
    // no Meilisearch fields: they change nothing.
    const Response algolia =
        call("POST", "/indexes/documents/search",
             R"({"q":"","hitsPerPage":1000,"facetFilters":[["country:ML"],"country:LB"],)"
             R"("numericFilters":["year>1900"])" +
                 with_filter + "}");
    if (algolia.status == 200)
        check_meili(json(algolia), "facetFilters " + filter);
}

BOOST_AUTO_TEST_CASE(without_a_filter_the_token_sees_its_records_all_of_them) {
    const Response r = call("POST", "/indexes/documents/search",
                            R"({"q":"","hitsPerPage":1000,"facets":["country"]})");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto d = json(r);
    BOOST_TEST(d["totalHits"].GetUint64() == scope.size());
    BOOST_TEST(d["facetDistribution"]["country"]["Sénégal"].GetUint64() == scope.size());
    // Without the token, every record: the scope is the token's, not the index's.
    const Response all =
        call("POST", "/indexes/documents/search", R"({"q":"","hitsPerPage":0})", false);
    BOOST_TEST(json(all)["totalHits"].GetUint64() == std::uint64_t{kRecords});
}

BOOST_AUTO_TEST_CASE(multi_search_keeps_every_query_inside) {
    // Every filter a search accepts alone (one refused query refuses the multi-search).
    std::string queries;
    for (const std::string& f : kFilters) {
        const std::string filter = f.empty() ? "" : R"(,"filter":)" + f;
        if (call("POST", "/indexes/documents/search", R"({"q":"")" + filter + "}").status != 200)
            continue;
        queries += std::string(queries.empty() ? "" : ",") +
                   R"({"indexUid":"documents","q":"","hitsPerPage":30,"facets":["country"])" +
                   filter + "}";
    }
    const Response r = call("POST", "/multi-search", R"({"queries":[)" + queries + "]}");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body.substr(0, 300));
    const auto d = json(r);
    BOOST_TEST(d["results"].Size() > 20u);
    for (const auto& result : d["results"].GetArray())
        check_meili(result, "multi-search");
    // Every query runs under the token, the federated form included (refused).
    BOOST_TEST(call("POST", "/multi-search", R"({"federation":{},"queries":[]})").status == 400);
}

BOOST_AUTO_TEST_CASE(facet_search_lists_only_the_scope_values_and_counts) {
    for (const char* facet : {"country", "place.lvl1", "place.lvl0", "type", "year"}) {
        for (const char* filter :
             {"", R"(,"filter":"country = LB")", R"(,"filter":"NOT country = SN")"}) {
            const Response r = call("POST", "/indexes/documents/facet-search",
                                    std::string(R"({"facetName":")") + facet +
                                        R"(","facetQuery":"")" + filter + "}");
            BOOST_REQUIRE_MESSAGE(r.status == 200, r.body.substr(0, 300));
            const auto found = json(r);
            for (const auto& v : found["facetHits"].GetArray()) {
                const std::string value = v["value"].GetString();
                BOOST_TEST(value.find("Liban") == std::string::npos, facet << ": " << value);
                BOOST_TEST(v["count"].GetUint64() <= scope_count(facet, value),
                           facet << ": " << value);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(our_own_search_routes_stay_inside) {
    for (const char* target :
         {"/search?q=&size=100", "/search?q=&country=ML&size=100", "/search?q=&country=LB&size=100",
          "/search?q=jumelage&-country=SN&size=100", "/search?q=pays:Liban&size=100",
          "/search?q=Liban&size=100", "/search?q=&region=moyen-orient&size=100"}) {
        const Response r = call("GET", target, "");
        BOOST_TEST((r.status == 200 || r.status == 400), target << " " << r.body.substr(0, 200));
        if (r.status != 200)
            continue;
        const auto d = json(r);
        for (const auto& h : d["hits"].GetArray())
            BOOST_TEST(scope.count(h["id"].GetString()), target << ": " << h["id"].GetString());
        BOOST_TEST(d["total"].GetUint64() <= scope.size(), target);
    }
    const Response post =
        call("POST", "/search", R"({"q":"","size":100,"filters":{"country":["ML","LB"]}})");
    BOOST_REQUIRE_MESSAGE(post.status == 200, post.body.substr(0, 200));
    const auto posted = json(post);
    for (const auto& h : posted["hits"].GetArray())
        BOOST_TEST(scope.count(h["id"].GetString()), h["id"].GetString());
    // /facets and /suggest count inside the scope too.
    const Response facets = call("GET", "/facets", "");
    BOOST_REQUIRE_MESSAGE(facets.status == 200, facets.body.substr(0, 200));
    BOOST_TEST(facets.body.find("Liban") == std::string::npos, facets.body.substr(0, 300));
    const Response suggest = call("GET", "/suggest?q=lib", "");
    BOOST_TEST(suggest.status == 200);
    const auto suggested = json(suggest);
    for (const auto& s : suggested["suggestions"].GetArray())
        BOOST_TEST(s["count"].GetUint64() == 0u, s["text"].GetString());
}

BOOST_AUTO_TEST_CASE(routes_that_answer_records_refuse_the_token_even_when_reads_are_public) {
    BOOST_REQUIRE(!settings.read_requires_key);
    const char* const reads[][2] = {
        {"GET", "/indexes/documents/documents"},
        {"POST", "/indexes/documents/documents/fetch"},
        {"GET", "/indexes/documents/documents/r/2"},
        {"GET", "/documents/r/2"},
        {"GET", "/documents/r/2/cite"},
        {"GET", "/documents/r/2/similar"},
        {"GET", "/cite?ids=r/2"},
        {"GET", "/indexes/documents/settings"},
        {"GET", "/stats"},
    };
    for (const auto& [method, target] : reads) {
        const Response r = call(method, target, std::string(method) == "POST" ? "{}" : "");
        BOOST_TEST(r.status == 403, method << " " << target << " -> " << r.body.substr(0, 200));
        BOOST_TEST(r.body.find("r/2") == std::string::npos, target);
        // Without the token these reads are public: the refusal is the token's.
        BOOST_TEST(call(method, target, std::string(method) == "POST" ? "{}" : "", false).status !=
                       403,
                   target);
    }
    settings.read_requires_key = true;
    for (const auto& [method, target] : reads)
        BOOST_TEST(call(method, target, std::string(method) == "POST" ? "{}" : "").status == 403,
                   target);
    settings.read_requires_key = false;
}

BOOST_AUTO_TEST_SUITE_END()

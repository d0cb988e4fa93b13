#define BOOST_TEST_MODULE meili_search
// The Meilisearch search parameters through dispatch(): hybrid (semanticRatio onto the
// engine's modes, checked against the Searcher's own rankings on an index with vectors),
// attributesToCrop/cropLength/cropMarker, showRankingScore, matchingStrategy, the hits'
// facet attributes (place.lvl0/lvl1 included) agreeing with facetDistribution and filters,
// facetStats, and facet search over every value of a facet.
#include "core/analysis/analyzer.h"
#include "core/embedding/vector_store.h"
#include "core/facets/facet_catalog.h"
#include "core/indexing/document_builder.h"
#include "core/indexing/index_writer.h"
#include "tests/dispatch_support.h"
#include "tests/test_support.h"
#include "tests/vector_test_support.h"

#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

using kb::http::Request;
using kb::http::Response;

namespace {

rapidjson::Document json(const Response& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str(), r.body.size());
    BOOST_REQUIRE_MESSAGE(!d.HasParseError(), r.body.substr(0, 300));
    return d;
}

std::string str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

struct Meili {
    kb::test::DispatchFixture& f;
    Response post(const std::string& path, const std::string& body) {
        Request r;
        r.method = "POST";
        r.path = path;
        r.body = body;
        return f.send(std::move(r));
    }
    rapidjson::Document search(const std::string& body) {
        const Response r = post("/indexes/documents/search", body);
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body.substr(0, 300));
        return json(r);
    }
    void refused(const std::string& body, int status, const std::string& code) {
        const Response r = post("/indexes/documents/search", body);
        BOOST_TEST(r.status == status, body << " -> " << r.body.substr(0, 200));
        if (r.status == status)
            BOOST_TEST(str(json(r)["code"]) == code, r.body.substr(0, 200));
    }
};

std::vector<std::string> ids(const rapidjson::Value& answer) {
    std::vector<std::string> out;
    for (const auto& h : answer["hits"].GetArray())
        out.push_back(str(h["id"]));
    return out;
}

// One record per country of the catalog, in alphabetical order of ids: its label in the text
// and the title, a year from 2000 to 2019, every third one a programme.
struct Countries : kb::test::DispatchFixture {
    Countries() : DispatchFixture(make_db()) {}
    Meili meili{*this};

    static std::vector<std::string> countries() {
        std::vector<std::string> out;
        for (const auto& [id, e] : kb::FacetCatalog::builtin().entries(kb::Facet::Country))
            out.push_back(id);
        return out;
    }

    static Xapian::Database make_db() {
        static const Xapian::Database db = [] {
            Xapian::WritableDatabase w(std::string(), Xapian::DB_BACKEND_INMEMORY);
            kb::Analyzer analyzer;
            int i = 0;
            for (const std::string& id : countries()) {
                const kb::FacetEntry* e = kb::FacetCatalog::builtin().find(kb::Facet::Country, id);
                kb::Record r;
                r.id = "pays/" + id;
                r.title = "Rapport annuel de la coopération décentralisée avec ses partenaires "
                          "locaux";
                r.text = "Les collectivités coopèrent avec des partenaires : " + e->label +
                         ", un pays partenaire depuis longtemps, dont les villes échangent.";
                r.metadata["countries"] = id;
                r.date = std::to_string(2000 + i % 20) + "-06-01";
                r.type = i % 3 == 0 ? "programme" : "étude";
                w.add_document(kb::build_document(r, analyzer));
                ++i;
            }
            w.commit();
            return Xapian::Database(w);
        }();
        return db;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(countries, Countries)

BOOST_AUTO_TEST_CASE(hits_carry_their_facet_values_as_facet_distribution_and_filters_name_them) {
    // Four years of records: fewer countries than maxValuesPerFacet, every one listed.
    const auto answer =
        meili.search(R"({"q":"","limit":12,"filter":"year >= 2000 AND year <= 2003",)"
                     R"("facets":["country","place.lvl0","place.lvl1","year","type"]})");
    const auto& distribution = answer["facetDistribution"];
    BOOST_REQUIRE(answer["hits"].Size() == 12u);
    std::size_t with_place = 0;
    for (const auto& hit : answer["hits"].GetArray()) {
        const std::string id = str(hit["id"]);
        BOOST_REQUIRE(hit["country"].Size() == 1u);
        const std::string country = str(hit["country"][0]);
        BOOST_TEST(distribution["country"].HasMember(country.c_str()), country);
        const int year = hit["year"].GetInt();
        BOOST_TEST(distribution["year"].HasMember(std::to_string(year).c_str()));
        // The hit's own value filters it in, under each attribute.
        auto finds = [&](const std::string& attribute, const std::string& value) {
            std::string body = R"({"q":"","limit":1000,"attributesToRetrieve":["id"],"filter":[")";
            body += attribute;
            body += R"( = \")";
            body += value;
            body += R"(\""]})";
            const auto found = meili.search(body);
            const auto list = ids(found);
            return std::find(list.begin(), list.end(), id) != list.end();
        };
        BOOST_TEST(finds("country", country), id);
        for (const auto& v : hit["place"]["lvl1"].GetArray()) {
            const std::string value = str(v);
            BOOST_TEST(distribution["place.lvl1"].HasMember(value.c_str()), value);
            BOOST_TEST(value.substr(value.rfind(" > ") + 3) == country);
            BOOST_TEST(finds("place.lvl1", value), value);
            ++with_place;
        }
        for (const auto& v : hit["place"]["lvl0"].GetArray()) {
            BOOST_TEST(distribution["place.lvl0"].HasMember(v.GetString()), v.GetString());
            BOOST_TEST(finds("place.lvl0", str(v)), str(v));
        }
    }
    BOOST_TEST(with_place > 0u);
    // A level's values are its parent's children: "Region > Country" under a region of lvl0.
    for (const auto& m : distribution["place.lvl1"].GetObject()) {
        const std::string value = str(m.name);
        BOOST_TEST(
            distribution["place.lvl0"].HasMember(value.substr(0, value.rfind(" > ")).c_str()),
            value);
    }
    // facetStats: the years' range (the year's own filter left out, as its counts are).
    const auto stats =
        meili.search(R"({"q":"","limit":0,"facets":["year"],"filter":"type = programme"})");
    BOOST_TEST(stats["facetStats"]["year"]["min"].GetInt() == 2000);
    BOOST_TEST(stats["facetStats"]["year"]["max"].GetInt() == 2019);
    // attributesToRetrieve chooses among them.
    const auto few = meili.search(R"({"q":"","limit":1,"attributesToRetrieve":["id","place"]})");
    BOOST_TEST(few["hits"][0].MemberCount() == 2u);
    BOOST_TEST(few["hits"][0]["place"].HasMember("lvl1"));
    // A lvl1 value whose region is not the country's names nothing.
    meili.refused(R"({"filter":"place.lvl1 = \"Océanie > Sénégal\""})", 400, "unknown_facet_value");
    meili.refused(R"({"filter":"place.lvl0 = Sénégal"})", 400, "unknown_facet_value");
}

BOOST_AUTO_TEST_CASE(facet_search_looks_at_every_value_not_only_the_first_hundred) {
    BOOST_REQUIRE(countries().size() > 150u);
    const auto distribution = meili.search(R"({"q":"","limit":0,"facets":["country"]})");
    BOOST_TEST(distribution["facetDistribution"]["country"].MemberCount() == 100u);
    // Every count is 1: by count then label, Zimbabwe is past the hundredth.
    BOOST_TEST(!distribution["facetDistribution"]["country"].HasMember("Zimbabwe"));
    const Response r = meili.post("/indexes/documents/facet-search",
                                  R"({"facetName":"country","facetQuery":"zimb"})");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto found = json(r);
    BOOST_REQUIRE(found["facetHits"].Size() == 1u);
    BOOST_TEST(str(found["facetHits"][0]["value"]) == "Zimbabwe");
    BOOST_TEST(found["facetHits"][0]["count"].GetUint64() == 1u);
    // place.lvl1 is searched by the country's part.
    const Response lvl1 = meili.post("/indexes/documents/facet-search",
                                     R"({"facetName":"place.lvl1","facetQuery":"zimb"})");
    BOOST_REQUIRE_MESSAGE(lvl1.status == 200, lvl1.body);
    const auto l = json(lvl1);
    BOOST_REQUIRE(l["facetHits"].Size() == 1u);
    BOOST_TEST(str(l["facetHits"][0]["value"]).find(" > Zimbabwe") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(crops_cut_to_words_around_the_match_with_the_marker) {
    const auto formatted = [&](const std::string& params, const char* attribute) {
        const auto a =
            meili.search(R"({"q":"partenaires","limit":1,"filter":"country = SN",)" + params + "}");
        BOOST_REQUIRE(a["hits"].Size() == 1u);
        return str(a["hits"][0]["_formatted"][attribute]);
    };
    // Three words centred on the match, the default marker where the title was cut.
    BOOST_TEST(formatted(R"("attributesToCrop":["title:3"],"attributesToHighlight":["title"])",
                         "title") == "\u2026ses <em>partenaires</em> locaux");
    // cropLength for the attributes without their own; a marker of the client's; no tags
    // unless highlighted.
    BOOST_TEST(formatted(R"("attributesToCrop":["title"],"cropLength":2,"cropMarker":"[…]")",
                         "title") == "[…]partenaires locaux");
    // The record's text, cropped, in _formatted only.
    const auto text = meili.search(R"({"q":"partenaires","limit":1,"filter":"country = SN",)"
                                   R"("attributesToCrop":["text:4"],"cropMarker":"~"})");
    const auto& hit = text["hits"][0];
    BOOST_TEST(!hit.HasMember("text"));
    // Four words with the match centred: one before, two after.
    BOOST_TEST(str(hit["_formatted"]["text"]) == "~des partenaires : Sénégal, un~");
    // The plain attributes stay whole.
    BOOST_TEST(str(hit["title"]) ==
               "Rapport annuel de la coopération décentralisée avec ses partenaires locaux");
}

BOOST_AUTO_TEST_CASE(show_ranking_score_gives_each_hit_a_score_from_0_to_1) {
    const auto a = meili.search(R"({"q":"partenaires Sénégal","limit":20,)"
                                R"("matchingStrategy":"frequency","showRankingScore":true})");
    BOOST_REQUIRE(a["hits"].Size() > 2u);
    double previous = 1.0;
    for (const auto& h : a["hits"].GetArray()) {
        const double score = h["_rankingScore"].GetDouble();
        BOOST_TEST(score > 0.0);
        BOOST_TEST(score <= previous);
        previous = score;
    }
    BOOST_TEST(a["hits"][0]["_rankingScore"].GetDouble() == 1.0);
    BOOST_TEST(previous < 1.0); // the record about Sénégal ranks above the others
    BOOST_TEST(str(a["hits"][0]["id"]) == "pays/SN");
    BOOST_TEST(
        !meili.search(R"({"q":"partenaires","limit":1})")["hits"][0].HasMember("_rankingScore"));
}

BOOST_AUTO_TEST_CASE(matching_strategy_all_needs_every_word_and_frequency_any) {
    const auto total = [&](const std::string& strategy, const std::string& q) {
        return meili
            .search(R"({"q":")" + q + R"(","hitsPerPage":0,)" +
                    (strategy.empty() ? std::string()
                                      : R"("matchingStrategy":")" + strategy + R"(",)") +
                    R"("attributesToRetrieve":["id"]})")["totalHits"]
            .GetUint64();
    };
    const std::uint64_t all = countries().size();
    // An unknown word: last (the default) relaxes to any word, all finds nothing.
    BOOST_TEST(total("", "partenaires zorglub") == all);
    BOOST_TEST(total("last", "partenaires zorglub") == all);
    BOOST_TEST(total("all", "partenaires zorglub") == 0u);
    BOOST_TEST(total("frequency", "partenaires zorglub") == all);
    // Two known words: all of them (the Sénégal's record), or any (every record).
    BOOST_TEST(total("all", "partenaires Sénégal") == 1u);
    BOOST_TEST(total("frequency", "partenaires Sénégal") == all);
}

BOOST_AUTO_TEST_CASE(hybrid_without_vectors_and_wrong_parameters_are_refused) {
    // semanticRatio 0 is the lexical ranking, as without hybrid.
    BOOST_TEST(ids(meili.search(R"({"q":"partenaires","hybrid":{"semanticRatio":0}})")) ==
               ids(meili.search(R"({"q":"partenaires"})")));
    // This index has no vectors: a semantic part cannot be ranked (409, Meilisearch's shape).
    meili.refused(R"({"q":"partenaires","hybrid":{"semanticRatio":0.5,"embedder":"default"}})", 409,
                  "no_vectors");
    meili.refused(R"({"q":"x","hybrid":{"semanticRatio":1.5}})", 400,
                  "invalid_search_semantic_ratio");
    meili.refused(R"({"q":"x","hybrid":{"semanticRatio":"half"}})", 400,
                  "invalid_search_semantic_ratio");
    meili.refused(R"({"q":"x","hybrid":{"embedder":3}})", 400, "invalid_search_embedder");
    meili.refused(R"({"q":"x","hybrid":0.5})", 400, "invalid_search_hybrid_query");
    meili.refused(R"({"q":"x","matchingStrategy":"most"})", 400,
                  "invalid_search_matching_strategy");
    meili.refused(R"({"q":"x","showRankingScore":"yes"})", 400,
                  "invalid_search_show_ranking_score");
    meili.refused(R"({"q":"x","cropLength":-1})", 400, "invalid_search_crop_length");
    meili.refused(R"({"q":"x","cropMarker":5})", 400, "invalid_search_crop_marker");
    meili.refused(R"({"q":"x","attributesToCrop":["title:x"]})", 400,
                  "invalid_search_attributes_to_crop");
    meili.refused(R"({"q":"x","facets":["place.lvl2"]})", 400, "invalid_search_facets");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// 60 records on two topics with vectors (tests/vector_test_support.h), as searcher_test's.
struct Topics : kb::test::DispatchFixture {
    Topics() : DispatchFixture(index()) {}
    Meili meili{*this};

    static const std::string& index() {
        static kb::test::TempDir dir;
        static const std::string path = [] {
            std::string p = (dir.path() / "index").string();
            kb::test::write_topic_index(p, 60);
            return p;
        }();
        return path;
    }

    // The Searcher's own page 1 of 10 for `q` in `mode`.
    std::vector<std::string> engine(const std::string& q, kb::SearchMode mode,
                                    std::optional<double> weight = std::nullopt) {
        kb::SearchRequest r;
        r.q = q;
        r.size = 10;
        r.facets = false;
        r.mode = mode;
        r.vector_weight = weight;
        std::vector<std::string> out;
        for (const kb::Hit& h : searcher.search(r).hits)
            out.push_back(h.id);
        return out;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(vectors, Topics)

BOOST_AUTO_TEST_CASE(semantic_ratio_chooses_the_engine_mode_and_weight) {
    const std::string q = "forage puits";
    const auto page = [&](const std::string& hybrid) {
        return ids(meili.search(R"({"q":")" + q + R"(","limit":10,"hybrid":)" + hybrid + "}"));
    };
    const auto lexical = engine(q, kb::SearchMode::Lexical);
    const auto semantic = engine(q, kb::SearchMode::Semantic);
    const auto hybrid = engine(q, kb::SearchMode::Hybrid, 0.5);
    BOOST_TEST(page(R"({"semanticRatio":0})") == lexical, boost::test_tools::per_element());
    BOOST_TEST(page(R"({"semanticRatio":1,"embedder":"default"})") == semantic,
               boost::test_tools::per_element());
    BOOST_TEST(page(R"({"semanticRatio":0.5})") == hybrid, boost::test_tools::per_element());
    BOOST_TEST(page(R"({})") == hybrid, boost::test_tools::per_element()); // Meilisearch's 0.5
    // The three differ on this index, so each check above tells them apart.
    BOOST_TEST((semantic != lexical && hybrid != lexical));
    // Multi-search reads it the same way.
    const Response r =
        meili.post("/multi-search", R"({"queries":[{"indexUid":"documents","q":")" + q +
                                        R"(","limit":10,"hybrid":{"semanticRatio":1}}]})");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body.substr(0, 300));
    BOOST_TEST(ids(json(r)["results"][0]) == semantic, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

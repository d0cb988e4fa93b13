// English questions reach French documents (issue 17), through the real server on corpus/: one
// English question per concept family finds its French answer in the first results, says its
// translations in `expansions`, and translate=false takes them away.

#define BOOST_TEST_MODULE translation_e2e
#include "tests/corpus_server.h"
#include "tests/e2e_support.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>
#include <cpprest/uri_builder.h>

#include <memory>
#include <string>
#include <vector>

namespace {

kb::test::CorpusServer& server() { return kb::test::corpus_server(); }

web::json::value search(const std::string& q, bool translate = true) {
    web::uri_builder b("/search");
    b.append_query("q", q);
    b.append_query("size", "10");
    b.append_query("facets", "false");
    if (!translate)
        b.append_query("translate", "false");
    web::http::http_response r =
        server().client->request(web::http::methods::GET, b.to_string()).get();
    BOOST_TEST_REQUIRE(r.status_code() == 200);
    return r.extract_json(true).get();
}

// The 1-based rank of the first hit whose id starts with `id` in the first 10, or 0.
std::size_t rank_of(const web::json::value& body, const std::string& id) {
    const auto& hits = body.at("hits").as_array();
    for (std::size_t i = 0; i < hits.size() && i < 10; ++i)
        if (hits.at(i).at("id").as_string().rfind(id, 0) == 0)
            return i + 1;
    return 0;
}

bool has_translation(const web::json::value& body, const std::string& part) {
    for (const auto& e : body.at("expansions").as_array())
        if (e.as_string().find("(traduction)") != std::string::npos &&
            e.as_string().find(part) != std::string::npos)
            return true;
    return false;
}

const std::string kCgct = "code-general-des-collectivites-territoriales/";

} // namespace

// A theme: "town twinning" (the thesaurus' English label) and "twinning agreements" (the
// glossary) reach the documents on jumelage.
BOOST_AUTO_TEST_CASE(theme_twinning_reaches_jumelage) {
    const auto body = search("twinning agreements between towns");
    BOOST_TEST(body.at("query_language").as_string() == "en");
    BOOST_TEST(has_translation(body, "convention"));
    BOOST_TEST(rank_of(body, "actu-etude-action-internationale-des-villes") >= 1u);
}

// An actor: the fire and rescue services (SDIS) intervening abroad, R1424-50.
BOOST_AUTO_TEST_CASE(actor_fire_and_rescue_services_abroad) {
    const auto body = search("fire and rescue services abroad");
    BOOST_TEST(has_translation(body, "incendie et de secours"));
    const std::size_t rank = rank_of(body, kCgct + "R1424-5");
    BOOST_TEST((rank >= 1u && rank <= 10u), "R1424-5x rank " << rank);
}

// A procedure with a country: an agreement with a foreign State, L1115-5.
BOOST_AUTO_TEST_CASE(procedure_agreement_with_a_foreign_state) {
    const auto body = search("agreement with a foreign state");
    BOOST_TEST(has_translation(body, "tat étranger"));
    const std::size_t rank = rank_of(body, kCgct + "L1115-5");
    BOOST_TEST((rank >= 1u && rank <= 10u), "L1115-5 rank " << rank);
    // translate=false: the words as typed only, no translation listed.
    const auto plain = search("agreement with a foreign state", false);
    BOOST_TEST(!has_translation(plain, "tat étranger"));
    BOOST_TEST(rank_of(plain, kCgct + "L1115-5") == 0u);
}

// The legal basis of a theme: L1115-1 for decentralised cooperation's legal framework. It says
// neither « cadre juridique » nor « base légale » nor the theme's name; only its tag
// cooperation-decentralisee (tag_weight) brings it up, to the second page.
// Known miss (expected failure, issue 17): not in the first 10, behind the articles that name
// the theme or the CNCD.
BOOST_AUTO_TEST_CASE(legal_framework_of_decentralised_cooperation,
                     *boost::unit_test::expected_failures(1)) {
    const auto body = search("legal framework of decentralised cooperation");
    BOOST_TEST(has_translation(body, "cadre juridique"));
    const std::size_t rank = rank_of(body, kCgct + "L1115-1");
    BOOST_TEST((rank >= 1u && rank <= 10u), "L1115-1 rank " << rank);
}

// The same question, read as English (« cooperation » and « legal » are French words too, the
// phrases are not), finds L1115-1 among its first 20 through its tag.
BOOST_AUTO_TEST_CASE(legal_framework_reaches_l1115_1_on_the_first_two_pages) {
    for (const std::string q : {"decentralised cooperation legal framework",
                                "legal framework of decentralised cooperation"}) {
        web::uri_builder b("/search");
        b.append_query("q", q);
        b.append_query("size", "20");
        web::http::http_response r =
            server().client->request(web::http::methods::GET, b.to_string()).get();
        BOOST_TEST_REQUIRE(r.status_code() == 200);
        const auto body = r.extract_json(true).get();
        BOOST_TEST(body.at("query_language").as_string() == "en", q);
        BOOST_TEST(has_translation(body, "cadre juridique"), q);
        bool found = false;
        for (const auto& h : body.at("hits").as_array())
            found = found || h.at("id").as_string() == kCgct + "L1115-1";
        BOOST_TEST(found, q);
    }
}

// A French question is not translated: the same hits with translate on and off.
BOOST_AUTO_TEST_CASE(french_question_is_not_translated) {
    for (const std::string q :
         {"pompiers à l'étranger", "convention avec un État étranger", "jumelage des communes"}) {
        const auto on = search(q), off = search(q, false);
        BOOST_TEST(on.at("query_language").as_string() == "fr", q);
        BOOST_TEST(on.at("hits").serialize() == off.at("hits").serialize(), q);
    }
}

// An English question's words are translated, never "corrected" into French-looking ones
// ("with" was corrected to "width"); its plain words ("trash") reach the French answer.
BOOST_AUTO_TEST_CASE(english_words_are_translated_not_corrected) {
    const auto body = search("helping poor countries with their trash");
    BOOST_TEST(!body.at("corrected").as_bool());
    BOOST_TEST((!body.has_field("did_you_mean") || body.at("did_you_mean").is_null()));
    BOOST_TEST(body.at("expansions").serialize().find("width") == std::string::npos);
    BOOST_TEST(has_translation(body, "ordures"));
    const std::size_t rank = rank_of(body, kCgct + "L1115-2");
    BOOST_TEST((rank >= 1u && rank <= 3u), "L1115-2 rank " << rank);
}

// An English query is ranked by any word (translations guess at senses), the records that
// match every word first; a phrase's words count one by one when its French is worded
// otherwise ("water utility" → « service de l'eau », but L1115-1-1 says « services … d'eau »).
BOOST_AUTO_TEST_CASE(english_queries_rank_by_any_word_with_every_word_first) {
    const auto body = search("how many French municipalities have foreign partners?");
    BOOST_TEST(body.at("match_mode").as_string() == "any_terms");
    BOOST_TEST(rank_of(body, "actu-etude-action-internationale-des-villes") == 1u);
    const auto utility = search("water utility budget international cooperation");
    const std::size_t rank = rank_of(utility, kCgct + "L1115-1-1");
    BOOST_TEST((rank >= 1u && rank <= 10u), "L1115-1-1 rank " << rank);
}

#define BOOST_TEST_MODULE e2e
// End to end: index corpus/ with the real kb-indexer, start the real kb-search-server on a free
// port, and talk HTTP to it with cpprestsdk.
#include "tests/e2e_support.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>
#include <cpprest/uri_builder.h>

#include <iostream>
#include <memory>

namespace {

struct Server {
    kb::test::TempDir dir;
    std::unique_ptr<kb::test::ServerProcess> process;
    std::string base_url;

    Server() {
        const std::string index = (dir.path() / "index").string();
        std::string summary;
        const int status =
            kb::test::run_indexer(index, {"--no-vectors", kb::test::kCorpusDir}, &summary);
        BOOST_TEST_MESSAGE("indexer: " << summary);
        BOOST_TEST_REQUIRE(status == 0);
        process = std::make_unique<kb::test::ServerProcess>(index);
        base_url = process->url();
        BOOST_TEST_MESSAGE("server at " << base_url);
    }
};

Server& server() {
    static Server instance;
    return instance;
}

struct Reply {
    int status;
    web::json::value body;
};

Reply get(const std::string& path_and_query) {
    web::http::client::http_client client(utility::conversions::to_string_t(server().base_url));
    web::http::http_response r = client.request(web::http::methods::GET, path_and_query).get();
    return {r.status_code(), r.extract_json(true).get()};
}

std::string search_path(const std::string& q, int size = 10) {
    web::uri_builder b("/search");
    b.append_query("q", q);
    b.append_query("size", size);
    return b.to_string();
}

std::vector<std::string> ids(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& hit : r.body.at("hits").as_array())
        out.push_back(hit.at("id").as_string());
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

BOOST_AUTO_TEST_CASE(attractivite_des_villes_moyennes_finds_the_conference_programme_first) {
    const Reply r = get(search_path("attractivité des villes moyennes"));
    BOOST_TEST_REQUIRE(r.status == 200);
    const auto hits = ids(r);
    BOOST_TEST_REQUIRE(!hits.empty());
    BOOST_TEST(hits[0] == "cuf-rayonnement-attractivite-villes-moyennes");
    BOOST_TEST(r.body.at("hits").as_array().at(0).at("title").as_string() ==
               "Le rayonnement au service de l’attractivité\u00a0: quelle place pour les villes "
               "moyennes\u00a0?");
}

BOOST_AUTO_TEST_CASE(cooperation_decentralisee_finds_the_seed_page_and_cgct_l1115_6) {
    // The records tagged with the theme come first (tag_weight); L1115-6 names the phrase only
    // inside the CNCD's name (not the theme, tests/data/facets_gold.jsonl), and L1115-1, the
    // legal basis, is tagged without the phrase: both on the first page of 20.
    const Reply r = get(search_path("coopération décentralisée", 20));
    BOOST_TEST_REQUIRE(r.status == 200);
    const auto hits = ids(r);
    BOOST_TEST(contains(hits, "cuf-internationalisation-attractivite-rayonnement"));
    BOOST_TEST(contains(hits, "code-general-des-collectivites-territoriales/L1115-6"));
    BOOST_TEST(contains(hits, "code-general-des-collectivites-territoriales/L1115-1"));
    BOOST_TEST(r.body.at("total").as_integer() >= 10);
}

BOOST_AUTO_TEST_CASE(bad_parameters_return_400_json) {
    for (const std::string& path :
         {std::string("/search?q=x&size=0"), std::string("/search?q=x&size=1000"),
          std::string("/search?q=x&page=abc"), std::string("/search?q=x&unknown=1"),
          std::string("/search?q=%FF%FE"), std::string("/search?q=") + std::string(1001, 'a')}) {
        const Reply r = get(path);
        BOOST_TEST(r.status == 400, path);
        BOOST_TEST(r.body.at("error").at("code").is_string(), path);
        BOOST_TEST(!r.body.at("error").at("message").as_string().empty(), path);
    }
}

BOOST_AUTO_TEST_CASE(unknown_document_and_route_return_404_json) {
    Reply r = get("/documents/no-such-document");
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.body.at("error").at("code").as_string() == "document_not_found");
    r = get("/no/such/route");
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.body.at("error").at("code").as_string() == "not_found");
}

BOOST_AUTO_TEST_CASE(documents_are_served_by_encoded_id) {
    const Reply r = get("/documents/code-general-des-collectivites-territoriales%2FL1115-6");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.at("text").as_string().find("Commission nationale de la coopération "
                                                  "décentralisée") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(health_reports_the_corpus) {
    const Reply r = get("/health");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.at("documents").as_integer() == 5367);
}

BOOST_AUTO_TEST_CASE(the_page_is_served_with_a_content_security_policy) {
    web::http::client::http_client client(utility::conversions::to_string_t(server().base_url));
    web::http::http_response r = client.request(web::http::methods::GET, "/").get();
    BOOST_TEST(r.status_code() == 200);
    BOOST_TEST(r.headers().has("Content-Security-Policy"));
    BOOST_TEST(r.extract_string().get().find("Rechercher") != std::string::npos);
}

// ---- The analysis chain through /search (issue: one French analysis chain) ----------------

BOOST_AUTO_TEST_CASE(accents_apostrophes_numbers_and_compounds_through_search) {
    auto top = [](const std::string& q) {
        const Reply r = get(search_path(q, 10));
        BOOST_TEST_REQUIRE(r.status == 200, q);
        return ids(r);
    };
    const auto accented = top("coopération décentralisée");
    BOOST_TEST((top("cooperation decentralisee") == accented));
    BOOST_TEST((top("COOPÉRATION DÉCENTRALISÉE") == accented));
    const std::string study =
        "cnfpt-france-urbaine-inet-etude-action-internationale-grandes-villes";
    const std::string news = "actu-etude-action-internationale-des-villes-2020-2026";
    for (const std::string q : {"4700 collectivités", "4 700 collectivités", "4.700 collectivités",
                                "4\u00a0700 collectivités", "4\u202f700 collectivités"}) {
        const auto hits = top(q);
        BOOST_TEST(contains(hits, study), q);
        BOOST_TEST(contains(hits, news), q);
    }
    BOOST_TEST(contains(top("saint etienne"), news));
    BOOST_TEST(contains(top("Saint-Étienne"), news));
    BOOST_TEST(contains(top("oeuvrer dimension internationale"), news));
    BOOST_TEST(contains(top("ŒUVRER dimension internationale"), news));
    BOOST_TEST(contains(top("l'AEICT"), news));
    BOOST_TEST(contains(top("L’AEICT"), news));
    BOOST_TEST(contains(top("\"repli sur soi\""), "cuf-rayonnement-attractivite-villes-moyennes"));
    BOOST_TEST(top("\"repli soi sur\"").empty());
}

BOOST_AUTO_TEST_CASE(acronyms_expand_and_spelling_is_corrected) {
    Reply r = get(search_path("APD"));
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.at("expansions").size() >= 1u);
    BOOST_TEST(r.body.at("expansions").as_array().at(0).as_string().find("aide publique") !=
               std::string::npos);
    r = get(search_path("attractivte"));
    BOOST_TEST(r.body.at("did_you_mean").as_string() == "attractivité");
    BOOST_TEST(r.body.at("corrected").as_bool());
    BOOST_TEST(r.body.at("total").as_integer() > 0);
    r = get(search_path("jumellages"));
    BOOST_TEST(r.body.at("did_you_mean").as_string() == "jumelages");
}

// ---- Facets through /search and /facets ----------------------------------------------------

namespace {

long long facet_count(const web::json::value& facets, const std::string& facet,
                      const std::string& id) {
    if (!facets.has_field(facet))
        return 0;
    for (const auto& v : facets.at(facet).as_array())
        if (v.at("id").as_string() == id)
            return v.at("count").as_integer();
    return 0;
}

} // namespace

BOOST_AUTO_TEST_CASE(facets_endpoint_lists_every_value_with_french_labels) {
    const Reply r = get("/facets");
    BOOST_TEST_REQUIRE(r.status == 200);
    const auto& f = r.body.at("facets");
    BOOST_TEST(r.body.at("total").as_integer() == 5367);
    BOOST_TEST(facet_count(f, "type", "texte de reference") == 5362);
    BOOST_TEST(facet_count(f, "actor", "cuf") >= 2);
    BOOST_TEST(facet_count(f, "theme", "attractivite") >= 2);
    BOOST_TEST(facet_count(f, "year", "2017") == 1);
    bool labelled = false;
    for (const auto& v : f.at("country").as_array())
        if (v.at("id").as_string() == "FR")
            labelled = v.at("label").as_string() == "France";
    BOOST_TEST(labelled);
}

BOOST_AUTO_TEST_CASE(filters_combine_and_counts_are_disjunctive) {
    Reply all = get(search_path("coopération", 10));
    const auto total = all.body.at("total").as_integer();
    Reply by_type = get(search_path("coopération", 10) + "&type=programme");
    BOOST_TEST_REQUIRE(by_type.status == 200);
    BOOST_TEST(by_type.body.at("total").as_integer() == 2);
    // The type facet ignores its own filter: it still counts the legal texts.
    BOOST_TEST(facet_count(by_type.body.at("facets"), "type", "texte de reference") > 0);
    // Two values of one facet are ORed.
    const std::string etude = "&type=" + web::uri::encode_data_string("étude");
    Reply studies = get(search_path("action internationale", 10) + etude);
    BOOST_TEST(studies.body.at("total").as_integer() == 1);
    Reply programmes = get(search_path("action internationale", 10) + "&type=programme");
    BOOST_TEST(programmes.body.at("total").as_integer() == 2);
    Reply two = get(search_path("action internationale", 10) + "&type=programme" + etude);
    BOOST_TEST(two.body.at("total").as_integer() == 3);
    // Exclusion.
    Reply without = get(search_path("coopération", 10) + "&-type=programme");
    BOOST_TEST(without.body.at("total").as_integer() == total - 2);
    Reply without2 = get(search_path("coopération", 10) + "&type!=programme");
    BOOST_TEST(without2.body.at("total").as_integer() == total - 2);
    // A country by label or code, an actor by acronym.
    Reply cuf = get(search_path("attractivité", 10) + "&actor=CUF");
    BOOST_TEST(cuf.body.at("total").as_integer() == 2);
    Reply years = get(search_path("rayonnement", 10) + "&year_from=2017&year_to=2017");
    BOOST_TEST(years.body.at("total").as_integer() == 1);
}

BOOST_AUTO_TEST_CASE(unknown_facets_and_values_are_400_naming_them) {
    Reply r = get(search_path("x") + "&country=Atlantide");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.body.at("error").at("message").as_string().find("Atlantide") != std::string::npos);
    r = get(search_path("x") + "&colour=red");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.body.at("error").at("message").as_string().find("colour") != std::string::npos);
    r = get(search_path("x") + "&type=roman");
    BOOST_TEST(r.status == 400);
    r = get(search_path("x") + "&year_from=20x7");
    BOOST_TEST(r.status == 400);
}

// ---- Concepts: a query naming a theme, country or actor, in French or English --------------

BOOST_AUTO_TEST_CASE(english_concept_names_reach_french_documents) {
    Reply r = get(search_path("water and sanitation", 10));
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.at("query_language").as_string() == "en");
    BOOST_TEST(r.body.at("total").as_integer() >= 10);
    BOOST_TEST(r.body.at("expansions").as_array().at(0).as_string().find("eau et assainissement") !=
               std::string::npos);
    // The French words the concept stands for are what the snippet marks.
    const std::string snippet = r.body.at("hits").as_array().at(0).at("snippet").as_string();
    BOOST_TEST((snippet.find("eau</mark>") != std::string::npos ||
                snippet.find("assainissement</mark>") != std::string::npos),
               snippet);
    // Words alone (expand=false) only match English words ("and" is common in the corpus'
    // English passages): the French document the concept found first is not among their hits.
    Reply plain = get(search_path("water and sanitation", 10) + "&expand=false");
    BOOST_TEST_REQUIRE(plain.status == 200);
    const std::string first = r.body.at("hits").as_array().at(0).at("id").as_string();
    for (const auto& hit : plain.body.at("hits").as_array())
        BOOST_TEST(hit.at("id").as_string() != first);
    Reply english = get(search_path("decentralised cooperation", 10));
    BOOST_TEST(english.body.at("query_language").as_string() == "en");
    Reply french = get(search_path("coopération décentralisée", 10));
    BOOST_TEST(french.body.at("query_language").as_string() == "fr");
}

// Issue 16: a page whose article is three short paragraphs inside <main><article>, beside a
// menu, an agenda and a news list, is found by the words of its article; a page with no text
// but its chrome is indexed by its title and named in --report.
BOOST_AUTO_TEST_CASE(an_html_page_is_found_by_the_words_of_its_short_article) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "pages";
    std::filesystem::create_directories(corpus);
    std::filesystem::copy_file(KB_TEST_DATA_DIR "/html_pages/01-main-article-courte.html",
                               corpus / "kayes.html");
    kb::test::write_file(corpus / "vide.html",
                         "<!doctype html><html lang=fr><head><title>Galerie de photos du "
                         "jumelage</title></head><body><header>Ville de Saint-Brieuc</header>"
                         "<nav><a href=/>Accueil</a></nav><main><img src=a.jpg alt=\"\"></main>"
                         "<footer>Mentions légales</footer></body></html>");
    const std::string index = (dir.path() / "index").string();
    const auto report = dir.path() / "report.jsonl";
    std::string summary;
    const int status = kb::test::run_indexer(
        index, {"--no-vectors", "--report", report.string(), corpus.string()}, &summary);
    BOOST_TEST(status == 2, summary); // the page without a body is a reported problem
    BOOST_TEST(summary.find("2 added") != std::string::npos, summary);
    BOOST_TEST(summary.find("1 incomplete") != std::string::npos, summary);
    std::ifstream in(report);
    const std::string problems((std::istreambuf_iterator<char>(in)), {});
    BOOST_TEST(problems.find("vide.html") != std::string::npos, problems);
    BOOST_TEST(problems.find("no body text") != std::string::npos, problems);
    BOOST_TEST(problems.find("\"skipped\":false") != std::string::npos, problems);
    BOOST_TEST(problems.find("kayes.html") == std::string::npos, problems);

    kb::test::ServerProcess process(index);
    web::http::client::http_client client(utility::conversions::to_string_t(process.url()));
    for (const char* word : {"Kayes", "forages", "briochine", "mission d'élus"}) {
        web::http::http_response r =
            client.request(web::http::methods::GET, search_path(word)).get();
        const Reply reply{r.status_code(), r.extract_json(true).get()};
        BOOST_TEST_REQUIRE(reply.status == 200);
        BOOST_TEST(contains(ids(reply), "kayes.html"), word);
    }
    // The menu, the agenda and the news list are not the page's words.
    for (const char* word : {"piscine", "Vide-greniers"}) {
        web::http::http_response r =
            client.request(web::http::methods::GET, search_path(word)).get();
        const Reply reply{r.status_code(), r.extract_json(true).get()};
        BOOST_TEST(!contains(ids(reply), "kayes.html"), word);
    }
    // The page without a body is still found by its title.
    web::http::http_response r =
        client.request(web::http::methods::GET, search_path("galerie photos")).get();
    BOOST_TEST(contains(ids(Reply{r.status_code(), r.extract_json(true).get()}), "vide.html"));
}

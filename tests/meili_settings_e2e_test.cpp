#define BOOST_TEST_MODULE meili_settings_e2e
// The Meilisearch settings a client may change (synonyms, stop words, faceting, pagination)
// through the real server on corpus/seeds: a change is a succeeded settingsUpdate task, GET
// says it, the next searches apply it (our /search and the Meilisearch routes), it is kept
// in settings.json and read back after a restart; a request naming a fixed setting or a
// wrong value is refused whole, nothing changed; changes need the settings.update action.
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using web::http::methods;
using web::json::value;

namespace {

const char* const kMaster = "settings-master-91c2";
using Reply = kb::test::HttpReply;

// A server of its own: these cases change the index settings.
struct Server : kb::test::SeedServer {
    Server()
        : SeedServer(std::string("api.master_key = ") + kMaster +
                     "\nlimits.requests_per_minute = 100000\n") {}
    // Stops the server and starts another on the same index and configuration.
    void restart() {
        server.reset();
        server = std::make_unique<kb::test::ServerProcess>(
            index,
            std::vector<std::string>{"--config", (dir.path() / "server.properties").string()});
    }
};

Server& api() {
    // Objects keep the answer's member order: the facet values' order is what is checked.
    web::json::keep_object_element_order(true);
    static Server instance;
    return instance;
}

Reply send(const web::http::method& method, const std::string& path, const std::string& body = "",
           const std::string& key = kMaster) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty())
        headers.emplace_back("Authorization", "Bearer " + key);
    return kb::test::http_send(api().server->url(), method, path, headers, body);
}

Reply get(const std::string& path) { return send(methods::GET, path); }
value settings() { return get("/indexes/documents/settings").json(); }
value search(const std::string& body) {
    const Reply r = send(methods::POST, "/indexes/documents/search", body);
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    return r.json();
}

// A change's 202 answer: a settingsUpdate task that has succeeded, as GET /tasks/{uid} says.
value succeeded(const Reply& r) {
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    const value summary = r.json();
    BOOST_TEST(summary.at("type").as_string() == "settingsUpdate");
    value task = get("/tasks/" + std::to_string(summary.at("taskUid").as_integer())).json();
    BOOST_TEST(task.at("status").as_string() == "succeeded", task.serialize());
    return task;
}

void refused(const Reply& r, const std::string& code) {
    BOOST_TEST(r.status == 400, r.body);
    BOOST_TEST(r.json().at("code").as_string() == code, r.body);
    BOOST_TEST(r.json().at("type").as_string() == "invalid_request");
}

std::vector<std::string> keys_of(const value& object) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : object.as_object())
        keys.push_back(k);
    return keys;
}

std::set<std::string> hit_ids(const value& answer) {
    std::set<std::string> ids;
    const value hits = answer.at("hits");
    for (const value& h : hits.as_array())
        ids.insert(h.at("id").as_string());
    return ids;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const char* const kRayonnement[] = {"cuf-internationalisation-attractivite-rayonnement",
                                    "cuf-rayonnement-attractivite-villes-moyennes"};

} // namespace

BOOST_AUTO_TEST_CASE(synonyms_are_stored_shown_and_widen_the_next_searches) {
    BOOST_TEST(hit_ids(search(R"({"q":"zorglub"})")).empty());
    const value task = succeeded(send(methods::PUT, "/indexes/documents/settings/synonyms",
                                      R"({"Zorglub":["rayonnement"]})"));
    BOOST_TEST(task.at("details").at("synonyms").at("Zorglub").at(0).as_string() == "rayonnement");
    // GET: the acronyms and the new key.
    const value synonyms = settings().at("synonyms");
    BOOST_TEST(synonyms.at("Zorglub").at(0).as_string() == "rayonnement");
    BOOST_TEST(synonyms.has_field("APD"));
    // The Meilisearch search and ours both widen the word; ours says so.
    BOOST_TEST((hit_ids(search(R"({"q":"zorglub"})")) ==
                std::set<std::string>(std::begin(kRayonnement), std::end(kRayonnement))));
    const value native = get("/search?q=zorglub").json();
    BOOST_TEST(native.at("total").as_integer() == 2);
    BOOST_TEST(native.at("expansions").at(0).as_string() == "Zorglub \u2192 rayonnement");
    succeeded(send(methods::DEL, "/indexes/documents/settings/synonyms"));
    BOOST_TEST(!settings().at("synonyms").has_field("Zorglub"));
    BOOST_TEST(hit_ids(search(R"({"q":"zorglub"})")).empty());
}

BOOST_AUTO_TEST_CASE(stop_words_are_dropped_from_the_next_queries) {
    // matchingStrategy "all": every word required, however few records have them all.
    const std::string q =
        R"({"q":"colloque villes","matchingStrategy":"all","attributesToRetrieve":["id"]})";
    const auto before = hit_ids(search(q));
    BOOST_TEST(before.size() == 1u); // every word: the colloquium's report alone
    succeeded(send(methods::PUT, "/indexes/documents/settings/stop-words", R"(["Colloque"])"));
    std::set<std::string> stop;
    const value words = settings().at("stopWords");
    for (const value& w : words.as_array())
        stop.insert(w.as_string());
    BOOST_TEST((stop.count("colloque") && stop.count("le"))); // folded, with the French list
    BOOST_TEST(hit_ids(search(q)).size() > before.size());    // "villes" alone
    succeeded(send(methods::DEL, "/indexes/documents/settings/stop-words"));
    BOOST_TEST(hit_ids(search(q)) == before);
}

BOOST_AUTO_TEST_CASE(faceting_orders_and_cuts_the_distribution) {
    const std::string q = R"({"q":"","facets":["type"],"limit":0})";
    // By count (the two programmes), then by label in French order: "étude" before
    // "programme", not after it as bytes would put it.
    BOOST_TEST((keys_of(search(q).at("facetDistribution").at("type")) ==
                std::vector<std::string>{"programme", "actualité", "colloque", "étude"}));
    succeeded(send(methods::PATCH, "/indexes/documents/settings",
                   R"({"faceting":{"sortFacetValuesBy":{"*":"alpha"}}})"));
    value types = search(q).at("facetDistribution").at("type");
    BOOST_TEST((keys_of(types) ==
                std::vector<std::string>{"actualité", "colloque", "étude", "programme"}));
    BOOST_TEST(types.at("programme").as_integer() == 2);
    // maxValuesPerFacet alone leaves the order as it is; a facet of its own order wins.
    succeeded(
        send(methods::PATCH, "/indexes/documents/settings/faceting", R"({"maxValuesPerFacet":2})"));
    BOOST_TEST((keys_of(search(q).at("facetDistribution").at("type")) ==
                std::vector<std::string>{"actualité", "colloque"}));
    succeeded(send(methods::PATCH, "/indexes/documents/settings/faceting",
                   R"({"sortFacetValuesBy":{"*":"alpha","type":"count"}})"));
    BOOST_TEST((keys_of(search(q).at("facetDistribution").at("type")) ==
                std::vector<std::string>{"programme", "actualité"}));
    const value faceting = settings().at("faceting");
    BOOST_TEST(faceting.at("maxValuesPerFacet").as_integer() == 2);
    BOOST_TEST(faceting.at("sortFacetValuesBy").at("*").as_string() == "alpha");
    BOOST_TEST(faceting.at("sortFacetValuesBy").at("type").as_string() == "count");
    // Facet search: every matching value, ordered and cut alike.
    const Reply fs = send(methods::POST, "/indexes/documents/facet-search",
                          R"({"facetName":"type","facetQuery":""})");
    BOOST_TEST(fs.json().at("facetHits").size() == 2u, fs.body);
    BOOST_TEST(fs.json().at("facetHits").at(0).at("value").as_string() == "programme");
    succeeded(send(methods::DEL, "/indexes/documents/settings/faceting"));
    BOOST_TEST(settings().at("faceting").at("maxValuesPerFacet").as_integer() == 100);
}

BOOST_AUTO_TEST_CASE(max_total_hits_caps_totals_and_paging) {
    succeeded(
        send(methods::PATCH, "/indexes/documents/settings/pagination", R"({"maxTotalHits":3})"));
    const value window = search(R"({"q":"","limit":10})");
    BOOST_TEST(window.at("hits").size() == 3u);
    BOOST_TEST(window.at("estimatedTotalHits").as_integer() == 3);
    BOOST_TEST(search(R"({"q":"","offset":3})").at("hits").size() == 0u);
    const value pages = search(R"({"q":"","hitsPerPage":2,"page":2})");
    BOOST_TEST(pages.at("totalHits").as_integer() == 3);
    BOOST_TEST(pages.at("totalPages").as_integer() == 2);
    BOOST_TEST(pages.at("hits").size() == 1u);
    BOOST_TEST(settings().at("pagination").at("maxTotalHits").as_integer() == 3);
    succeeded(send(methods::DEL, "/indexes/documents/settings/pagination"));
    BOOST_TEST(search(R"({"q":"","limit":10})").at("estimatedTotalHits").as_integer() == 5);
}

BOOST_AUTO_TEST_CASE(a_request_with_a_fixed_setting_or_a_wrong_value_changes_nothing) {
    const value before = settings();
    const std::string settings_file =
        (std::filesystem::path(api().index) / "settings.json").string();
    const std::string file_before = read_file(settings_file);
    // A writable setting beside a fixed one: the whole request is refused.
    const Reply mixed = send(methods::PATCH, "/indexes/documents/settings",
                             R"({"synonyms":{"a":["b"]},"rankingRules":["words"]})");
    refused(mixed, "invalid_settings_ranking_rules");
    BOOST_TEST(mixed.json().at("message").as_string().find("`rankingRules` is fixed") !=
               std::string::npos);
    refused(send(methods::PATCH, "/indexes/documents/settings",
                 R"({"stopWords":["jumelage"],"faceting":{"maxValuesPerFacet":"10"}})"),
            "invalid_settings_faceting");
    refused(send(methods::PUT, "/indexes/documents/settings/stop-words", R"(["deux mots"])"),
            "invalid_settings_stop_words");
    refused(send(methods::PUT, "/indexes/documents/settings/synonyms", R"({"a":"b"})"),
            "invalid_settings_synonyms");
    refused(send(methods::PUT, "/indexes/documents/settings/synonyms",
                 R"({"un deux trois quatre cinq six sept":["x"]})"),
            "invalid_settings_synonyms");
    refused(send(methods::PATCH, "/indexes/documents/settings/faceting",
                 R"({"sortFacetValuesBy":{"genre":"count"}})"),
            "invalid_settings_faceting");
    refused(send(methods::PATCH, "/indexes/documents/settings/faceting",
                 R"({"sortFacetValuesBy":{"type":"random"}})"),
            "invalid_settings_faceting");
    refused(send(methods::PATCH, "/indexes/documents/settings/pagination", R"({"maxTotalHits":0})"),
            "invalid_settings_pagination");
    refused(
        send(methods::PATCH, "/indexes/documents/settings/pagination", R"({"maxTotalHits":10001})"),
        "invalid_settings_pagination");
    refused(
        send(methods::PATCH, "/indexes/documents/settings/typo-tolerance", R"({"enabled":false})"),
        "invalid_settings_typo_tolerance");
    BOOST_TEST(send(methods::PATCH, "/indexes/documents/settings", R"({"nonsense":1})").status ==
               400);
    BOOST_TEST(settings() == before);
    BOOST_TEST(read_file(settings_file) == file_before);
    // Resets are accepted: a fixed setting keeps its only value.
    succeeded(send(methods::DEL, "/indexes/documents/settings/ranking-rules"));
    succeeded(send(methods::DEL, "/indexes/documents/settings"));
    BOOST_TEST(settings() == before);
}

BOOST_AUTO_TEST_CASE(changes_need_the_settings_update_action) {
    const auto key_with = [](const std::string& actions) {
        const Reply r =
            send(methods::POST, "/keys",
                 R"({"actions":)" + actions + R"(,"indexes":["documents"],"expiresAt":null})");
        BOOST_TEST_REQUIRE(r.status == 201, r.body);
        return r.json().at("key").as_string();
    };
    const std::string reader = key_with(R"(["search","settings.get"])");
    const std::string writer = key_with(R"(["settings.update","settings.get","tasks.get"])");
    const std::string body = R"({"pagination":{"maxTotalHits":4}})";
    BOOST_TEST(send(methods::PATCH, "/indexes/documents/settings", body, "").status == 401);
    const Reply denied = send(methods::PATCH, "/indexes/documents/settings", body, reader);
    BOOST_TEST(denied.status == 403, denied.body);
    BOOST_TEST(settings().at("pagination").at("maxTotalHits").as_integer() == 10000);
    BOOST_TEST(send(methods::PATCH, "/indexes/documents/settings", body, writer).status == 202);
    BOOST_TEST(settings().at("pagination").at("maxTotalHits").as_integer() == 4);
    succeeded(send(methods::DEL, "/indexes/documents/settings/pagination", "", writer));
}

// Last: it restarts the server.
BOOST_AUTO_TEST_CASE(settings_are_kept_in_settings_json_and_read_back_at_start) {
    succeeded(send(methods::PATCH, "/indexes/documents/settings",
                   R"({"synonyms":{"zorglub":["rayonnement"]},"stopWords":["colloque"],)"
                   R"("faceting":{"maxValuesPerFacet":3,"sortFacetValuesBy":{"type":"alpha"}},)"
                   R"("pagination":{"maxTotalHits":4}})"));
    const value stored = settings();
    const std::filesystem::path file = std::filesystem::path(api().index) / "settings.json";
    const value on_disk = value::parse(read_file(file));
    BOOST_TEST(on_disk.at("synonyms").at("zorglub").at(0).as_string() == "rayonnement");
    BOOST_TEST(on_disk.at("pagination").at("maxTotalHits").as_integer() == 4);
    BOOST_TEST(!std::filesystem::exists(file.string() + ".tmp"));

    api().restart();
    BOOST_TEST(settings() == stored);
    BOOST_TEST(hit_ids(search(R"({"q":"zorglub"})")).size() == 2u);
    BOOST_TEST(search(R"({"q":"","limit":10})").at("hits").size() == 4u);
    BOOST_TEST(search(R"({"q":"","facets":["type"],"limit":0})")
                   .at("facetDistribution")
                   .at("type")
                   .size() == 3u);
    succeeded(send(methods::DEL, "/indexes/documents/settings"));
    BOOST_TEST(read_file(file) == "{}");
}

#define BOOST_TEST_MODULE meili_admin_e2e
// The Meilisearch routes beside search, through the real server on corpus/seeds: version,
// stats and indexes against /health and /facets, settings as the engine has them (their
// changes: meili_settings_e2e_test), document browsing, writes answered as tasks, partial
// updates, deletions and the task log's filters.
#include "tests/e2e_support.h"
#include "tests/http_client_support.h"

#include <boost/test/unit_test.hpp>
#include <cpprest/http_client.h>

#include <regex>
#include <set>
#include <string>

using web::http::methods;
using web::json::value;

namespace {

const char* const kKey = "meili-admin-key-5d1e";

kb::test::SeedServer& api() {
    static kb::test::SeedServer instance(std::string("api.keys = ") + kKey +
                                         "\nlimits.requests_per_minute = 100000\n");
    return instance;
}

using Reply = kb::test::HttpReply;

Reply send(const web::http::method& method, const std::string& path, const std::string& body = "",
           bool keyed = true, const std::string& base = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (keyed)
        headers.emplace_back("Authorization", std::string("Bearer ") + kKey);
    return kb::test::http_send(base.empty() ? api().server->url() : base, method, path, headers,
                               body);
}

Reply get(const std::string& path) { return send(methods::GET, path, "", false); }

std::string encoded(const std::string& s) { return web::uri::encode_data_string(s); }

// A write's 202 answer, and the task it names as GET /tasks/{uid} gives it.
value task_of(const Reply& r) {
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    const value summary = r.json();
    BOOST_TEST(summary.at("indexUid").as_string() == "documents");
    const Reply t =
        send(methods::GET, "/tasks/" + std::to_string(summary.at("taskUid").as_integer()));
    BOOST_TEST_REQUIRE(t.status == 200, t.body);
    value task = t.json();
    BOOST_TEST(task.at("status").as_string() == summary.at("status").as_string());
    BOOST_TEST(task.at("type").as_string() == summary.at("type").as_string());
    BOOST_TEST(task.at("enqueuedAt").as_string() == summary.at("enqueuedAt").as_string());
    return task;
}

// A Meilisearch error: the status, and {message, code, type, link}.
void check_meili_error(const Reply& r, int status, const std::string& code) {
    BOOST_TEST(r.status == status, r.body);
    const value e = r.json();
    BOOST_TEST(e.at("code").as_string() == code, r.body);
    BOOST_TEST(e.at("type").as_string() == "invalid_request");
    BOOST_TEST(e.at("link").as_string() == "https://docs.meilisearch.com/errors#" + code);
    BOOST_TEST(!e.at("message").as_string().empty());
}

std::vector<std::string> ids_of(const value& results) {
    std::vector<std::string> ids;
    for (const value& d : results.as_array())
        ids.push_back(d.at("id").as_string());
    return ids;
}

} // namespace

BOOST_AUTO_TEST_CASE(version_stats_and_indexes_say_what_health_and_facets_say) {
    const value version = get("/version").json();
    BOOST_TEST(
        std::regex_match(version.at("commitSha").as_string(), std::regex("[0-9a-f]{40}|unknown")));
    BOOST_TEST(!version.at("commitDate").as_string().empty());
    BOOST_TEST(std::regex_match(version.at("pkgVersion").as_string(),
                                std::regex("[0-9]+\\.[0-9]+\\.[0-9]+")));

    const value health = get("/health").json();
    const value stats = get("/stats").json();
    const value index = stats.at("indexes").at("documents");
    BOOST_TEST(index.at("numberOfDocuments").as_integer() == health.at("documents").as_integer());
    BOOST_TEST(index.at("isIndexing").as_bool() == false);
    BOOST_TEST(stats.at("lastUpdate").as_string() == health.at("last_commit").as_string());
    BOOST_TEST(stats.at("databaseSize").as_number().to_uint64() > 10000u);
    BOOST_TEST(get("/indexes/documents/stats").json() == index);
    check_meili_error(get("/indexes/other/stats"), 404, "index_not_found");

    const value indexes = get("/indexes").json();
    BOOST_TEST(indexes.at("total").as_integer() == 1);
    BOOST_TEST(indexes.at("limit").as_integer() == 20);
    BOOST_TEST_REQUIRE(indexes.at("results").size() == 1u);
    BOOST_TEST(indexes.at("results").at(0) == get("/indexes/documents").json());
    BOOST_TEST(indexes.at("results").at(0).at("primaryKey").as_string() == "id");
    BOOST_TEST(get("/indexes?offset=1").json().at("results").size() == 0u);

    // The filterable attributes are the facets /facets lists, and region > country's levels.
    const value fields = get("/facets").json().at("fields");
    const value attributes = get("/indexes/documents/settings/filterable-attributes").json();
    std::vector<std::string> facets, filterable;
    for (const value& f : fields.as_array())
        facets.push_back(f.at("name").as_string());
    facets.insert(facets.end(), {"place.lvl0", "place.lvl1"});
    for (const value& f : attributes.as_array())
        filterable.push_back(f.as_string());
    BOOST_TEST(filterable == facets);
}

BOOST_AUTO_TEST_CASE(settings_describe_the_engine_and_each_route_gives_its_part) {
    const Reply r = get("/indexes/documents/settings");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    const value s = r.json();
    BOOST_TEST(s.at("rankingRules") ==
               value::parse(R"(["sort","words","attribute","exactness"])")); // exact_boost 1
    BOOST_TEST(s.at("sortableAttributes").at(0).as_string() == "date");
    BOOST_TEST(s.at("searchableAttributes").at(0).as_string() == "title");
    BOOST_TEST(s.at("distinctAttribute").is_null());
    BOOST_TEST(s.at("faceting").at("maxValuesPerFacet").as_integer() == 100);
    BOOST_TEST(s.at("faceting").at("sortFacetValuesBy").at("*").as_string() == "count");
    BOOST_TEST(s.at("pagination").at("maxTotalHits").as_integer() == 10000);
    BOOST_TEST(s.at("searchCutoffMs").as_integer() == 2000);
    BOOST_TEST(s.at("typoTolerance").at("minWordSizeForTypos").at("oneTypo").as_integer() == 3);
    // The acronyms both ways, and the analyzer's stop words.
    bool apd = false;
    for (const value& v : s.at("synonyms").at("APD").as_array())
        apd = apd || v.as_string() == "aide publique au développement";
    BOOST_TEST(apd);
    BOOST_TEST(s.at("synonyms").at("aide publique au développement").at(0).as_string() == "APD");
    std::set<std::string> stop;
    for (const value& v : s.at("stopWords").as_array())
        stop.insert(v.as_string());
    BOOST_TEST((stop.count("le") && stop.count("des") && !stop.count("jumelage")));

    const std::pair<const char*, const char*> routes[] = {
        {"displayed-attributes", "displayedAttributes"},
        {"searchable-attributes", "searchableAttributes"},
        {"filterable-attributes", "filterableAttributes"},
        {"sortable-attributes", "sortableAttributes"},
        {"ranking-rules", "rankingRules"},
        {"synonyms", "synonyms"},
        {"stop-words", "stopWords"},
        {"distinct-attribute", "distinctAttribute"},
        {"typo-tolerance", "typoTolerance"},
        {"faceting", "faceting"},
        {"pagination", "pagination"},
        {"search-cutoff-ms", "searchCutoffMs"}};
    for (const auto& [route, key] : routes) {
        const Reply one = get(std::string("/indexes/documents/settings/") + route);
        BOOST_TEST(one.status == 200, route);
        BOOST_TEST(one.json() == s.at(key), route);
    }
    BOOST_TEST(get("/indexes/documents/settings/nothing-such").status == 404);
    check_meili_error(get("/indexes/other/settings"), 404, "index_not_found");
}

BOOST_AUTO_TEST_CASE(documents_browse_in_the_empty_query_order_with_filter_fields_and_window) {
    const value all = get("/indexes/documents/documents").json();
    const value search = get("/search?q=&size=20").json();
    BOOST_TEST(all.at("total").as_integer() == get("/health").json().at("documents").as_integer());
    BOOST_TEST(all.at("offset").as_integer() == 0);
    BOOST_TEST(all.at("limit").as_integer() == 20);
    std::vector<std::string> searched;
    for (const value& h : search.at("hits").as_array())
        searched.push_back(h.at("id").as_string());
    BOOST_TEST(ids_of(all.at("results")) == searched);

    const value window = get("/indexes/documents/documents?offset=1&limit=2").json();
    BOOST_TEST_REQUIRE(window.at("results").size() == 2u);
    BOOST_TEST(ids_of(window.at("results")) ==
               std::vector<std::string>(searched.begin() + 1, searched.begin() + 3));
    BOOST_TEST(window.at("limit").as_integer() == 2);

    const value some = get("/indexes/documents/documents?limit=1&fields=id,title").json();
    const auto& doc = some.at("results").at(0).as_object();
    BOOST_TEST(doc.size() == 2u);
    BOOST_TEST(some.at("results").at(0).at("title").as_string() ==
               search.at("hits").at(0).at("title").as_string());

    // A filter keeps what /search keeps with the same facet filter.
    const value news =
        get("/indexes/documents/documents?filter=" + encoded("type = actualité")).json();
    const value news_search = get("/search?q=&type=" + encoded("actualité")).json();
    BOOST_TEST(news.at("total").as_integer() == news_search.at("total").as_integer());
    BOOST_TEST(news.at("results").at(0).at("type").as_string() == "actualité");
    const Reply fetched = send(methods::POST, "/indexes/documents/documents/fetch",
                               R"({"filter":[["type = actualité"]],"limit":5})", false);
    BOOST_TEST_REQUIRE(fetched.status == 200, fetched.body);
    BOOST_TEST(fetched.json().at("results") == news.at("results"));

    // One document: the whole record, as the browse gives it.
    const std::string id = searched.at(0);
    const value one = get("/indexes/documents/documents/" + encoded(id)).json();
    BOOST_TEST(one == all.at("results").at(0));
    BOOST_TEST(!one.at("text").as_string().empty());
    BOOST_TEST(one.at("language").as_string() == "fr");

    check_meili_error(get("/indexes/documents/documents/no-such-document"), 404,
                      "document_not_found");
    check_meili_error(get("/indexes/other/documents"), 404, "index_not_found");
    check_meili_error(get("/indexes/other/documents/" + encoded(id)), 404, "index_not_found");
    check_meili_error(get("/indexes/documents/documents?limit=many"), 400,
                      "invalid_document_limit");
    check_meili_error(get("/indexes/documents/documents?filter=" + encoded("colour = red")), 400,
                      "invalid_document_filter");
}

BOOST_AUTO_TEST_CASE(an_addition_is_a_succeeded_task_and_the_document_is_then_searchable) {
    const Reply r = send(methods::POST, "/indexes/documents/documents", R"([
        {"id":"meili-add-1","title":"Jumelage avec Zinguinchorville","text":"Un jumelage entre une commune et Zinguinchorville.",
         "type":"actualité","date":"2024-05-02"},
        {"id":"meili-add-2","title":"Deuxième","text":"Zinguinchorville encore.",
         "author":"A. Auteur"}])");
    const value task = task_of(r);
    BOOST_TEST(task.at("status").as_string() == "succeeded");
    BOOST_TEST(task.at("type").as_string() == "documentAdditionOrUpdate");
    BOOST_TEST(task.at("details").at("receivedDocuments").as_integer() == 2);
    BOOST_TEST(task.at("details").at("indexedDocuments").as_integer() == 2);
    BOOST_TEST(task.at("error").is_null());
    BOOST_TEST(task.at("canceledBy").is_null());
    BOOST_TEST(
        std::regex_match(task.at("duration").as_string(), std::regex("PT[0-9]+\\.[0-9]{6}S")));
    const std::regex rfc3339("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z");
    for (const char* at : {"enqueuedAt", "startedAt", "finishedAt"})
        BOOST_TEST(std::regex_match(task.at(at).as_string(), rfc3339), at);
    BOOST_TEST(task.at("startedAt").as_string() <= task.at("finishedAt").as_string());

    const value found = send(methods::POST, "/indexes/documents/search",
                             R"({"q":"Zinguinchorville","limit":5})", false)
                            .json();
    BOOST_TEST(found.at("estimatedTotalHits").as_integer() == 2);
    const value doc = get("/indexes/documents/documents/meili-add-2").json();
    BOOST_TEST(doc.at("author").as_string() == "A. Auteur");
    BOOST_TEST(doc.at("source_file").as_string() == "api");
    // Writes need a key.
    BOOST_TEST(
        send(methods::POST, "/indexes/documents/documents", R"({"id":"x","text":"y"})", false)
            .status == 401);
}

BOOST_AUTO_TEST_CASE(a_partial_update_replaces_the_fields_given_and_keeps_the_others) {
    task_of(send(methods::POST, "/indexes/documents/documents",
                 R"({"id":"meili-upd","title":"Avant","text":"Le texte d'origine.",
                     "type":"étude","date":"2019-03-01","publisher":"CUF"})"));
    const value task = task_of(send(methods::PUT, "/indexes/documents/documents",
                                    R"([{"id":"meili-upd","title":"Après","publisher":null},
                         {"id":"meili-upd-new","text":"Un nouveau texte."}])"));
    BOOST_TEST(task.at("status").as_string() == "succeeded");
    BOOST_TEST(task.at("details").at("indexedDocuments").as_integer() == 2);
    const value doc = get("/indexes/documents/documents/meili-upd").json();
    BOOST_TEST(doc.at("title").as_string() == "Après");
    BOOST_TEST(doc.at("text").as_string() == "Le texte d'origine.");
    BOOST_TEST(doc.at("type").as_string() == "étude");
    BOOST_TEST(doc.at("date").as_string() == "2019-03-01");
    BOOST_TEST(!doc.has_field("publisher")); // null removes a field
    BOOST_TEST(get("/indexes/documents/documents/meili-upd-new").status == 200);
    // A new id without text is no record: the task fails and nothing is written.
    const value failed = task_of(send(methods::PUT, "/indexes/documents/documents",
                                      R"([{"id":"meili-upd","title":"Encore"},
                                          {"id":"meili-upd-nothing","title":"Sans texte"}])"));
    BOOST_TEST(failed.at("status").as_string() == "failed");
    BOOST_TEST(get("/indexes/documents/documents/meili-upd").json().at("title").as_string() ==
               "Après");
}

BOOST_AUTO_TEST_CASE(deletions_by_id_by_batch_and_by_filter_are_tasks) {
    task_of(send(methods::POST, "/indexes/documents/documents",
                 R"([{"id":"meili-del-1","text":"un","type":"essai meili"},
                     {"id":"meili-del-2","text":"deux","type":"essai meili"},
                     {"id":"meili-del-3","text":"trois","type":"essai meili"},
                     {"id":"meili-del-4","text":"quatre","type":"essai meili filtré"}])"));
    const value one = task_of(send(methods::DEL, "/indexes/documents/documents/meili-del-1"));
    BOOST_TEST(one.at("type").as_string() == "documentDeletion");
    BOOST_TEST(one.at("details").at("providedIds").as_integer() == 1);
    BOOST_TEST(one.at("details").at("deletedDocuments").as_integer() == 1);
    BOOST_TEST(one.at("details").at("originalFilter").is_null());
    BOOST_TEST(get("/indexes/documents/documents/meili-del-1").status == 404);

    const value batch = task_of(send(methods::POST, "/indexes/documents/documents/delete-batch",
                                     R"(["meili-del-2","meili-del-3","meili-del-none"])"));
    BOOST_TEST(batch.at("details").at("providedIds").as_integer() == 3);
    BOOST_TEST(batch.at("details").at("deletedDocuments").as_integer() == 2);

    const value by_filter = task_of(send(methods::POST, "/indexes/documents/documents/delete",
                                         R"({"filter":"type = \"essai meili filtré\""})"));
    BOOST_TEST(by_filter.at("status").as_string() == "succeeded");
    BOOST_TEST(by_filter.at("details").at("providedIds").as_integer() == 0);
    BOOST_TEST(by_filter.at("details").at("deletedDocuments").as_integer() == 1);
    BOOST_TEST(by_filter.at("details").at("originalFilter").as_string() ==
               R"("type = \"essai meili filtré\"")");
    BOOST_TEST(get("/indexes/documents/documents/meili-del-4").status == 404);
    // The seeds are still there.
    BOOST_TEST(get("/indexes/documents/documents?limit=1").json().at("total").as_integer() >= 5);

    check_meili_error(send(methods::POST, "/indexes/documents/documents/delete", R"({})"), 400,
                      "missing_document_filter");
    check_meili_error(
        send(methods::POST, "/indexes/documents/documents/delete", R"({"filter":"colour = red"})"),
        400, "invalid_document_filter");
    BOOST_TEST(
        send(methods::POST, "/indexes/documents/documents/delete-batch", R"({"a":1})").status ==
        400);
}

BOOST_AUTO_TEST_CASE(a_failed_write_is_a_failed_task_and_a_body_that_is_not_json_a_400) {
    const value task = task_of(send(methods::POST, "/indexes/documents/documents",
                                    R"([{"id":"meili-ok","text":"bon"},{"id":"meili-no-text"}])"));
    BOOST_TEST(task.at("status").as_string() == "failed");
    BOOST_TEST(task.at("details").at("receivedDocuments").as_integer() == 2);
    BOOST_TEST(task.at("details").at("indexedDocuments").as_integer() == 0);
    const value error = task.at("error");
    BOOST_TEST(error.at("code").as_string() == "invalid_record");
    BOOST_TEST(error.at("type").as_string() == "invalid_request");
    BOOST_TEST(error.at("link").as_string() ==
               "https://docs.meilisearch.com/errors#invalid_record");
    BOOST_TEST(error.at("message").as_string().find("record 1") != std::string::npos);
    // Atomic: the good record was not written either.
    BOOST_TEST(get("/indexes/documents/documents/meili-ok").status == 404);

    check_meili_error(send(methods::POST, "/indexes/documents/documents", R"([{"id":)"), 400,
                      "malformed_payload");
    check_meili_error(send(methods::POST, "/indexes/documents/documents", ""), 400,
                      "missing_payload");
    check_meili_error(send(methods::POST, "/indexes/other/documents", R"({"id":"a","text":"b"})"),
                      404, "index_not_found");
}

BOOST_AUTO_TEST_CASE(the_task_log_filters_and_pages) {
    const value ok = task_of(
        send(methods::POST, "/indexes/documents/documents", R"({"id":"meili-t","text":"t"})"));
    const value bad =
        task_of(send(methods::POST, "/indexes/documents/documents", R"({"id":"meili-t2"})"));
    const value del = task_of(send(methods::DEL, "/indexes/documents/documents/meili-t"));
    const int last = del.at("uid").as_integer();

    const value page = send(methods::GET, "/tasks?limit=2").json();
    BOOST_TEST(page.at("limit").as_integer() == 2);
    BOOST_TEST_REQUIRE(page.at("results").size() == 2u);
    BOOST_TEST(page.at("results").at(0).at("uid").as_integer() == last); // newest first
    BOOST_TEST(page.at("from").as_integer() == last);
    BOOST_TEST(page.at("next").as_integer() == last - 2);
    BOOST_TEST(page.at("total").as_integer() == last + 1); // uids from 0, none forgotten yet
    const value older =
        send(methods::GET, "/tasks?limit=1&from=" + std::to_string(last - 1)).json();
    BOOST_TEST(older.at("results").at(0) == bad);

    const value failed = send(methods::GET, "/tasks?statuses=failed").json();
    BOOST_TEST(failed.at("total").as_integer() >= 1);
    for (const value& t : failed.at("results").as_array())
        BOOST_TEST(t.at("status").as_string() == "failed");
    const value deletions = send(methods::GET, "/tasks?types=documentDeletion").json();
    BOOST_TEST(deletions.at("results").at(0) == del);
    for (const value& t : deletions.at("results").as_array())
        BOOST_TEST(t.at("type").as_string() == "documentDeletion");
    const std::string uids = std::to_string(ok.at("uid").as_integer()) + "," +
                             std::to_string(bad.at("uid").as_integer());
    const value two =
        send(methods::GET, "/tasks?uids=" + encoded(uids) + "&indexUids=documents").json();
    BOOST_TEST(two.at("total").as_integer() == 2);
    BOOST_TEST(two.at("results").at(1) == ok);
    BOOST_TEST(send(methods::GET, "/tasks?statuses=enqueued").json().at("total").as_integer() == 0);
    BOOST_TEST(send(methods::GET, "/tasks?indexUids=other").json().at("total").as_integer() == 0);
    const value oldest = send(methods::GET, "/tasks?reverse=true&limit=1").json();
    BOOST_TEST(oldest.at("results").at(0).at("uid").as_integer() == 0);

    check_meili_error(send(methods::GET, "/tasks?statuses=done"), 400, "invalid_task_statuses");
    check_meili_error(send(methods::GET, "/tasks?types=everything"), 400, "invalid_task_types");
    check_meili_error(send(methods::GET, "/tasks/999999"), 404, "task_not_found");
    BOOST_TEST(send(methods::GET, "/tasks", "", false).status == 401);
}

// Last, on a server of its own: every record deleted, as Meilisearch's DELETE does.
BOOST_AUTO_TEST_CASE(deleting_every_document_empties_the_index) {
    kb::test::SeedServer own(std::string("api.keys = ") + kKey + "\n");
    const std::string base = own.server->url();
    const long long before = send(methods::GET, "/stats", "", false, base)
                                 .json()
                                 .at("indexes")
                                 .at("documents")
                                 .at("numberOfDocuments")
                                 .as_number()
                                 .to_int64();
    BOOST_TEST_REQUIRE(before >= 5);
    const Reply r = send(methods::DEL, "/indexes/documents/documents", "", true, base);
    BOOST_TEST_REQUIRE(r.status == 202, r.body);
    const value task = send(methods::GET, "/tasks/0", "", true, base).json();
    BOOST_TEST(task.at("status").as_string() == "succeeded");
    BOOST_TEST(task.at("details").at("deletedDocuments").as_integer() == before);
    BOOST_TEST(send(methods::GET, "/indexes/documents/documents", "", false, base)
                   .json()
                   .at("total")
                   .as_integer() == 0);
    BOOST_TEST(send(methods::DEL, "/indexes/documents/documents", "", false, base).status == 401);
}

#define BOOST_TEST_MODULE index
#include "document_builder.h"
#include "index_writer.h"
#include "schema.h"
#include "searcher.h"
#include "test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

namespace {

kb::Record record(const std::string& id, const std::string& text) {
    kb::Record r;
    r.id = id;
    r.title = "Titre " + id;
    r.text = text;
    r.date = "2017-10-03";
    r.type = "programme";
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(reindexing_replaces_never_duplicates) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path);
        BOOST_TEST((w.write(record("a", "coopération décentralisée")) == kb::WriteOutcome::Added));
        BOOST_TEST((w.write(record("b", "jumelage")) == kb::WriteOutcome::Added));
        w.commit();
    }
    {
        kb::IndexWriter w(path);
        BOOST_TEST(
            (w.write(record("a", "coopération décentralisée")) == kb::WriteOutcome::Unchanged));
        BOOST_TEST(
            (w.write(record("b", "jumelages franco-japonais")) == kb::WriteOutcome::Replaced));
        w.commit();
        BOOST_TEST(w.document_count() == 2u);
    }
    kb::Searcher s(path);
    BOOST_TEST(s.document_count() == 2u);
    BOOST_TEST(s.document("b")->text == "jumelages franco-japonais");
    BOOST_TEST(s.search({"japonais", 1, 10}).hits.size() == 1u);
    BOOST_TEST(s.search({"jumelage", 1, 10}).total == 1u);
    BOOST_TEST(!s.last_commit().empty());
}

BOOST_AUTO_TEST_CASE(a_run_that_does_not_commit_leaves_the_index_as_it_was) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path);
        w.write(record("a", "avant"));
        w.commit();
    }
    {
        kb::IndexWriter w(path);
        w.write(record("a", "après"));
        w.write(record("c", "nouveau"));
        w.remove("a");
        // destroyed without commit(): as if the run failed half-way
    }
    kb::Searcher s(path);
    BOOST_TEST(s.document_count() == 1u);
    BOOST_TEST(s.document("a")->text == "avant");
    BOOST_TEST(!s.document("c"));
}

BOOST_AUTO_TEST_CASE(records_round_trip_through_the_index) {
    kb::Record r = record("x/y.md", "Du texte « cité » avec œ et 4 700.");
    r.publisher = "Cités Unies France";
    r.url = "https://example.org/page";
    r.metadata["site"] = "Le portail";
    Xapian::Document doc = kb::build_document(r, kb::Analyzer());
    BOOST_TEST((kb::decode_record(doc.get_data()) == r));
    BOOST_TEST(doc.get_value(kb::schema::kDateSlot) == "2017-10-03");
    BOOST_TEST(Xapian::sortable_unserialise(doc.get_value(kb::schema::kYearSlot)) == 2017);
}

BOOST_AUTO_TEST_CASE(removing_deletes_the_document) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path);
        w.write(record("a", "un"));
        w.commit();
    }
    {
        kb::IndexWriter w(path);
        BOOST_TEST(w.remove("a"));
        BOOST_TEST(!w.remove("never-indexed"));
        w.commit();
    }
    BOOST_TEST(kb::Searcher(path).document_count() == 0u);
}

namespace {

// A long three-page record (pages separated by form feeds, as PDF text is).
kb::Record long_record() {
    std::string filler;
    for (int i = 0; i < 60; ++i)
        filler +=
            "Les collectivités territoriales agissent à l’international avec leurs partenaires. ";
    kb::Record r = record("etude.pdf", filler + "\n\n" + filler + "\f" + filler + "\n\n" + filler +
                                           "\f" + filler + "\n\nLe jumelage avec Tombouctou.");
    r.metadata["countries"] = "ML";
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(long_records_are_searched_by_passage_with_their_page) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path);
        w.write(long_record());
        w.write(record("court", "Un jumelage avec Tombouctou."));
        w.commit();
        BOOST_TEST(w.document_count() == 2u);
    }
    kb::Searcher s(path);
    BOOST_TEST(s.document_count() == 2u);
    const auto passages = s.passages("etude.pdf");
    BOOST_TEST_REQUIRE(passages.size() >= 3u);
    BOOST_TEST(passages.front().page == 1u);
    BOOST_TEST(passages.back().page == 3u);

    kb::SearchRequest req;
    req.q = "Tombouctou";
    const kb::SearchResult r = s.search(req);
    BOOST_TEST(r.total == 2u); // one hit per record, however many passages match
    BOOST_TEST_REQUIRE(r.hits.size() == 2u);
    for (const kb::Hit& h : r.hits) {
        if (h.id != "etude.pdf")
            continue;
        BOOST_TEST(h.page == 3u);
        BOOST_TEST(h.snippet.find("<mark>Tombouctou</mark>") != std::string::npos);
    }
    // Facets count records, not passages.
    BOOST_TEST(r.facets.at(kb::Facet::Country).front().count == 1u);
}

BOOST_AUTO_TEST_CASE(reindexing_and_removing_take_the_passages_along) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    kb::Record r = long_record();
    {
        kb::IndexWriter w(path);
        w.write(r);
        w.commit();
    }
    const auto before = kb::Searcher(path).passages("etude.pdf").size();
    {
        kb::IndexWriter w(path);
        r.title = "Étude révisée";
        BOOST_TEST((w.write(r) == kb::WriteOutcome::Replaced));
        w.commit();
    }
    BOOST_TEST(kb::Searcher(path).passages("etude.pdf").size() == before);
    {
        kb::IndexWriter w(path);
        w.remove("etude.pdf");
        w.commit();
    }
    kb::Searcher s(path);
    BOOST_TEST(s.passages("etude.pdf").empty());
    BOOST_TEST(s.search({"Tombouctou", 1, 10}).total == 0u);
}

BOOST_AUTO_TEST_CASE(near_duplicates_from_two_sources_collapse_into_one_hit) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    const std::string study =
        "France urbaine et l’Institut national des études territoriales publient une étude sur la "
        "place et le rôle de l’action internationale des grandes villes, agglomérations et "
        "métropoles durant le mandat 2020-2026. Cette étude vise à mieux comprendre comment les "
        "grandes villes et les grandes intercommunalités françaises vont se positionner à "
        "l’international durant ce mandat et les domaines d’intervention prioritaires.";
    kb::Record a = record("site-a/etude", study);
    a.source_file = "https://site-a.example/etude";
    kb::Record b = record("site-b/etude", "Publié le 24 juin. " + study + " Partager : Facebook");
    b.source_file = "https://site-b.example/actualites/etude";
    kb::Record c = record("site-c/autre", "Un tout autre sujet : le jumelage avec Tombouctou et "
                                          "les échanges de jeunes entre les deux villes.");
    c.source_file = "https://site-c.example/jumelage";
    // The same text twice in one source (mirrored legal articles) is not a duplicate.
    const std::string article =
        "Les collectivités territoriales et leurs groupements peuvent, dans le respect des "
        "engagements internationaux de la France, conclure des conventions avec des autorités "
        "locales étrangères pour mener des actions de coopération ou d’aide au développement.";
    kb::Record d = record("code/L1", article);
    d.source_file = "code.jsonl";
    kb::Record e = record("code/L2", article);
    e.source_file = "code.jsonl";
    {
        kb::IndexWriter w(path);
        for (const auto& r : {a, b, c, d, e})
            w.write(r);
        w.commit();
    }
    kb::Searcher s(path);
    const auto dups = s.duplicates_of("site-b/etude");
    BOOST_TEST(std::count(dups.begin(), dups.end(), "site-a/etude") == 1);
    BOOST_TEST(s.duplicates_of("site-c/autre").empty());
    kb::SearchRequest req;
    req.q = "mandat métropoles";
    kb::SearchResult collapsed = s.search(req);
    req.collapse_duplicates = false;
    kb::SearchResult all = s.search(req);
    BOOST_TEST(all.hits.size() == 2u); // a and b
    BOOST_TEST(collapsed.hits.size() == 1u);
    BOOST_TEST(s.duplicates_of("code/L1").empty()); // same source: distinct articles
    req.collapse_duplicates = true;
    req.q = "conventions autorités locales étrangères";
    BOOST_TEST(s.search(req).hits.size() == 2u);
    std::set<std::string> ids;
    for (const auto& h : collapsed.hits)
        ids.insert(h.id);
    BOOST_TEST(ids.count("site-a/etude") + ids.count("site-b/etude") == 1u);
}

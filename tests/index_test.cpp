#define BOOST_TEST_MODULE index
#include "document_builder.h"
#include "index_writer.h"
#include "schema.h"
#include "searcher.h"
#include "test_support.h"

#include <boost/test/unit_test.hpp>

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
        BOOST_TEST((w.write(record("a", "coopération décentralisée")) == kb::WriteOutcome::Unchanged));
        BOOST_TEST((w.write(record("b", "jumelages franco-japonais")) == kb::WriteOutcome::Replaced));
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

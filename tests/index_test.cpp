#define BOOST_TEST_MODULE index
#include "core/indexing/document_builder.h"
#include "core/indexing/index_writer.h"
#include "core/indexing/passages.h"
#include "core/schema/schema.h"
#include "core/search/searcher.h"
#include "indexer/readers/markdown_reader.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace {

kb::Record record(const std::string& id, const std::string& text) {
    return kb::test::make_record(id, text);
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

namespace {

// Near-duplicate records in two sources (and repeated within one), with ties: the same text
// in several records, so the order in which candidates are visited decides the cluster.
std::vector<kb::Record> duplicate_corpus(int round) {
    static const char* words[] = {
        "commune",    "jumelage", "coopération", "région",    "département", "conseil",
        "budget",     "projet",   "partenaire",  "échange",   "jeunesse",    "culture",
        "eau",        "santé",    "école",       "marché",    "transport",   "énergie",
        "forêt",      "rivière",  "village",     "ville",     "métropole",   "agence",
        "convention", "accord",   "mission",     "formation", "réseau",      "solidarité"};
    std::vector<kb::Record> out;
    std::uint32_t seed = 7;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int base = 0; base < 30; ++base) {
        std::vector<std::string> text;
        text.reserve(45);
        for (int i = 0; i < 45; ++i)
            text.push_back(words[next() % 30]);
        for (int copy = 0; copy < 6; ++copy) {
            std::vector<std::string> variant = text;
            if (copy >= 4)
                variant[40 + copy % 5] = words[(base + copy + round) % 30]; // a light edit
            if (round == 1 && copy == 4)
                variant[10] = words[(base * 7) % 30]; // changed since the first run
            std::string joined;
            for (const std::string& w : variant)
                joined += w + " ";
            kb::Record r = record("b" + std::to_string(base) + "/c" + std::to_string(copy), joined);
            // c0 and c1: the same text in one source, so two clusters; c2 from another source
            // ties between them, and the first candidate visited wins.
            r.source_file = copy < 2 || copy % 2 ? "a.jsonl" : "b.jsonl";
            out.push_back(r);
        }
    }
    if (round == 1) { // new records, and one written twice in the run
        kb::Record n = out[3];
        n.id = "new/1";
        n.source_file = "c.jsonl";
        out.push_back(n);
        n.text += " encore";
        out.push_back(n);
    }
    return out;
}

// Every record's cluster and content, by id, as stored.
std::map<std::string, std::string> stored_records(const std::string& path) {
    return kb::test::records_by_id(path, [](const Xapian::Document& d) {
        return d.get_value(kb::schema::kClusterSlot) + " | " + d.get_data();
    });
}

void write_corpus(const std::string& path, unsigned shards, unsigned writers, int round,
                  bool parallel_expected) {
    kb::IndexWriter w(path, shards, writers);
    BOOST_TEST(w.parallel() == parallel_expected);
    const std::vector<kb::Record> records = duplicate_corpus(round);
    for (std::size_t i = 0; i < records.size(); i += 16) { // several batches
        const std::vector<kb::Record> batch(records.begin() + i,
                                            records.begin() + std::min(i + 16, records.size()));
        w.write_batch(batch, std::vector<std::string>(batch.size(), "/src/" + batch[0].id), 2);
    }
    if (round == 1)
        BOOST_TEST(w.remove("b5/c2"));
    w.commit();
}

// The members of a record's cluster (in document order, which a merged database renumbers).
std::set<std::string> duplicates(kb::Searcher& s, const std::string& id) {
    const std::vector<std::string> list = s.duplicates_of(id);
    return {list.begin(), list.end()};
}

std::set<std::string> hit_ids(const std::string& path, const std::string& q) {
    kb::SearchRequest req;
    req.q = q;
    req.size = 50;
    std::set<std::string> ids;
    for (const kb::Hit& h : kb::Searcher(path).search(req).hits)
        ids.insert(h.id);
    return ids;
}

} // namespace

BOOST_AUTO_TEST_CASE(parallel_shard_writers_store_what_sequential_writes_store) {
    kb::test::TempDir dir;
    const std::string sequential = (dir.path() / "sequential").string();
    const std::string parallel = (dir.path() / "parallel").string();
    for (int round = 0; round < 2; ++round) { // a new index, then an incremental run
        write_corpus(sequential, 5, 1, round, false);
        write_corpus(parallel, 5, 2, round, true);
        const auto expected = stored_records(sequential);
        BOOST_TEST(expected.size() == 180u); // round 1: one added, one removed
        BOOST_TEST((stored_records(parallel) == expected), "round " << round);
        std::size_t joined = 0;
        for (const auto& [id, value] : expected)
            joined += value.rfind(id + " |", 0) != 0;
        BOOST_TEST(joined >= 20u); // the corpus does make clusters
        kb::Searcher s(sequential), p(parallel);
        for (const char* id : {"b0/c1", "b3/c4", "b7/c0", "new/1"})
            BOOST_TEST((duplicates(s, id) == duplicates(p, id)), id);
        BOOST_TEST((hit_ids(sequential, "jumelage forêt") == hit_ids(parallel, "jumelage forêt")));
    }
}

BOOST_AUTO_TEST_CASE(a_new_single_database_is_built_in_parallel_and_merged) {
    kb::test::TempDir dir;
    const std::string sequential = (dir.path() / "sequential").string();
    const std::string parallel = (dir.path() / "parallel").string();
    std::filesystem::create_directories(parallel); // an empty directory counts as no index
    write_corpus(sequential, 0, 1, 0, false);
    write_corpus(parallel, 0, 2, 0, true);
    BOOST_TEST(!std::filesystem::exists(parallel + "/XAPIANDB")); // one database, no stub
    BOOST_TEST(Xapian::Database::check(parallel) == 0u);
    BOOST_TEST((stored_records(parallel) == stored_records(sequential)));
    kb::Searcher s(sequential), p(parallel);
    BOOST_TEST(p.document_count() == s.document_count());
    BOOST_TEST(!p.last_commit().empty());
    BOOST_TEST((hit_ids(sequential, "rivière école") == hit_ids(parallel, "rivière école")));
    BOOST_TEST((duplicates(s, "b2/c2") == duplicates(p, "b2/c2")));
    BOOST_TEST(!duplicates(p, "b2/c2").empty());
    // The merged spelling table suggests as the sequential one does.
    BOOST_TEST(Xapian::Database(parallel).get_spelling_suggestion("cooperatoin") ==
               Xapian::Database(sequential).get_spelling_suggestion("cooperatoin"));
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        BOOST_TEST(e.path().filename().string().find("staging") == std::string::npos);
    // The next run on the merged database is an ordinary sequential, incremental one. Its
    // clusters may differ where candidates tie: they are visited in document order, which
    // the merge renumbered (the first staging database's documents first).
    write_corpus(sequential, 0, 1, 1, false);
    write_corpus(parallel, 0, 2, 1, false);
    auto contents = [](const std::string& path) {
        std::map<std::string, std::string> out;
        for (const auto& [id, value] : stored_records(path))
            out[id] = value.substr(value.find(" | "));
        return out;
    };
    BOOST_TEST((contents(parallel) == contents(sequential)));
    BOOST_TEST(Xapian::Database::check(parallel) == 0u);
}

BOOST_AUTO_TEST_CASE(an_interrupted_parallel_build_leaves_no_index) {
    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path, 0, 2);
        w.write(record("a", "un texte"));
        // destroyed without commit(): as if the run failed half-way
    }
    BOOST_TEST(!std::filesystem::exists(path));
    // A killed run's staging directory (its process is gone) is removed by the next run.
    const auto stale = dir.path() / "index.staging-999999999";
    std::filesystem::create_directories(stale / "0");
    {
        kb::IndexWriter w(path, 0, 2);
        w.write(record("a", "un texte"));
        w.commit();
    }
    BOOST_TEST(!std::filesystem::exists(stale));
    BOOST_TEST(kb::Searcher(path).document_count() == 1u);
    BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path()),
                             std::filesystem::directory_iterator()) == 1);
}

// A Markdown study of three sections, each long enough to be a passage of its own.
BOOST_AUTO_TEST_CASE(markdown_headings_start_passages_and_name_them) {
    auto words = [](const std::string& sentence, int times) {
        std::string out;
        for (int i = 0; i < times; ++i)
            out += sentence + (i + 1 < times ? " " : "");
        return out;
    };
    const std::string intro = words("Les villes agissent avec leurs partenaires.", 70);
    const std::string water =
        words("Le forage du quartier fournit les familles.", 70) + " Un chantier à Tombouctou.";
    const std::string culture = words("Les festivals rassemblent les habitants.", 70);
    kb::Record r = kb::parse_markdown(
        "# Introduction\n\n" + intro + "\n\n## Eau et assainissement\n\n" + water +
            "\n\n## Culture\n\n### Jumelages scolaires\n\n" + culture + "\n",
        "corpus/etude.md", "etude.md");
    BOOST_TEST_REQUIRE(r.sections.size() == 4u);
    const std::vector<kb::Passage> passages = kb::split_passages(r.text, r.sections);
    BOOST_TEST_REQUIRE(passages.size() == 3u);
    BOOST_TEST(passages[0].heading == "Introduction");
    BOOST_TEST(passages[1].heading == "Eau et assainissement");
    BOOST_TEST(passages[1].text.rfind("Eau et assainissement\n\n", 0) == 0);
    BOOST_TEST(passages[1].text.find("festivals") == std::string::npos); // no overlap
    // A heading followed at once by a sub-heading opens the same passage; the deeper one names it.
    BOOST_TEST(passages[2].text.rfind("Culture\n\nJumelages scolaires\n\n", 0) == 0);
    BOOST_TEST(passages[2].heading == "Jumelages scolaires");
    // Without sections the same text is cut by length only, with no headings.
    for (const kb::Passage& p : kb::split_passages(r.text))
        BOOST_TEST(p.heading.empty());

    kb::test::TempDir dir;
    const std::string path = (dir.path() / "index").string();
    {
        kb::IndexWriter w(path);
        w.write(r);
        w.commit();
    }
    kb::Searcher s(path);
    kb::SearchRequest req;
    req.q = "Tombouctou";
    kb::SearchResult found = s.search(req);
    BOOST_TEST_REQUIRE(found.hits.size() == 1u);
    BOOST_TEST(found.hits[0].heading == "Eau et assainissement");
    BOOST_TEST(found.hits[0].passage == 1);
    // A section's heading is searchable and points at its passage.
    req.q = "jumelages scolaires";
    found = s.search(req);
    BOOST_TEST_REQUIRE(found.hits.size() == 1u);
    BOOST_TEST(found.hits[0].heading == "Jumelages scolaires");
    const auto listed = s.passages("etude.md");
    BOOST_TEST_REQUIRE(listed.size() == 3u);
    BOOST_TEST(listed[1].heading == "Eau et assainissement");
    BOOST_TEST((s.document("etude.md")->sections == r.sections));
}

#define BOOST_TEST_MODULE index_writer
#include "core/indexing/document_builder.h"
#include "core/indexing/index_writer.h"
#include "core/schema/schema.h"
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

// Near-duplicates across two sources and within one (with ties, so the order in which
// candidates are visited decides the cluster), and long texts that are split into passages.
std::vector<kb::Record> corpus(int round) {
    static const char* words[] = {"commune",   "jumelage", "coopération", "région",  "conseil",
                                  "budget",    "projet",   "partenaire",  "échange", "jeunesse",
                                  "culture",   "eau",      "santé",       "école",   "marché",
                                  "transport", "énergie",  "forêt",       "rivière", "village"};
    std::uint32_t seed = 11;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 8; };
    std::vector<kb::Record> out;
    for (int base = 0; base < 12; ++base) {
        const int length = base % 4 == 0 ? 1200 : 50; // some records get passages
        std::vector<std::string> text;
        text.reserve(length);
        for (int i = 0; i < length; ++i)
            text.push_back(words[next() % 20]);
        for (int copy = 0; copy < 4; ++copy) {
            std::vector<std::string> variant = text;
            if (copy == 3)
                variant[length - 3] = words[(base + round) % 20]; // a light edit
            std::string joined;
            for (std::size_t i = 0; i < variant.size(); ++i)
                joined += variant[i] + (i % 150 == 149 ? ".\n\n" : " ");
            kb::Record r = kb::test::make_record(
                "b" + std::to_string(base) + "/c" + std::to_string(copy), joined);
            r.source_file = copy < 2 ? "a.jsonl" : "b.jsonl";
            out.push_back(r);
        }
    }
    return out;
}

std::vector<kb::WriteOutcome>
write_corpus(const std::string& path, unsigned shards, unsigned writers, int round,
             std::size_t ledger_memory_records = kb::kLedgerRecordsInMemory) {
    kb::IndexWriter w(path, shards, writers, ledger_memory_records);
    std::vector<kb::WriteOutcome> outcomes;
    const std::vector<kb::Record> records = corpus(round);
    for (std::size_t i = 0; i < records.size(); i += 10) { // several batches
        const std::vector<kb::Record> batch(records.begin() + i,
                                            records.begin() + std::min(i + 10, records.size()));
        std::vector<std::string> origins;
        origins.reserve(batch.size());
        for (const kb::Record& r : batch)
            origins.push_back("/src/" + r.source_file);
        for (kb::WriteOutcome o : w.write_batch(batch, origins, 2))
            outcomes.push_back(o);
    }
    if (round == 1)
        BOOST_TEST(w.remove("b5/c2"));
    w.commit();
    return outcomes;
}

// One document whole: every term with its wdf and positions, every value, the data.
std::string dump(const Xapian::Document& d) {
    std::ostringstream out;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
        out << *t << ':' << t.get_wdf();
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            out << ',' << *p;
        out << '\n';
    }
    for (auto v = d.values_begin(); v != d.values_end(); ++v)
        out << "value " << v.get_valueno() << '=' << *v << '\n';
    out << "data " << d.get_data();
    return out.str();
}

// Every document of the index by document id (shard databases interleaved, as Xapian
// numbers them), so equal maps mean equal databases.
std::map<Xapian::docid, std::string> documents(const std::string& path) {
    Xapian::Database db(path);
    std::map<Xapian::docid, std::string> out;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
        out[*p] = dump(db.get_document(*p));
    return out;
}

// Every record's cluster, by id.
std::map<std::string, std::string> clusters(const std::string& path) {
    return kb::test::records_by_id(
        path, [](const Xapian::Document& d) { return d.get_value(kb::schema::kClusterSlot); });
}

} // namespace

BOOST_AUTO_TEST_CASE(one_and_several_workers_write_identical_databases) {
    kb::test::TempDir dir;
    const std::string one = (dir.path() / "one").string();
    const std::string several = (dir.path() / "several").string();
    for (int round = 0; round < 2; ++round) { // a new index, then an incremental run
        write_corpus(one, 3, 1, round);
        write_corpus(several, 3, 3, round);
        const auto expected = documents(one);
        BOOST_TEST(expected.size() > 48u); // records and their passages
        BOOST_TEST((documents(several) == expected), "round " << round);
    }
}

// Past a few records the ledger moves them to its spill database: the same decisions (outcomes,
// clusters, document ids), new index or incremental run with a removal, one writer or several.
BOOST_AUTO_TEST_CASE(a_ledger_spilled_to_disk_writes_identical_databases) {
    for (const auto& [shards, writers] : {std::pair{0u, 1u}, {0u, 2u}, {3u, 1u}, {3u, 3u}}) {
        kb::test::TempDir dir;
        const std::string memory = (dir.path() / "memory").string();
        const std::string spilled = (dir.path() / "spilled").string();
        for (int round = 0; round < 2; ++round) {
            const auto outcomes = write_corpus(memory, shards, writers, round);
            BOOST_TEST((write_corpus(spilled, shards, writers, round, 5) == outcomes));
            const auto expected = documents(memory);
            BOOST_TEST(expected.size() > 48u);
            BOOST_TEST((documents(spilled) == expected),
                       "shards " << shards << ", writers " << writers << ", round " << round);
        }
        const auto joined = clusters(spilled);
        BOOST_TEST(std::count_if(joined.begin(), joined.end(), [](const auto& c) {
                       return c.first != c.second;
                   }) >= 12); // duplicates were found through the spill
    }
}

BOOST_AUTO_TEST_CASE(near_duplicates_are_clustered_the_same_with_any_number_of_workers) {
    kb::test::TempDir dir;
    const std::string one = (dir.path() / "one").string();
    const std::string merged = (dir.path() / "merged").string();
    write_corpus(one, 0, 1, 0);    // written in place
    write_corpus(merged, 0, 2, 0); // two staging databases, merged at commit
    const auto expected = clusters(one);
    BOOST_TEST(expected.size() == 48u);
    BOOST_TEST((clusters(merged) == expected));
    // Another source makes a duplicate (c2 joins c0 or c1); the same source does not.
    std::size_t joined = 0;
    for (const auto& [id, cluster] : expected) {
        joined += cluster != id;
        if (id.size() > 3 && id.substr(id.size() - 3) == "/c1")
            BOOST_TEST(cluster == id);
    }
    BOOST_TEST(joined >= 12u);
    // Passages carry their record's cluster.
    Xapian::Database db(one);
    const std::string kind(kb::schema::kPassageKindTerm);
    std::size_t passages = 0;
    for (auto p = db.postlist_begin(kind); p != db.postlist_end(kind); ++p, ++passages) {
        const Xapian::Document d = db.get_document(*p);
        BOOST_TEST(d.get_value(kb::schema::kClusterSlot) ==
                   expected.at(d.get_value(kb::schema::kParentSlot)));
        BOOST_TEST(d.get_value(kb::schema::kFacetKeySlot) ==
                   kb::facet_key(d.get_value(kb::schema::kClusterSlot), d));
    }
    BOOST_TEST(passages > 0u);
}

BOOST_AUTO_TEST_CASE(reindexing_an_unchanged_source_is_skipped) {
    for (unsigned writers : {1u, 2u}) {
        kb::test::TempDir dir;
        const std::string path = (dir.path() / "index").string();
        for (kb::WriteOutcome o : write_corpus(path, 0, writers, 0))
            BOOST_TEST((o == kb::WriteOutcome::Added));
        const auto before = documents(path);
        for (kb::WriteOutcome o : write_corpus(path, 0, writers, 0))
            BOOST_TEST((o == kb::WriteOutcome::Unchanged), "writers " << writers);
        BOOST_TEST((documents(path) == before));
        // One record written alone: the same decision.
        kb::IndexWriter w(path, 0, writers);
        BOOST_TEST((w.write(corpus(0)[5], "/src/a.jsonl") == kb::WriteOutcome::Unchanged));
        kb::Record changed = corpus(0)[5];
        changed.text += " encore";
        BOOST_TEST((w.write(changed, "/src/a.jsonl") == kb::WriteOutcome::Replaced));
        BOOST_TEST((w.write(changed, "/src/a.jsonl") == kb::WriteOutcome::Unchanged));
        w.commit();
    }
}

BOOST_AUTO_TEST_CASE(a_bad_record_is_skipped_and_reported_and_the_others_written) {
    kb::test::TempDir dir;
    const auto source = dir.path() / "src" / "records.jsonl";
    kb::test::write_file(source, "{\"id\":\"ok-1\",\"title\":\"Un\",\"text\":\"jumelage\"}\n"
                                 "{\"id\":\"bad\",\"title\":\"Deux\",\"text\":\"x\","
                                 "\"date\":\"2019-02-30\"}\n"
                                 "{\"id\":\"ok-2\",\"title\":\"Trois\",\"text\":\"forêt\"}\n");
    const std::string index = (dir.path() / "index").string();
    const std::string report = (dir.path() / "report.jsonl").string();
    const std::string command = std::string(KB_INDEXER_BIN) + " --quiet --no-vectors --index '" +
                                index + "' --report '" + report + "' '" +
                                (dir.path() / "src").string() + "' >/dev/null 2>&1";
    std::system(command.c_str());
    std::ifstream in(report);
    std::string line, all;
    std::size_t lines = 0;
    while (std::getline(in, line)) {
        all += line + "\n";
        ++lines;
    }
    BOOST_TEST(lines == 1u);
    BOOST_TEST(all.find("\"line\":2") != std::string::npos, all);
    BOOST_TEST(all.find("not a calendar date") != std::string::npos, all);
    BOOST_TEST(all.find("records.jsonl") != std::string::npos, all);
    Xapian::Database db(index);
    BOOST_TEST(db.get_termfreq(std::string(kb::schema::kRecordKindTerm)) == 2u);
    BOOST_TEST(db.term_exists(kb::id_term("ok-1")));
    BOOST_TEST(db.term_exists(kb::id_term("ok-2")));
    BOOST_TEST(!db.term_exists(kb::id_term("bad")));
}

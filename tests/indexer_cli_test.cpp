#define BOOST_TEST_MODULE indexer_cli
// The real kb-indexer: incremental runs, --prune, --report, exit statuses, and SIGKILL at
// random moments never leaving a half-written index.
#include "core/search/searcher.h"
#include "tests/e2e_support.h"

#include <Poco/Process.h>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace {

std::string md(const std::string& id, const std::string& text) {
    return "---\nid: " + id + "\ntitle: Titre " + id + "\n---\n" + text + "\n";
}

std::size_t count(const std::string& index) { return kb::Searcher(index).document_count(); }

// kb-indexer --no-vectors --report on `corpus`: its exit status, with its summary and the
// report's JSON Lines (what was skipped, and why).
int index_reporting(const std::filesystem::path& dir, const std::string& index,
                    const std::filesystem::path& corpus, std::string& summary,
                    std::string& problems, const std::vector<std::string>& extra = {}) {
    const auto report = dir / "report.jsonl";
    std::vector<std::string> args = {"--no-vectors", "--report", report.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(corpus.string());
    const int status = kb::test::run_indexer(index, args, &summary);
    std::ifstream in(report);
    problems.assign(std::istreambuf_iterator<char>(in), {});
    return status;
}

} // namespace

BOOST_AUTO_TEST_CASE(incremental_runs_prune_and_report) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    const std::string index = (dir.path() / "index").string();
    kb::test::write_file(corpus / "a.md", md("a", "Un jumelage avec Tombouctou."));
    kb::test::write_file(corpus / "b.md", md("b", "La coopération décentralisée."));
    kb::test::write_file(corpus / "c.md", md("c", "L’aide publique au développement."));
    kb::test::write_file(corpus / "lines.jsonl",
                         "{\"id\":\"l1\",\"text\":\"un\"}\n{\"id\":\"l2\",\"text\":\"deux\"}\n");
    std::string summary;
    BOOST_TEST(kb::test::run_indexer(index, {corpus.string()}, &summary) == 0);
    BOOST_TEST(summary.find("5 added") != std::string::npos, summary);
    BOOST_TEST(kb::test::run_indexer(index, {corpus.string()}, &summary) == 0);
    BOOST_TEST(summary.find("5 unchanged") != std::string::npos, summary);

    // One file changes, one disappears, a JSONL line goes away.
    kb::test::write_file(corpus / "b.md", md("b", "La coopération décentralisée, révisée."));
    std::filesystem::remove(corpus / "c.md");
    kb::test::write_file(corpus / "lines.jsonl", "{\"id\":\"l1\",\"text\":\"un\"}\n");
    BOOST_TEST(kb::test::run_indexer(index, {corpus.string()}, &summary) == 0);
    BOOST_TEST(summary.find("1 replaced") != std::string::npos, summary);
    BOOST_TEST(count(index) == 5u); // nothing deleted without --prune
    BOOST_TEST(kb::test::run_indexer(index, {"--prune", corpus.string()}, &summary) == 0);
    BOOST_TEST(summary.find("2 pruned") != std::string::npos, summary);
    BOOST_TEST(count(index) == 3u);
    kb::Searcher s(index);
    BOOST_TEST(!s.document("c"));
    BOOST_TEST(!s.document("l2"));
    BOOST_TEST(s.document("l1").has_value());

    // A broken file: skipped, reported as JSON Lines, exit status 2, the rest indexed.
    kb::test::write_file(corpus / "broken.md", "---\ntitle: sans fin\n");
    kb::test::write_file(corpus / "d.md", md("d", "Encore un document."));
    const auto report = dir.path() / "report.jsonl";
    BOOST_TEST(kb::test::run_indexer(index, {"--report", report.string(), corpus.string()},
                                     &summary) == 2);
    std::ifstream in(report);
    std::string line;
    BOOST_TEST_REQUIRE(static_cast<bool>(std::getline(in, line)));
    BOOST_TEST(line.find("broken.md") != std::string::npos, line);
    BOOST_TEST(line.find("never closed") != std::string::npos, line);
    BOOST_TEST(kb::Searcher(index).document("d").has_value());
}

// Issue 23 #4 and #13: records the index cannot hold are skipped one by one, named, and never
// fail the run; one very long word is indexed (cut and hashed) and found again by a query.
BOOST_AUTO_TEST_CASE(one_bad_record_or_one_long_word_never_fails_the_run) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    const std::string index = (dir.path() / "index").string();
    std::string blob;
    for (int i = 0; blob.size() < 400; ++i)
        blob += "QUJDRGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo" + std::to_string(i % 10);
    kb::test::write_file(corpus / "good.md", md("good", "Un jumelage avec Tombouctou."));
    kb::test::write_file(corpus / "blob.md", md("blob", "Une pièce jointe : " + blob + " fin."));
    kb::test::write_file(corpus / "bad-date.md",
                         "---\nid: bad-date\ndate: 2024-13-45\n---\nUn texte.\n");
    kb::test::write_file(corpus / "lines.jsonl",
                         "{\"id\":\"" + std::string(300, 'x') +
                             "\",\"text\":\"trop long\"}\n"
                             "{\"id\":\"ok\",\"text\":\"valide\"}\n"
                             "{\"id\":\"typed\",\"type\":\"" +
                             std::string(400, 't') +
                             "\",\"text\":\"type trop long\"}\n"
                             "{\"id\":\"poison\",\"text\":\"t\",\"passage\":\"abc\"}\n");
    std::string summary, problems;
    BOOST_TEST(index_reporting(dir.path(), index, corpus, summary, problems) == 2, summary);
    BOOST_TEST(summary.find("3 added") != std::string::npos, summary);
    BOOST_TEST(summary.find("4 skipped") != std::string::npos, summary);
    BOOST_TEST(problems.find("bad-date.md") != std::string::npos, problems);
    for (const char* line : {"\"line\":1", "\"line\":3", "\"line\":4"})
        BOOST_TEST(problems.find(line) != std::string::npos, line << " in " << problems);
    kb::Searcher s(index);
    BOOST_TEST(s.document("good").has_value());
    BOOST_TEST(s.document("ok").has_value());
    BOOST_TEST(!s.document("poison").has_value());
    kb::SearchRequest req;
    req.q = blob;
    const kb::SearchResult found = s.search(req);
    BOOST_TEST_REQUIRE(found.hits.size() == 1u);
    BOOST_TEST(found.hits[0].id == "blob");
}

// Issue 23: a page nested 50,000 deep crashed the whole run; now it is one skipped file.
BOOST_AUTO_TEST_CASE(a_deeply_nested_page_is_skipped_and_the_rest_indexed) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    const std::string index = (dir.path() / "index").string();
    kb::test::write_file(corpus / "a.md", md("a", "Un jumelage avec Tombouctou."));
    kb::test::write_file(corpus / "page.html",
                         "<html><head><title>Page</title></head><body><div data-kb-body>"
                         "<p>La coopération décentralisée.</p></div></body></html>");
    std::string deep = "<!doctype html><html><body>";
    for (int i = 0; i < 50'000; ++i)
        deep += "<div>";
    kb::test::write_file(corpus / "deep.html", deep + "fond</body></html>");
    const auto report = dir.path() / "report.jsonl";
    std::string summary;
    BOOST_TEST(kb::test::run_indexer(index, {"--report", report.string(), corpus.string()},
                                     &summary) == 2);
    kb::Searcher s(index);
    BOOST_TEST(s.document("a").has_value());
    BOOST_TEST(s.document("page.html").has_value());
    BOOST_TEST(count(index) == 2u);
    std::ifstream in(report);
    std::string line;
    BOOST_TEST_REQUIRE(static_cast<bool>(std::getline(in, line)));
    BOOST_TEST(line.find("deep.html") != std::string::npos, line);
    BOOST_TEST(line.find("nested deeper than 1000 elements") != std::string::npos, line);
    BOOST_TEST(!std::getline(in, line), line);
}

// Issue 23 #10: a symbolic link loop is one skipped path, not the end of the run; a link out of
// the folder (to /etc/passwd) is not followed unless --follow-symlinks says so.
BOOST_AUTO_TEST_CASE(symbolic_links_loops_and_links_out_of_the_folder) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    const auto outside = dir.path() / "outside";
    const std::string index = (dir.path() / "index").string();
    kb::test::write_file(corpus / "a.md", md("a", "Un jumelage avec Tombouctou."));
    kb::test::write_file(outside / "secret.txt", "Mot de passe du serveur.");
    kb::test::write_file(outside / "sub" / "b.md", md("b", "La coopération décentralisée."));
    std::filesystem::create_symlink("p2", corpus / "p1");
    std::filesystem::create_symlink("p1", corpus / "p2");
    std::filesystem::create_symlink(outside / "secret.txt", corpus / "secret.txt");
    std::filesystem::create_symlink(outside / "sub", corpus / "linked");
    std::filesystem::create_symlink(corpus / "a.md", corpus / "same.md"); // inside: followed
    std::filesystem::create_symlink(corpus, corpus / "loop");             // a folder cycle
    std::string summary, problems;
    BOOST_TEST(index_reporting(dir.path(), index, corpus, summary, problems) == 2, summary);
    {
        kb::Searcher s(index);
        BOOST_TEST(s.document("a").has_value());
        BOOST_TEST(s.document_count() == 1u); // same.md points inside: read, same id as a.md
        BOOST_TEST(!s.document("secret.txt").has_value());
    }
    BOOST_TEST(problems.find("symbolic link loop") != std::string::npos, problems);
    BOOST_TEST(problems.find("secret.txt") != std::string::npos, problems);
    BOOST_TEST(problems.find("--follow-symlinks") != std::string::npos, problems);

    BOOST_TEST(kb::test::run_indexer(index, {"--no-vectors", "--follow-symlinks", corpus.string()},
                                     &summary) == 2, // the loop is still reported
               summary);
    kb::Searcher s(index);
    BOOST_TEST(s.document("secret.txt").has_value());
    BOOST_TEST(s.document("b").has_value());
}

// Issue 23 #11: one record's memory is bounded: a text over 16 MiB, or a JSONL line over it,
// is skipped with its size, and the rest of the file is indexed.
BOOST_AUTO_TEST_CASE(records_over_the_size_cap_are_skipped) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    const std::string index = (dir.path() / "index").string();
    kb::test::write_file(corpus / "huge.txt", std::string(kb::kMaxTextBytes + (2u << 20), 'x'));
    kb::test::write_file(corpus / "lines.jsonl",
                         "{\"id\":\"big\",\"text\":\"" +
                             std::string(kb::kMaxTextBytes + (1u << 20), 'y') +
                             "\"}\n{\"id\":\"ok\",\"text\":\"bonjour\"}\n");
    kb::test::write_file(corpus / "a.md", md("a", "Un jumelage."));
    std::string summary, problems;
    BOOST_TEST(index_reporting(dir.path(), index, corpus, summary, problems) == 2, summary);
    kb::Searcher s(index);
    BOOST_TEST(s.document_count() == 2u);
    BOOST_TEST(s.document("ok").has_value());
    BOOST_TEST(problems.find("huge.txt") != std::string::npos, problems.substr(0, 500));
    BOOST_TEST(problems.find("over the limit") != std::string::npos, problems.substr(0, 500));
    BOOST_TEST(problems.find("\"line\":1") != std::string::npos, problems.substr(0, 500));
}

BOOST_AUTO_TEST_CASE(sigkill_at_any_moment_leaves_the_old_or_the_new_index) {
    kb::test::TempDir dir;
    const std::string index = (dir.path() / "index").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {kb::test::kSeedsDir}) == 0);
    const std::size_t before = count(index);
    std::mt19937 random(20261122);
    std::uniform_int_distribution<int> delay_ms(20, 2500);
    int killed = 0;
    for (int run = 0; run < 10; ++run) {
        Poco::ProcessHandle indexer = Poco::Process::launch(
            KB_INDEXER_BIN, {"--quiet", "--no-vectors", "--index", index, kb::test::kCorpusDir});
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        if (Poco::Process::isRunning(indexer)) {
            Poco::Process::kill(indexer); // SIGKILL: no chance to clean up
            ++killed;
        }
        indexer.wait();
        const std::size_t now = count(index); // the index always opens
        BOOST_TEST((now == before || now == 5367u), "run " << run << ": " << now << " documents");
    }
    BOOST_TEST_MESSAGE(killed << " of 10 runs killed mid-way");
    BOOST_TEST(killed >= 1);
    // A rerun completes.
    BOOST_TEST(kb::test::run_indexer(index, {"--no-vectors", kb::test::kCorpusDir}) == 0);
    BOOST_TEST(count(index) == 5367u);
}

BOOST_AUTO_TEST_CASE(sigkill_during_a_new_parallel_build_leaves_no_index_or_the_whole_one) {
    kb::test::TempDir dir;
    const std::string index = (dir.path() / "index").string();
    std::mt19937 random(20261123);
    std::uniform_int_distribution<int> delay_ms(20, 8000);
    int killed = 0;
    for (int run = 0; run < 5; ++run) {
        std::filesystem::remove_all(index);
        // Two writers: staging databases merged and renamed into place at the end.
        Poco::ProcessHandle indexer =
            Poco::Process::launch(KB_INDEXER_BIN, {"--quiet", "--no-vectors", "--threads", "2",
                                                   "--index", index, kb::test::kCorpusDir});
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        if (Poco::Process::isRunning(indexer)) {
            Poco::Process::kill(indexer);
            ++killed;
        }
        indexer.wait();
        if (std::filesystem::exists(index))
            BOOST_TEST(count(index) == 5367u, "run " << run);
    }
    BOOST_TEST_MESSAGE(killed << " of 5 runs killed mid-way");
    // The next run completes and removes what killed runs left behind.
    std::filesystem::remove_all(index);
    BOOST_TEST(kb::test::run_indexer(index, {"--no-vectors", kb::test::kCorpusDir}) == 0);
    BOOST_TEST(count(index) == 5367u);
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        BOOST_TEST(e.path().filename() == "index", e.path());
}

namespace {

// A bad number for any numeric option is a usage error naming it, never a crash.
BOOST_AUTO_TEST_CASE(bad_numbers_for_options_are_usage_errors) {
    kb::test::TempDir dir;
    const std::string index = (dir.path() / "index").string();
    for (const std::vector<std::string>& bad : {std::vector<std::string>{"--max-bytes", "zz"},
                                                {"--max-bytes", "99999999999999999999"},
                                                {"--max-bytes", "0"},
                                                {"--threads", "x"},
                                                {"--shards", "-1"}}) {
        std::vector<std::string> args = bad;
        args.push_back(kb::test::kSeedsDir);
        const int status = kb::test::run_indexer(index, args);
        BOOST_TEST(status == 78, bad[0] << " " << bad[1] << " exited " << status);
    }
}

// kb-indexer's exit status and stderr (progress lines, errors), without --quiet.
int run_indexer_stderr(const std::vector<std::string>& args, std::string& err) {
    Poco::Pipe out, errors;
    Poco::ProcessHandle indexer =
        Poco::Process::launch(KB_INDEXER_BIN, args, nullptr, &out, &errors);
    // Both outputs are a few lines: read stderr to its end, then stdout, without deadlock.
    Poco::PipeInputStream err_stream(errors), out_stream(out);
    err.assign(std::istreambuf_iterator<char>(err_stream), {});
    const std::string ignored((std::istreambuf_iterator<char>(out_stream)), {});
    return indexer.wait();
}

BOOST_AUTO_TEST_CASE(progress_lines_come_at_exact_multiples) {
    kb::test::TempDir dir;
    std::string err;
    const int status = run_indexer_stderr({"--no-vectors", "--progress-every", "1000", "--index",
                                           (dir.path() / "index").string(), kb::test::kCorpusDir},
                                          err);
    BOOST_TEST(status == 0, err);
    // corpus/ holds 5,367 records: five lines, 1000 to 5000, whatever the batch size.
    for (const char* line : {"  1000 records", "  2000 records", "  5000 records"})
        BOOST_TEST(err.find(line) != std::string::npos, line << " in " << err);
    BOOST_TEST(err.find("  1024 records") == std::string::npos, err);
    BOOST_TEST(err.find("  6000 records") == std::string::npos, err);
}

// Issue 22: every file the walk meets is indexed, skipped with its reason, or the folder's
// documentation, all counted; the words are those of the records indexed, exactly.
BOOST_AUTO_TEST_CASE(every_file_is_accounted_for_and_words_are_counted_exactly) {
    kb::test::TempDir dir;
    const auto corpus = dir.path() / "corpus";
    // 2 title words + 5: « aujourd'hui » is one word, the comma none.
    kb::test::write_file(
        corpus / "a.md",
        "---\ntitle: Deux mots\n---\nUn **jumelage** avec Tombouctou, aujourd'hui.");
    // 1 title word + 2: « L’aide » is one word.
    kb::test::write_file(corpus / "notes" / "b.txt", "Titre\n\nL’aide publique.");
    kb::test::write_file(corpus / "README.md", "# Ce dossier\n");
    kb::test::write_file(corpus / "notes" / "LICENSE", "CC BY 4.0\n");
    kb::test::write_file(corpus / "photo.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    kb::test::write_file(corpus / "budget.csv", "pays;montant\nSN;10\n");
    kb::test::write_file(corpus / "vide.txt", "");
    kb::test::write_file(corpus / ".cache" / "ignored.md", "caché");
    std::string summary, report;
    const int status =
        index_reporting(dir.path(), (dir.path() / "index").string(), corpus, summary, report);
    BOOST_TEST(status == 2, summary); // some files skipped
    BOOST_TEST(summary.find("indexed 2 records (10 words)") != std::string::npos, summary);
    BOOST_TEST(summary.find("3 skipped, 2 documentation files not indexed") != std::string::npos,
               summary);
    for (const char* expected :
         {"photo.png: binary file (a .png file), not a format Passerelle reads",
          "budget.csv: unknown type (a .csv file), not a format Passerelle reads",
          "vide.txt: no text found: the file is empty after extraction", "README.md: not indexed",
          "LICENSE: not indexed"})
        BOOST_TEST(summary.find(expected) != std::string::npos, expected << " in " << summary);
    BOOST_TEST(summary.find("ignored.md") == std::string::npos, summary); // hidden folders
    std::size_t lines = 0, documentation = 0;
    std::istringstream in(report);
    for (std::string line; std::getline(in, line); ++lines)
        documentation += line.find("\"kind\":\"documentation\"") != std::string::npos;
    BOOST_TEST(lines == 5u, report);
    BOOST_TEST(documentation == 2u, report);
}

BOOST_AUTO_TEST_CASE(no_source_says_what_is_missing) {
    kb::test::TempDir dir;
    std::string err;
    const int status = run_indexer_stderr({"--index", (dir.path() / "index").string()}, err);
    BOOST_TEST(status == 64);
    BOOST_TEST(err.find("no source given") != std::string::npos, err);
}

} // namespace

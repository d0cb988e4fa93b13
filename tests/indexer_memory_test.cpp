#define BOOST_TEST_MODULE indexer_memory
// kb-indexer's memory is bounded whatever the run's size (issue: a national archive indexed on
// one machine): a run over 200,000 generated records stays under kIndexerMemoryBound, and
// grows by little more than a run ten times smaller.
#include "tests/test_support.h"

#include <boost/test/unit_test.hpp>
#include <xapian.h>

#include <cstdint>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

/// The bound the README states for kb-indexer's peak resident memory, in KiB.
constexpr long kIndexerMemoryBound = 1024L * 1024;
/// What a run of 200,000 records may use beyond one of 20,000: Xapian's and glibc's caches
/// settle, the write ledger holds the same 20,000 records at most (kLedgerRecordsInMemory).
constexpr long kAllowedGrowth = 64L * 1024;

// Pseudo-French words from syllables: a vocabulary of 20,000 forms, so the spelling table
// and the posting lists grow as a real corpus's do.
std::string word(std::uint32_t n) {
    static const char* syllables[] = {"ba",  "cou", "tion", "mé", "ra", "lo",  "pé",   "ni",
                                      "dé",  "sur", "con",  "té", "vi", "gra", "ment", "ille",
                                      "eau", "ré",  "pro",  "mu", "ta", "fé",  "ge",   "ssi"};
    std::string out;
    do {
        out += syllables[n % 24];
        n /= 24;
    } while (n > 0);
    return out;
}

// `records` JSONL records of 30 words, spread over 20 files of `dir`.
void write_corpus(const std::filesystem::path& dir, std::size_t records) {
    std::filesystem::create_directories(dir);
    std::vector<std::ofstream> files;
    for (int f = 0; f < 20; ++f)
        files.emplace_back(dir / ("part-" + std::to_string(f) + ".jsonl"));
    std::uint32_t seed = 7;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (std::size_t r = 0; r < records; ++r) {
        std::string text;
        for (int w = 0; w < 30; ++w) {
            // Zipf-like: most words are frequent, some rare.
            const std::uint32_t rank = next() % (next() % 2 ? 300 : 20000);
            text += (w ? " " : "") + word(rank);
        }
        files[r % 20] << R"({"id":"m/)" << r << R"(","title":"Étude )" << word(next() % 5000)
                      << R"(","text":")" << text << "\"}\n";
    }
}

// Runs kb-indexer over `source` into `index`; returns its peak resident memory in KiB.
long index_peak_kib(const std::filesystem::path& source, const std::filesystem::path& index) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::execl(KB_INDEXER_BIN, KB_INDEXER_BIN, "--quiet", "--no-vectors",
                ("--index=" + index.string()).c_str(), source.c_str(), nullptr);
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    BOOST_REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
    BOOST_REQUIRE(WIFEXITED(status));
    BOOST_REQUIRE(WEXITSTATUS(status) == 0);
    return usage.ru_maxrss;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_run_of_200k_records_stays_under_the_memory_bound) {
    kb::test::TempDir dir;
    write_corpus(dir.path() / "small", 20000);
    write_corpus(dir.path() / "large", 200000);
    const long small = index_peak_kib(dir.path() / "small", dir.path() / "small-index");
    const long large = index_peak_kib(dir.path() / "large", dir.path() / "large-index");
    BOOST_TEST_MESSAGE("kb-indexer peak RSS: 20,000 records " << small / 1024 << " MiB, 200,000 "
                                                              << large / 1024 << " MiB");
    BOOST_TEST(Xapian::Database((dir.path() / "large-index").string()).get_doccount() == 200000u);
    BOOST_TEST(large < kIndexerMemoryBound);
    BOOST_TEST(large - small < kAllowedGrowth, "grew by " << (large - small) / 1024 << " MiB");
}

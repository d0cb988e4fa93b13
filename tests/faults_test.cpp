#define BOOST_TEST_MODULE faults
// Damaged index and full disk, with the real kb-indexer and kb-search-server.
#include "core/search/searcher.h"
#include "tests/e2e_support.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string out, err;
};

// Runs a program to completion; stderr is read on a thread of its own so neither pipe fills.
Run run(const std::string& program, const std::vector<std::string>& args) {
    Poco::Pipe out, err;
    Poco::ProcessHandle p = Poco::Process::launch(program, args, nullptr, &out, &err);
    Run r{0, "", ""};
    std::thread reader([&] {
        Poco::PipeInputStream s(err);
        r.err.assign(std::istreambuf_iterator<char>(s), {});
    });
    Poco::PipeInputStream s(out);
    r.out.assign(std::istreambuf_iterator<char>(s), {});
    reader.join();
    r.status = p.wait();
    return r;
}

// The damage Xapian detects (found by trying): a table cut to half its size ("EOF reading
// block"), or a run of bytes overwritten in the middle ("dir_end invalid", "not in sorted
// order", "item ends outside block").
void truncate_half(const fs::path& file) { fs::resize_file(file, fs::file_size(file) / 2); }

void overwrite_middle(const fs::path& file, char byte) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    const std::string junk(8192, byte);
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

void expect_refused(const std::string& index, const std::string& what) {
    Run check = run(KB_INDEXER_BIN, {"--check", "--index", index});
    BOOST_TEST(check.status == 1, what << ": " << check.status);
    BOOST_TEST(check.err.find("index " + index + " is corrupt") != std::string::npos,
               what << ": " << check.err);

    Run server = run(KB_SERVER_BIN, {"--port", "0", "--index", index, "--no-access-log"});
    BOOST_TEST(server.status != 0, what);
    BOOST_TEST(server.out.find("serving") == std::string::npos, what << ": " << server.out);
    BOOST_TEST(server.err.find("index " + index + " is corrupt") != std::string::npos,
               what << ": " << server.err);
    BOOST_TEST(server.err.find("./kb index") != std::string::npos, what << ": " << server.err);
}

} // namespace

BOOST_AUTO_TEST_CASE(check_passes_on_a_sound_index) {
    kb::test::TempDir dir;
    const std::string index = (dir.path() / "index").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {kb::test::kSeedsDir}) == 0);
    Run check = run(KB_INDEXER_BIN, {"--check", "--index", index});
    BOOST_TEST(check.status == 0, check.err);
    BOOST_TEST(check.out.find("is consistent") != std::string::npos, check.out);
    BOOST_TEST(check.out.find("postlist") != std::string::npos, check.out);
}

BOOST_AUTO_TEST_CASE(corrupt_index_is_reported_and_not_served) {
    kb::test::TempDir dir;
    const std::string pristine = (dir.path() / "pristine").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(pristine, {kb::test::kSeedsDir}) == 0);
    int n = 0;
    for (const std::string table : {"postlist", "termlist", "docdata"}) {
        for (int damage = 0; damage < 3; ++damage) {
            const std::string index = (dir.path() / ("damaged" + std::to_string(n++))).string();
            fs::copy(pristine, index);
            const fs::path file = fs::path(index) / (table + ".glass");
            if (damage == 0)
                truncate_half(file);
            else
                overwrite_middle(file, damage == 1 ? '\0' : '\xff');
            expect_refused(index, table + " damage " + std::to_string(damage));
        }
    }
}

BOOST_AUTO_TEST_CASE(disk_full_during_indexing_keeps_the_old_index) {
    if (geteuid() != 0) {
        BOOST_TEST_MESSAGE("skipped: mounting a small tmpfs needs root");
        return;
    }
    kb::test::TempDir dir;
    const fs::path mount_point = dir.path() / "small";
    fs::create_directories(mount_point);
    Run mount = run("/bin/mount", {"-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point.string()});
    if (mount.status != 0) {
        BOOST_TEST_MESSAGE("skipped: cannot mount a 2 MiB tmpfs (" << mount.err << ")");
        return;
    }
    struct Unmount {
        std::string path;
        ~Unmount() { run("/bin/umount", {"-l", path}); }
    } unmount{mount_point.string()};

    const std::string index = (mount_point / "index").string();
    BOOST_TEST_REQUIRE(kb::test::run_indexer(index, {kb::test::kSeedsDir}) == 0);
    BOOST_TEST_REQUIRE(kb::Searcher(index).document_count() == 5u);

    Run full =
        run(KB_INDEXER_BIN, {"--quiet", "--no-vectors", "--index", index, kb::test::kCorpusDir});
    BOOST_TEST(full.status == 1, full.status << " " << full.err);
    BOOST_TEST(full.err.find("No space left") != std::string::npos, full.err);
    BOOST_TEST(full.err.find("disk is full") != std::string::npos, full.err);
    BOOST_TEST(full.err.find(index) != std::string::npos, full.err);

    BOOST_TEST(kb::Searcher(index).document_count() == 5u); // the old content, whole
    Run check = run(KB_INDEXER_BIN, {"--check", "--index", index});
    BOOST_TEST(check.status == 0, check.err);
}

#include "core/indexing/staging.h"

#include "core/error.h"

#include <xapian.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace kb {

namespace {

namespace fs = std::filesystem;

// The index path without a trailing separator, so its name and parent are meaningful.
fs::path clean_path(const std::string& path) {
    fs::path p = fs::absolute(path).lexically_normal();
    return p.filename().empty() ? p.parent_path() : p;
}

// "INDEX.staging-": the prefix of the staging directories of a new single-database index.
std::string staging_prefix(const fs::path& index) {
    return index.filename().string() + ".staging-";
}

// Removes the staging directories left next to `index` by killed runs (their process is
// gone); those of a live process (another run building the same index) are left alone.
void remove_stale_staging(const fs::path& index) {
    std::error_code ec;
    const std::string prefix = staging_prefix(index);
    for (const fs::directory_entry& e : fs::directory_iterator(index.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && pid != getpid() && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM))
            continue;
        fs::remove_all(e.path(), ec);
    }
}

} // namespace

std::string create_staging(const std::string& path) {
    const fs::path index = clean_path(path);
    fs::create_directories(index.parent_path());
    remove_stale_staging(index);
    std::string dir =
        (index.parent_path() / (staging_prefix(index) + std::to_string(getpid()))).string();
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    return dir;
}

std::string staging_part(const std::string& staging_dir, std::size_t i) {
    return (fs::path(staging_dir) / std::to_string(i)).string();
}

void merge_staging(const std::string& staging_dir, std::size_t count, const std::string& path) {
    const fs::path index = clean_path(path);
    const fs::path merged = fs::path(staging_dir) / "merged";
    try {
        // Xapian 1.4.22 (Debian 12) writes a database compacted from several sources so that,
        // once a document is deleted from it (DELETE /documents later on), unweighted scans of
        // that document's terms (filters, browsing) fail with DatabaseCorruptError "Unexpected
        // end of posting list". A database compacted from one source is sound: the first
        // staging database is compacted alone (it holds the metadata, spelling and synonyms)
        // and the others' documents are added to it through the ordinary writer, which
        // numbers them database after database as compaction did; the whole is then compacted
        // again, from that one source, to the size a compaction of all of them had.
        if (count == 1) { // one source: its compaction is the index
            Xapian::Database(staging_part(staging_dir, 0)).compact(merged.string());
        } else {
            const fs::path joined = fs::path(staging_dir) / "joined";
            Xapian::Database(staging_part(staging_dir, 0)).compact(joined.string());
            Xapian::WritableDatabase out(joined.string(), Xapian::DB_OPEN);
            for (std::size_t i = 1; i < count; ++i) {
                Xapian::Database part(staging_part(staging_dir, i));
                for (auto it = part.postlist_begin(""); it != part.postlist_end(""); ++it)
                    out.add_document(part.get_document(*it));
            }
            out.commit();
            out.close();
            Xapian::Database(joined.string()).compact(merged.string());
        }
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot merge the staging databases of the new index " + path + ": " +
                        e.get_description() + " (no index was written: rerun the indexer)");
    }
    std::error_code ec;
    // Atomic: the complete index appears at once (over an empty directory, if one was there).
    fs::rename(merged, index, ec);
    if (ec)
        throw Error(ErrorKind::Internal, "commit_failed",
                    "cannot move the new index into place at " + path + ": " + ec.message());
    fs::remove_all(staging_dir, ec);
}

} // namespace kb

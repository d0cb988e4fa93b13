#pragma once

#include <string>

namespace kb {

/// A new single-database index written in parallel goes to staging databases
/// (INDEX.staging-PID/0 … N-1, next to the index) merged into place at commit, so a kill at any
/// moment leaves no index or the complete one.

/// Creates this process's empty staging directory for the index at `path` (and the index's
/// parent directory), after removing those left by killed runs; returns its path.
std::string create_staging(const std::string& path);

/// Merges the `count` committed staging databases of `staging_dir` with Xapian's compaction
/// and renames the result to `path` atomically; removes the staging directory. Throws
/// kb::Error (commit_failed) when that fails: no index was written then.
void merge_staging(const std::string& staging_dir, std::size_t count, const std::string& path);

/// The database of the staging directory that holds the records of part `i`.
std::string staging_part(const std::string& staging_dir, std::size_t i);

} // namespace kb

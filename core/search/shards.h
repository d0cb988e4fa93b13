#pragma once

// Sharded indexes: which shard a record lives in, the on-disk layout the indexer writes, and
// the index specifications the server accepts (a directory, a stub file, a list of shards).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// The name of the stub file inside a sharded index directory. Xapian opens a directory
/// holding a file of this name as the databases it lists, so Xapian::Database(INDEX) and
/// Xapian's own tools (xapian-delve, xapian-check) see the shards as one database.
constexpr std::string_view kStubName = "XAPIANDB";
/// The sharded index's auxiliary database: no documents, only the spelling and synonym
/// tables (Xapian 1.4's remote backend serves neither) and the commit metadata.
constexpr std::string_view kAuxName = "aux";

/// "shard-N".
std::string shard_name(unsigned n);
/// 64-bit FNV-1a: stable across runs, compilers and machines (std::hash is none of these).
std::uint64_t fnv1a64(std::string_view text);
/// The shard (0 … shards-1) a record id belongs to; its passages go with it.
unsigned shard_of(std::string_view record_id, unsigned shards);

/// The number of shards of the sharded index in `dir`, or nothing when `dir` holds no stub.
std::optional<unsigned> sharded_index_shards(const std::string& dir);
/// Writes `dir`/XAPIANDB listing the aux database then shard-0 … shard-(shards-1), atomically
/// (a temporary file renamed over the old one).
void write_stub(const std::string& dir, unsigned shards);

/// One database of an index specification.
struct ShardSpec {
    std::string name; ///< as shown to users: the path or "tcp:HOST:PORT"
    std::string path; ///< a local database path, or "" for a remote one
    std::string host; ///< a remote xapian-tcpsrv's host, "" for a local database
    unsigned port = 0;
    bool remote() const { return !host.empty(); }
};

/// The databases an index specification names, in order:
/// - a comma-separated list of local paths and "tcp:HOST:PORT" endpoints;
/// - a stub file (lines "auto PATH", "glass PATH", "remote HOST:PORT", "tcp:HOST:PORT",
///   relative paths from the stub's folder, '#' comments);
/// - a directory holding a stub file named XAPIANDB (a sharded index): the databases it lists;
/// - anything else: that one path (a single database).
/// Throws kb::Error(InvalidRequest) for a malformed entry.
std::vector<ShardSpec> parse_index_spec(const std::string& spec);

} // namespace kb

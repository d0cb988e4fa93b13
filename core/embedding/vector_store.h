#pragma once

#include "core/embedding/embedder.h"
#include "core/embedding/fasttext_embedder.h"
#include "core/embedding/vector_index.h"

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>

namespace kb {

/// Folder beside the Xapian tables where vectors live: INDEX/vectors.
std::string vectors_dir(const std::string& index_path);
/// The texts vectors are made of, with their documents: each passage, and each record that has
/// no passages (title + text).
void vector_texts(const Xapian::Database& db, std::vector<Xapian::docid>& ids,
                  std::vector<std::string>& texts);
/// The model file INDEX/vectors/manifest names, resolved, or "" when there is none (or the
/// file is gone).
std::string vector_model_of(const std::string& index_path);

/// The vectors of one index as the indexer last committed them: the embedder that made them,
/// the ANN index over passage (and short record) documents, and the Xapian revision and uuid
/// they were built from. INDEX/vectors/manifest names the files; it is replaced last, so a
/// crash leaves the previous complete set.
class VectorStore {
public:
    /// Loads INDEX/vectors; nullptr when there is no manifest. Throws kb::Error(Internal) when
    /// the manifest names a damaged or missing file.
    static std::shared_ptr<const VectorStore> load(const std::string& index_path);
    /// For tests: an in-memory store stamped with a revision and uuid.
    VectorStore(std::shared_ptr<const Embedder> embedder, VectorIndex index, Xapian::rev revision,
                std::string uuid)
        : embedder_(std::move(embedder)), index_(std::move(index)), revision_(revision),
          uuid_(std::move(uuid)) {}

    const Embedder& embedder() const { return *embedder_; }
    const VectorIndex& index() const { return index_; }
    /// The Xapian revision (Database::get_revision()) the vectors were built from.
    Xapian::rev revision() const { return revision_; }
    const std::string& uuid() const { return uuid_; }
    /// True when the vectors describe exactly this database's documents. Never for a database
    /// of several shards: Xapian has no single revision for those (a sharded index has a store
    /// per shard, each matched against its own shard).
    bool matches(const Xapian::Database& db) const {
        if (db.size() != 1)
            return false;
        return db.get_revision() == revision_ && db.get_uuid() == uuid_;
    }

private:
    std::shared_ptr<const Embedder> embedder_;
    VectorIndex index_;
    Xapian::rev revision_ = 0;
    std::string uuid_;
};

/// The store of an index shared by every thread of the process, reloaded when the indexer
/// replaced the manifest (checked by its modification time and size, a stat per call).
/// nullptr when the index has no vectors; a damaged store is logged once and read as none.
std::shared_ptr<const VectorStore> shared_vector_store(const std::string& index_path);

/// What build_vectors() is asked to do.
struct VectorBuildOptions {
    bool train = false; ///< retrain the model even when one exists
    /// Never train: use the model the manifest names, or fail with kb::Error(Conflict,
    /// "no_vector_model") (a server refreshing vectors must not spend minutes training).
    bool reuse_model_only = false;
    std::string model_file; ///< use this pre-trained fastText .bin/.vec instead of training
    /// Name model_file in the manifest relative to the vectors folder, not absolute: a sharded
    /// index's shared model (INDEX/vectors-model), so the index can be moved or copied.
    bool model_relative = false;
    FastTextTraining training;
    unsigned threads = 2; ///< embedding and graph-building threads
    /// Polled between steps; when it returns true the build stops with
    /// kb::Error(Unavailable, "vectors_cancelled") and the previous vectors stay in place.
    std::function<bool()> cancelled;
};

/// What build_vectors() did.
struct VectorBuildSummary {
    bool up_to_date = false; ///< nothing to do: the vectors already match the revision
    bool trained = false;
    std::size_t vectors = 0, training_words = 0;
    double train_seconds = 0, embed_seconds = 0, ann_seconds = 0;
    std::string model; ///< the model file used
};

/// Brings INDEX/vectors up to date with the committed Xapian index: (re)trains the model when
/// asked or when there is none (unless `model_file` is given), embeds every passage document
/// and every record without passages (title + text), builds the HNSW graph, writes the files
/// (temporary, fsync, rename) and finally the manifest stamped with the revision. The whole
/// vector index is rebuilt each time (seconds for the bundled corpus). Call it after the
/// Xapian commit. Builds of one index are serialised by a lock file (INDEX/vectors/lock), so the
/// indexer and a server refreshing after a write never interleave. A sharded index (a directory
/// with a stub) gets vectors per shard: see build_sharded_vectors(). Throws kb::Error.
VectorBuildSummary build_vectors(const std::string& index_path, const VectorBuildOptions& options);

} // namespace kb

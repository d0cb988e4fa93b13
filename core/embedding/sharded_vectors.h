#pragma once

// Vectors of a sharded index (kb-indexer --shards N): each shard INDEX/shard-K has its own
// INDEX/shard-K/vectors, stamped with that shard's revision and uuid, because Xapian gives the
// shards together no single revision and interleaves their document ids. All shards embed
// with one fastText model, so their similarities compare and the Searcher can merge them.

#include "core/embedding/vector_store.h"

#include <string>

namespace kb {

/// Folder of a sharded index's shared model: INDEX/vectors-model.
std::string shared_model_dir(const std::string& index_path);

/// Builds the vectors of every shard of the sharded index in `index_path` with one model:
/// options.model_file when given; else (unless options.train) the model the shards' manifests
/// already name; else one trained on the text of all shards into INDEX/vectors-model (never
/// with options.reuse_model_only: kb::Error(Conflict, "no_vector_model")). Each shard is then
/// brought up to date by build_vectors(INDEX/shard-K). The figures are summed over the shards;
/// up_to_date only when every shard was. Whole builds are serialised by
/// INDEX/vectors-model/lock. Throws kb::Error.
VectorBuildSummary build_sharded_vectors(const std::string& index_path, unsigned shards,
                                         const VectorBuildOptions& options);

/// True when the index has vectors to keep up to date: INDEX/vectors/manifest, or for a
/// sharded index a manifest in one of its shards.
bool has_vectors(const std::string& index_path);

} // namespace kb

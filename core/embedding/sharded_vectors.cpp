#include "core/embedding/sharded_vectors.h"

#include "core/embedding/build_lock.h"
#include "core/embedding/fasttext_embedder.h"
#include "core/error.h"
#include "core/search/shards.h"

#include <chrono>
#include <filesystem>

namespace kb {
namespace fs = std::filesystem;

namespace {

void check_cancelled(const VectorBuildOptions& options) {
    if (options.cancelled && options.cancelled())
        throw Error(ErrorKind::Unavailable, "vectors_cancelled", "vector build cancelled");
}

// The model the shards' vectors were built with: the first shard manifest naming a model file
// that still exists (they all name the same one after a complete build).
std::string current_model(const std::string& index_path, unsigned shards) {
    for (unsigned k = 0; k < shards; ++k) {
        std::string model = vector_model_of((fs::path(index_path) / shard_name(k)).string());
        if (!model.empty())
            return model;
    }
    return "";
}

} // namespace

std::string shared_model_dir(const std::string& index_path) {
    return (fs::path(index_path) / "vectors-model").string();
}

bool has_vectors(const std::string& index_path) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(vectors_dir(index_path)) / "manifest", ec))
        return true;
    const auto shards = sharded_index_shards(index_path);
    for (unsigned k = 0; shards && k < *shards; ++k)
        if (fs::is_regular_file(
                fs::path(vectors_dir((fs::path(index_path) / shard_name(k)).string())) / "manifest",
                ec))
            return true;
    return false;
}

VectorBuildSummary build_sharded_vectors(const std::string& index_path, unsigned shards,
                                         const VectorBuildOptions& options) {
    VectorBuildSummary summary;
    const fs::path dir = shared_model_dir(index_path);
    fs::create_directories(dir);
    const BuildLock lock(dir);

    std::string model = options.model_file;
    if (model.empty() && !options.train)
        model = current_model(index_path, shards);
    const bool ours = model.empty() || fs::absolute(model).lexically_normal().parent_path() ==
                                           fs::absolute(dir).lexically_normal();
    if (model.empty()) {
        if (options.reuse_model_only)
            throw Error(ErrorKind::Conflict, "no_vector_model",
                        "the vectors of " + index_path +
                            " name no usable model: run kb-indexer to train one");
        // One model for every shard, trained on the text of them all (the stub opens them as
        // one database). A new name each time: the shards' manifests name the model, so a
        // retrained one makes every shard re-embed.
        const auto started = std::chrono::steady_clock::now();
        Xapian::Database db(index_path);
        std::vector<Xapian::docid> ids;
        std::vector<std::string> texts;
        vector_texts(db, ids, texts);
        check_cancelled(options);
        const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
        const std::string path = (dir / ("model-" + std::to_string(stamp) + ".bin")).string();
        train_fasttext(texts, path + ".tmp", options.training);
        fsync_path(path + ".tmp");
        fs::rename(path + ".tmp", path);
        model = path;
        summary.trained = true;
        summary.train_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }

    VectorBuildOptions each = options;
    each.train = false;
    each.model_file = model;
    each.model_relative = ours;
    summary.up_to_date = true;
    for (unsigned k = 0; k < shards; ++k) {
        check_cancelled(options);
        const VectorBuildSummary s =
            build_vectors((fs::path(index_path) / shard_name(k)).string(), each);
        summary.up_to_date = summary.up_to_date && s.up_to_date;
        summary.vectors += s.vectors;
        summary.embed_seconds += s.embed_seconds;
        summary.ann_seconds += s.ann_seconds;
    }
    summary.up_to_date = summary.up_to_date && !summary.trained;
    summary.model = fs::absolute(model).lexically_normal().string();

    // Models trained earlier are no longer named by any shard.
    const std::string keep = ours ? fs::path(model).filename().string() : "";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("model-", 0) == 0 && name != keep)
            fs::remove(entry.path(), ec);
    }
    return summary;
}

} // namespace kb

#include "core/embedding/vector_store.h"

#include "core/embedding/build_lock.h"
#include "core/embedding/sharded_vectors.h"
#include "core/error.h"
#include "core/indexing/document_builder.h"
#include "core/parallel.h"
#include "core/record.h"
#include "core/schema/schema.h"
#include "core/search/shards.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace kb {
namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "manifest";

using Manifest = std::map<std::string, std::string>;

Manifest read_manifest(const fs::path& dir) {
    Manifest m;
    std::ifstream in(dir / kManifest);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            m[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return m;
}

double elapsed(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A model file named in the manifest: relative to the vectors folder (one we trained) or
// absolute (a user's).
fs::path model_path(const fs::path& dir, const std::string& name) {
    const fs::path p(name);
    return p.is_absolute() ? p : dir / p;
}

void check_cancelled(const VectorBuildOptions& options) {
    if (options.cancelled && options.cancelled())
        throw Error(ErrorKind::Unavailable, "vectors_cancelled", "vector build cancelled");
}

// The shards of a sharded index name the same model: load it once per process, not once per
// shard (a real fastText model is hundreds of megabytes). Keyed by the file's canonical path,
// modification time and size, so a retrained model is loaded afresh.
std::shared_ptr<const Embedder> shared_embedder(const fs::path& file) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<const Embedder>> loaded;
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(file, ec);
    const std::string path = (ec ? file : canonical).string();
    const auto mtime = fs::last_write_time(path, ec);
    const std::uintmax_t size = ec ? 0 : fs::file_size(path, ec);
    const std::string key =
        path + "|" + std::to_string(mtime.time_since_epoch().count()) + "|" + std::to_string(size);
    std::lock_guard lock(mutex);
    if (auto e = loaded[key].lock())
        return e;
    std::shared_ptr<const Embedder> e = FastTextEmbedder::load(path);
    loaded[key] = e;
    return e;
}

} // namespace

std::string vectors_dir(const std::string& index_path) {
    return (fs::path(index_path) / "vectors").string();
}

void vector_texts(const Xapian::Database& db, std::vector<Xapian::docid>& ids,
                  std::vector<std::string>& texts) {
    for (const std::string_view kind : {schema::kPassageKindTerm, schema::kRecordKindTerm}) {
        const std::string term(kind);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            const Record r = decode_record(db.get_document(*it).get_data());
            if (kind == schema::kRecordKindTerm && db.term_exists(passage_term(r.id)))
                continue;
            ids.push_back(*it);
            texts.push_back(r.title + "\n" + r.text);
        }
    }
}

std::string vector_model_of(const std::string& index_path) {
    const fs::path dir = vectors_dir(index_path);
    const std::string name = read_manifest(dir)["model"];
    std::error_code ec;
    if (name.empty() || !fs::is_regular_file(model_path(dir, name), ec))
        return "";
    return model_path(dir, name).lexically_normal().string();
}

std::shared_ptr<const VectorStore> VectorStore::load(const std::string& index_path) {
    const fs::path dir = vectors_dir(index_path);
    std::error_code ec;
    if (!fs::is_regular_file(dir / kManifest, ec))
        return nullptr;
    Manifest m = read_manifest(dir);
    if (m["format"] != "1" || m["revision"].empty() || m["model"].empty() || m["vectors"].empty())
        throw Error(ErrorKind::Internal, "vectors_damaged",
                    "vector manifest " + (dir / kManifest).string() + " is incomplete");
    std::shared_ptr<const Embedder> embedder = shared_embedder(model_path(dir, m["model"]));
    VectorIndex index = VectorIndex::load((dir / m["vectors"]).string());
    if (index.dimension() != embedder->dimension())
        throw Error(ErrorKind::Internal, "vectors_damaged",
                    "the vectors and the model in " + dir.string() + " differ in dimension");
    return std::make_shared<const VectorStore>(std::move(embedder), std::move(index),
                                               std::stoull(m["revision"]), m["uuid"]);
}

std::shared_ptr<const VectorStore> shared_vector_store(const std::string& index_path) {
    struct Entry {
        fs::file_time_type mtime{};
        std::uintmax_t size = 0;
        bool loaded = false;
        std::shared_ptr<const VectorStore> store;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;
    const fs::path manifest = fs::path(vectors_dir(index_path)) / kManifest;
    std::error_code ec;
    const auto mtime = fs::last_write_time(manifest, ec);
    const std::uintmax_t size = ec ? 0 : fs::file_size(manifest, ec);
    std::lock_guard lock(mutex);
    Entry& e = cache[index_path];
    if (ec) {
        e = Entry{};
        return nullptr;
    }
    if (e.loaded && e.mtime == mtime && e.size == size)
        return e.store;
    e.mtime = mtime;
    e.size = size;
    e.loaded = true;
    try {
        e.store = VectorStore::load(index_path);
    } catch (const Error& err) {
        // Logged once per manifest version; searches then say the index has no usable vectors.
        std::cerr << "kb: ignoring the vectors of " << index_path << ": " << err.what() << "\n";
        e.store = nullptr;
    }
    return e.store;
}

VectorBuildSummary build_vectors(const std::string& index_path, const VectorBuildOptions& options) {
    if (const auto shards = sharded_index_shards(index_path))
        return build_sharded_vectors(index_path, *shards, options);
    VectorBuildSummary summary;
    const fs::path dir = vectors_dir(index_path);
    fs::create_directories(dir);
    const BuildLock lock(dir);
    Xapian::Database db(index_path);
    const Xapian::rev revision = db.get_revision();
    const std::string uuid = db.get_uuid();
    const std::string stamp = std::to_string(revision);
    Manifest old = read_manifest(dir);

    std::string model; // as written in the manifest
    bool train = options.train;
    std::error_code ec;
    if (!options.model_file.empty()) {
        const fs::path file = fs::absolute(options.model_file).lexically_normal();
        model = options.model_relative
                    ? file.lexically_relative(fs::absolute(dir).lexically_normal()).string()
                    : file.string();
        train = false;
    } else if (!train && !old["model"].empty() &&
               fs::is_regular_file(model_path(dir, old["model"]), ec)) {
        model = old["model"]; // the model trained earlier, or the user's given earlier
    } else if (options.reuse_model_only) {
        throw Error(ErrorKind::Conflict, "no_vector_model",
                    "the vectors of " + index_path +
                        " name no usable model: run kb-indexer to train one");
    } else {
        train = true;
        model = "model-" + stamp + ".bin";
    }
    summary.model = model_path(dir, model).string();
    if (!train && old["revision"] == stamp && old["uuid"] == uuid && old["model"] == model &&
        fs::is_regular_file(dir / (old["vectors"] + ".hnsw"), ec)) {
        summary.up_to_date = true;
        summary.vectors = std::stoull(old["count"].empty() ? "0" : old["count"]);
        return summary;
    }

    std::vector<Xapian::docid> ids;
    std::vector<std::string> texts;
    vector_texts(db, ids, texts);
    check_cancelled(options);

    if (train) {
        const auto started = std::chrono::steady_clock::now();
        const std::string path = (dir / model).string();
        train_fasttext(texts, path + ".tmp", options.training);
        fsync_path(path + ".tmp");
        fs::rename(path + ".tmp", path);
        summary.trained = true;
        summary.train_seconds = elapsed(started);
    }
    const std::shared_ptr<const Embedder> embedder =
        FastTextEmbedder::load(model_path(dir, model).string());

    auto started = std::chrono::steady_clock::now();
    std::vector<std::vector<float>> vectors(texts.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    auto work = [&] {
        for (std::size_t i = next++; i < texts.size() && !stop; i = next++) {
            vectors[i] = embedder->embed(texts[i]);
            if (options.cancelled && i % 256 == 0 && options.cancelled())
                stop = true;
        }
    };
    run_on_threads(options.threads, [&] {
        try {
            work();
        } catch (...) {
            stop = true; // the others stop too; run_on_threads rethrows
            throw;
        }
    });
    check_cancelled(options);
    VectorIndex index(embedder->dimension());
    for (std::size_t i = 0; i < ids.size(); ++i)
        index.add(ids[i], vectors[i]);
    summary.embed_seconds = elapsed(started);
    summary.vectors = ids.size();

    started = std::chrono::steady_clock::now();
    index.build(options.threads);
    check_cancelled(options);
    const std::string stem = "vectors-" + stamp;
    index.save((dir / stem).string());
    summary.ann_seconds = elapsed(started);

    // The manifest last: until it is renamed, readers keep the previous complete set.
    std::ostringstream m;
    m << "format=1\nrevision=" << stamp << "\nuuid=" << uuid << "\nmodel=" << model
      << "\nvectors=" << stem << "\ndimension=" << embedder->dimension() << "\ncount=" << ids.size()
      << "\nembedder=" << embedder->name() << "\n";
    write_file_atomically((dir / kManifest).string(), m.str());

    // Files of earlier builds are no longer referenced.
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = name.rfind("model-", 0) == 0 || name.rfind("vectors-", 0) == 0;
        if (ours && name != model && name != stem + ".f32" && name != stem + ".hnsw")
            fs::remove(entry.path(), ec);
    }
    return summary;
}

} // namespace kb

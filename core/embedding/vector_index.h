#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace hnswlib {
template <typename T> class HierarchicalNSW;
class InnerProductSpace;
} // namespace hnswlib

namespace kb {

/// One neighbour: the Xapian document and its cosine similarity to the query.
struct VectorHit {
    Xapian::docid id = 0;
    float similarity = 0;
};

/// L2-normalised vectors keyed by Xapian document id, searched approximately by an HNSW graph
/// (hnswlib, inner product) or exactly by a scan. Build once, then search from any number of
/// threads (searches are const; hnswlib's visited lists are pooled under a lock).
class VectorIndex {
public:
    explicit VectorIndex(unsigned dimension);
    ~VectorIndex();
    VectorIndex(VectorIndex&&) noexcept;
    VectorIndex& operator=(VectorIndex&&) noexcept;

    /// Adds a vector (of dimension()) before build(); an id added twice keeps the last vector.
    void add(Xapian::docid id, const std::vector<float>& vector);
    /// Builds the HNSW graph over every vector added (M links per node, ef_construction).
    void build(unsigned threads = 1, std::size_t m = 16, std::size_t ef_construction = 100);

    /// The k most similar documents by the HNSW graph, best first. With `allowed`, only
    /// documents it accepts: the graph is asked for more neighbours (4×, 16×, …) until k
    /// allowed ones are found or the whole index was searched.
    std::vector<VectorHit> search(const float* query, std::size_t k,
                                  const std::function<bool(Xapian::docid)>& allowed = {}) const;
    /// The same by scanning every vector (or only `among` when given): exact, O(n·d).
    std::vector<VectorHit> exact(const float* query, std::size_t k,
                                 const std::vector<Xapian::docid>* among = nullptr) const;

    /// Candidates explored per query (hnswlib's ef; at least k is used). Not thread-safe:
    /// set it before searching (benchmarks).
    void set_search_ef(std::size_t ef);

    /// The stored vector of a document, or nullptr.
    const float* vector_of(Xapian::docid id) const;
    std::size_t size() const { return ids_.size(); }
    unsigned dimension() const { return dimension_; }
    /// Bytes held: vectors, ids and the graph.
    std::size_t memory_bytes() const;

    /// Writes the vectors (`stem`.f32) and the graph (`stem`.hnsw), each to a temporary file
    /// that is fsync'ed and then renamed, so a crash leaves either the old file or the new one.
    void save(const std::string& stem) const;
    /// Reads what save() wrote; throws kb::Error(Internal) on a missing or damaged file.
    static VectorIndex load(const std::string& stem);

private:
    unsigned dimension_;
    std::vector<Xapian::docid> ids_; ///< row → document
    std::vector<float> data_;        ///< row-major vectors
    std::unordered_map<Xapian::docid, std::size_t> rows_;
    std::unique_ptr<hnswlib::InnerProductSpace> space_;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
};

/// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename, and an
/// fsync of the folder so the rename itself survives a power cut.
void write_file_atomically(const std::string& path, const std::string& bytes);
/// fsync of one existing file or folder (throws kb::Error(Internal) on failure).
void fsync_path(const std::string& path);

} // namespace kb

#pragma once

#include "core/embedding/vector_store.h"
#include "core/search/index_handle.h"

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace kb {

class Embedder;

/// The vector stores of an open index: one for a single database, one per local shard
/// otherwise, and the nearest-neighbour search over them in the index's combined docids.
class IndexVectors {
public:
    /// A nearest passage, collapsed to its group (record or near-duplicate cluster).
    struct Neighbour {
        Xapian::docid docid;
        std::string group;
        float similarity;
    };

    /// Loads the vectors matching `index`'s database: "ready", "none" (the index has no
    /// vectors, or some shard is remote) or "stale" (built from another revision).
    std::string status(const IndexHandle& index);
    /// status(), throwing kb::Error(Conflict, "no_vectors" / "vectors_stale") unless ready.
    void require(const IndexHandle& index);
    /// The model of the vectors (every part shares it), after require().
    const Embedder& embedder() const;
    unsigned dimension() const;
    /// The stored vector of a document of the index (by its combined docid), or nullptr.
    const float* vector_of(Xapian::docid docid) const;
    /// Nearest passages of `query_vector` collapsed to one per `collapse_slot` value, best
    /// first, at most `groups`; documents outside `filter` (when not empty) and `exclude` are
    /// skipped. Calls require() first.
    std::vector<Neighbour> neighbours(const IndexHandle& index,
                                      const std::vector<float>& query_vector,
                                      const Xapian::Query& filter, Xapian::valueno collapse_slot,
                                      std::size_t groups,
                                      const std::vector<Xapian::docid>& exclude = {});

private:
    /// Xapian 1.4 interleaves the document ids of a database made of n: document `local` of
    /// the database added at `position` (0-based) is (local - 1) * n + position + 1 in it.
    struct Part {
        std::shared_ptr<const VectorStore> store;
        unsigned position = 0;
    };
    std::shared_ptr<const VectorStore> single_; ///< the vectors of a single database
    std::vector<Part> parts_;
    unsigned stride_ = 1; ///< n: how many databases the index's database is made of
    std::string problem_; ///< why status() is not "ready", for the 409 message
};

/// True when some component of `v` is not zero (an embedding of known words).
bool any_nonzero(const std::vector<float>& v);

} // namespace kb

#include "core/search/vectors.h"

#include "core/embedding/embedder.h"
#include "core/error.h"

#include <algorithm>
#include <set>

namespace kb {
namespace {

// A filter that keeps fewer documents than this is searched exactly, by a scan of its vectors;
// above, the HNSW graph is asked for more neighbours until enough pass the filter.
constexpr std::size_t kExactScanMax = 5000;

} // namespace

bool any_nonzero(const std::vector<float>& v) {
    return std::any_of(v.begin(), v.end(), [](float x) { return x != 0; });
}

std::string IndexVectors::status(const IndexHandle& index) {
    parts_.clear();
    stride_ = 1;
    problem_.clear();
    const Xapian::Database& db = index.db();
    if (index.combined().empty()) {
        // One database: the index's own vectors.
        single_ = index.path().empty() ? nullptr : shared_vector_store(index.path());
        if (!single_)
            return "none";
        parts_.push_back({single_, 0});
        if (single_->matches(db))
            return "ready";
        problem_ = "the index's vectors were built from revision " +
                   std::to_string(single_->revision()) + " but the documents are at revision " +
                   std::to_string(db.get_revision());
        return "stale";
    }
    // Several databases: each local shard has its own vectors, matched against that shard
    // (shard.db shares its state with the combined database, so both see the same revision).
    const std::vector<IndexHandle::Shard>& shards = index.shards();
    for (const IndexHandle::Shard& s : shards)
        if (s.spec.remote()) {
            problem_ = s.spec.name;
            return "none";
        }
    const std::vector<std::size_t>& combined = index.combined();
    stride_ = static_cast<unsigned>(combined.size());
    bool any = false;
    for (unsigned position = 0; position < combined.size(); ++position) {
        const IndexHandle::Shard& s = shards[combined[position]];
        if (s.aux)
            continue;
        std::shared_ptr<const VectorStore> store = shared_vector_store(s.spec.path);
        if (!store) {
            if (problem_.empty())
                problem_ = "the shard " + s.spec.name + " has no vectors";
            continue;
        }
        any = true;
        if (!store->matches(s.db) && problem_.empty())
            problem_ = "the vectors of the shard " + s.spec.name + " were built from revision " +
                       std::to_string(store->revision()) + " but its documents are at revision " +
                       std::to_string(s.db.get_revision());
        parts_.push_back({std::move(store), position});
    }
    if (!any) {
        parts_.clear();
        return "none";
    }
    return problem_.empty() ? "ready" : "stale";
}

void IndexVectors::require(const IndexHandle& index) {
    const std::string state = status(index);
    if (state == "none" && !problem_.empty())
        throw Error(ErrorKind::Conflict, "no_vectors",
                    "this index has a remote shard (" + problem_ +
                        "), and remote shards have no vectors, so semantic and hybrid search and "
                        "vector similarity are unavailable: only an index whose shards are all "
                        "local directories has vectors");
    if (state == "none")
        throw Error(ErrorKind::Conflict, "no_vectors",
                    "this index has no vectors, so semantic and hybrid search and vector "
                    "similarity are unavailable: build them with kb-indexer (vectors are trained "
                    "when the index has enough text, or given with --vector-model FILE)");
    if (state == "stale")
        throw Error(ErrorKind::Conflict, "vectors_stale",
                    problem_ +
                        " (written since, or an indexing run stopped before its vectors): they are "
                        "ignored until kb-indexer runs again and rebuilds them");
}

const Embedder& IndexVectors::embedder() const { return parts_.front().store->embedder(); }

unsigned IndexVectors::dimension() const { return parts_.front().store->index().dimension(); }

const float* IndexVectors::vector_of(Xapian::docid docid) const {
    const unsigned position = (docid - 1) % stride_;
    for (const Part& part : parts_)
        if (part.position == position)
            return part.store->index().vector_of((docid - 1) / stride_ + 1);
    return nullptr;
}

std::vector<IndexVectors::Neighbour>
IndexVectors::neighbours(const IndexHandle& index, const std::vector<float>& query_vector,
                         const Xapian::Query& filter, Xapian::valueno collapse_slot,
                         std::size_t groups, const std::vector<Xapian::docid>& exclude) {
    require(index);
    const Xapian::Database& db = index.db();
    std::vector<Neighbour> out;
    std::size_t total = 0;
    for (const Part& part : parts_)
        total += part.store->index().size();
    if (groups == 0 || total == 0)
        return out;
    const unsigned n = stride_;
    auto combined = [n](Xapian::docid local, unsigned position) {
        return (local - 1) * n + position + 1;
    };
    std::vector<Xapian::docid> skip = exclude;
    std::sort(skip.begin(), skip.end());
    // The filter's documents (facets, years), sorted: a boolean match of the filter alone,
    // on the combined database, so in combined ids; each part also gets its own, in its
    // local ids.
    std::vector<Xapian::docid> allowed;
    std::vector<std::vector<Xapian::docid>> allowed_local(parts_.size());
    const bool restricted = !filter.empty();
    if (restricted) {
        Xapian::Enquire enquire(db);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        enquire.set_query(filter);
        Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
        for (auto it = all.begin(); it != all.end(); ++it)
            if (!std::binary_search(skip.begin(), skip.end(), *it))
                allowed.push_back(*it);
        std::sort(allowed.begin(), allowed.end());
        if (allowed.empty())
            return out;
        for (std::size_t p = 0; p < parts_.size(); ++p)
            for (Xapian::docid id : allowed)
                if ((id - 1) % n == parts_[p].position)
                    allowed_local[p].push_back((id - 1) / n + 1); // ascending, as `allowed`
    }
    const bool exact = restricted && allowed.size() <= kExactScanMax;
    // A record has several passages: ask for more neighbours than records wanted, and more
    // again if collapsing leaves too few. Each part (shard) is asked for k; their hits are
    // merged by similarity, which compares across parts since they share one model.
    for (std::size_t k = groups * 4 + 16;; k *= 4) {
        k = std::min(k, total);
        std::vector<VectorHit> hits;
        bool exhausted = true;
        for (std::size_t p = 0; p < parts_.size(); ++p) {
            const VectorIndex& vectors = parts_[p].store->index();
            const unsigned position = parts_[p].position;
            const std::size_t kp = std::min(k, vectors.size());
            if (kp == 0)
                continue;
            auto accept = [&](Xapian::docid local) {
                const Xapian::docid id = combined(local, position);
                return restricted ? std::binary_search(allowed.begin(), allowed.end(), id)
                                  : !std::binary_search(skip.begin(), skip.end(), id);
            };
            std::vector<VectorHit> part =
                exact ? vectors.exact(query_vector.data(), kp, &allowed_local[p])
                      : vectors.search(query_vector.data(), kp, accept);
            if (part.size() >= kp && kp < vectors.size())
                exhausted = false;
            for (VectorHit& h : part) {
                h.id = combined(h.id, position);
                hits.push_back(h);
            }
        }
        std::stable_sort(hits.begin(), hits.end(), [](const VectorHit& a, const VectorHit& b) {
            return a.similarity > b.similarity;
        });
        out.clear();
        std::set<std::string> seen;
        for (const VectorHit& h : hits) {
            std::string key;
            try {
                key = db.get_document(h.id).get_value(collapse_slot);
            } catch (const Xapian::DocNotFoundError&) {
                continue; // cannot happen with matching revisions; never serve a missing id
            }
            if (seen.insert(key).second)
                out.push_back({h.id, std::move(key), h.similarity});
            if (out.size() >= groups)
                return out;
        }
        if (exhausted || k >= total)
            return out;
    }
}

} // namespace kb

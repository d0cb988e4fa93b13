#include "core/search/result_cache.h"

namespace kb {

std::size_t ResultCache::footprint(const std::string& key, const SearchResult& r) {
    // Fixed overheads (list and hash nodes, small strings) are counted roughly: the budget is a
    // bound for operators, not an allocator's exact figure.
    std::size_t bytes = sizeof(Entry) + 64 + 2 * key.size() + r.query.size() +
                        r.mode_fallback.size() + r.did_you_mean.size() + r.query_language.size();
    for (const Hit& h : r.hits) {
        bytes += sizeof(Hit) + h.id.size() + h.title.size() + h.date.size() + h.type.size() +
                 h.publisher.size() + h.url.size() + h.snippet.size() + h.group.size();
        for (const auto* list : {&h.matched_terms, &h.authors})
            for (const std::string& t : *list)
                bytes += sizeof(std::string) + t.size();
    }
    for (const NamedConcept& c : r.missing_concepts)
        bytes +=
            sizeof(NamedConcept) + c.facet.size() + c.id.size() + c.label.size() + c.typed.size();
    for (const std::string& e : r.expansions)
        bytes += sizeof(std::string) + e.size();
    for (const auto* terms : {&r.highlight.words, &r.highlight.stems})
        for (const std::string& t : *terms)
            bytes += 32 + sizeof(std::string) + t.size(); // a set node
    for (const std::string& p : r.highlight.prefixes)
        bytes += sizeof(std::string) + p.size();
    for (const auto& [facet, counts] : r.facets) {
        bytes += 64;
        for (const FacetCount& c : counts)
            bytes += sizeof(FacetCount) + c.id.size() + c.label.size() + c.parent.size();
    }
    for (const std::string& s : r.shards.unavailable)
        bytes += sizeof(std::string) + s.size();
    return bytes;
}

std::optional<SearchResult> ResultCache::find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) {
        ++misses_;
        return std::nullopt;
    }
    ++hits_;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->result;
}

void ResultCache::insert(const std::string& key, const SearchResult& result) {
    const std::size_t bytes = footprint(key, result);
    if (max_bytes_ == 0 || bytes > max_bytes_ / 8)
        return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        bytes_ -= it->second->bytes;
        lru_.erase(it->second);
        index_.erase(it);
    }
    evict_to(max_bytes_ - bytes);
    lru_.push_front({key, result, bytes});
    index_.emplace(key, lru_.begin());
    bytes_ += bytes;
}

void ResultCache::evict_to(std::size_t budget) {
    while (bytes_ > budget && !lru_.empty()) {
        bytes_ -= lru_.back().bytes;
        index_.erase(lru_.back().key);
        lru_.pop_back();
        ++evictions_;
    }
}

ResultCache::Stats ResultCache::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {hits_, misses_, evictions_, index_.size(), bytes_, max_bytes_};
}

} // namespace kb

#pragma once

#include "core/search_types.h"

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace kb {

/// Result pages already computed, shared by every Searcher of a server: a search box, a
/// partner site's widget and a search-as-you-type page ask the same questions again and
/// again, and answering from memory costs microseconds instead of a match, a facet pass and
/// ten snippets.
///
/// Entries are keyed by Searcher::cache_key(), which names the exact index revision the page
/// was computed on: a commit (indexer run or write endpoint) makes every older entry
/// unreachable, and the least recently used entries are dropped once the cache holds more
/// than its byte budget. Thread-safe.
class ResultCache {
public:
    /// `max_bytes` bounds the approximate memory of the cached pages (0: cache nothing).
    explicit ResultCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    ResultCache(const ResultCache&) = delete;
    ResultCache& operator=(const ResultCache&) = delete;

    /// The page stored under `key`, or nothing; a hit makes the entry the most recently used.
    std::optional<SearchResult> find(const std::string& key);
    /// Stores a page (replacing one under the same key). A page larger than an eighth of the
    /// budget is not stored: it would evict many small ones for one rare request.
    void insert(const std::string& key, const SearchResult& result);

    struct Stats {
        unsigned long long hits = 0, misses = 0, evictions = 0;
        std::size_t entries = 0, bytes = 0, max_bytes = 0;
    };
    Stats stats() const;

    /// Approximate memory of a stored page: its strings and containers.
    static std::size_t footprint(const std::string& key, const SearchResult& result);

private:
    struct Entry {
        std::string key;
        SearchResult result;
        std::size_t bytes;
    };
    void evict_to(std::size_t budget);

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_; ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t bytes_ = 0;
    unsigned long long hits_ = 0, misses_ = 0, evictions_ = 0;
};

} // namespace kb

#pragma once

#include "analysis/analyzer.h"
#include "record.h"
#include "search_types.h"

#include <xapian.h>

#include <optional>
#include <string>

namespace kb {

/// Answers searches and document look-ups on one index. Like Xapian::Database it is not
/// thread-safe: the server keeps one per worker thread.
class Searcher {
public:
    /// Opens the index read-only; throws kb::Error naming the path when it cannot.
    explicit Searcher(const std::string& index_path);
    /// Searches an already open database (an in-memory one in tests).
    explicit Searcher(Xapian::Database db) : db_(std::move(db)) {}

    /// Runs a validated request: parse through the analysis chain, match, relax, snippet.
    SearchResult search(const SearchRequest& request);
    /// Documents like this one (Xapian relevance feedback: its most telling terms), without it.
    /// Throws kb::Error(NotFound) for an unknown id.
    SearchResult similar(const std::string& id, unsigned size);
    /// Autocomplete for a search box: facet values, titles and frequent words that start with
    /// what was typed (accent- and case-insensitive), best first.
    std::vector<Suggestion> suggest(std::string_view typed, unsigned limit);
    /// Ids of the records in the same near-duplicate cluster (other sources, same text).
    std::vector<std::string> duplicates_of(const std::string& id);
    /// The stored record with this id, or nothing.
    std::optional<Record> document(const std::string& id);
    /// Sets how matches are weighted for every later search.
    void set_ranking(const RankingParams &ranking) { ranking_ = ranking; }
    /// How matches are weighted.
    const RankingParams &ranking() const { return ranking_; }
    /// Moves to the latest committed version of the index (cheap when nothing changed).
    void refresh();

    /// Number of records (passages are not counted).
    Xapian::doccount document_count() const;
    /// Where a record's passages start: {passage number, page, byte offset}.
    std::vector<PassageInfo> passages(const std::string& id);
    /// True when some document has this facet value.
    bool knows(Facet facet, const std::string& id) const;
    /// ISO 8601 time of the last indexing commit, or "" for an index that has none.
    std::string last_commit() const;

private:
    template <typename F> auto with_retry(F&& f);
    /// Matches `query` (the user's or a correction) into `result`, relaxing if needed.
    void run(const std::string& query, const SearchRequest& request, SearchResult& result);
    /// The query with unknown words replaced by spelling suggestions, or "" when none.
    std::string spelling_correction(const std::string& query);

    std::string path_;
    Xapian::Database db_;
    Analyzer analyzer_;
    RankingParams ranking_;
};

} // namespace kb

#pragma once

#include "core/analysis/analyzer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace kb {

/// Words an index's settings add to the analysis of queries (the Meilisearch `synonyms` and
/// `stopWords` settings): synonyms a word or phrase of a query expands to, as the acronyms of
/// the index's synonym table do (one expansion path, core/search/query/expansion.cpp), and
/// stop words a query drops as it drops the built-in French ones. Immutable once built:
/// searches share it.
class QueryVocabulary {
public:
    /// One synonym key: as written in the settings, and what it expands to (as written).
    struct Synonyms {
        std::string shown;
        std::vector<std::string> values;
    };

    /// Longest synonym key a query is looked up for, in words.
    static constexpr std::size_t kMaxKeyWords = 6;

    /// Builds from the settings' values: keys and stop words go through `analyzer` (folded
    /// terms joined by spaces; a key without words is left out, and so are the values that
    /// fold to their key). Keys of more than kMaxKeyWords words are the caller's to refuse.
    QueryVocabulary(const std::map<std::string, std::vector<std::string>>& synonyms,
                    const std::vector<std::string>& stop_words, const Analyzer& analyzer);

    /// The key's synonyms (`folded_key` as Analyzer::fold_phrase writes it), or nullptr.
    const Synonyms* synonyms_of(const std::string& folded_key) const;
    /// True when the folded term is one of the added stop words.
    bool is_stop_word(const std::string& folded_term) const {
        return stop_words_.contains(folded_term);
    }
    const std::set<std::string>& stop_words() const { return stop_words_; }
    bool empty() const { return synonyms_.empty() && stop_words_.empty(); }
    /// Unique to this vocabulary in the process: what a result cache keys it by.
    std::uint64_t generation() const { return generation_; }

private:
    std::map<std::string, Synonyms> synonyms_; ///< by folded key
    std::set<std::string> stop_words_;         ///< folded
    std::uint64_t generation_;
};

} // namespace kb

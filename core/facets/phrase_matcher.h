#pragma once

#include "core/analysis/analyzer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kb {

/// Finds known labels (country names, actor names, thesaurus labels) in analysed text,
/// longest match first, through the same analysis chain as search.
class PhraseMatcher {
public:
    /// Exact compares folded words; Stemmed compares Snowball stems (for thesaurus labels,
    /// so "jumelages" finds "jumelage").
    enum class Mode { Exact, Stemmed };

    explicit PhraseMatcher(Mode mode) : mode_(mode) {}

    /// Registers a label for an entity id. When the label's first content word has a capital
    /// ("Mali", "La Réunion", "Cités Unies France"), so must the text's, so common words ("la
    /// réunion de lancement", "mali" in a word list) do not match; legal texts' lower-case
    /// "Cités unies France" still does.
    void add(std::string_view label, const std::string& id, const Analyzer& analyzer);

    struct Match {
        std::string id;
        std::size_t first = 0, last = 0; ///< word indexes, inclusive
    };

    /// One analysed text, ready for matching by several matchers.
    struct Words {
        std::vector<std::string> folded, stems;
        std::vector<bool> capitalised;
        std::vector<bool> stopword;
        std::vector<bool> hyphen_before; ///< joined to the previous word by a hyphen
        std::vector<bool> consumed;      ///< set by find() so later matchers skip matched words
    };
    /// Analyses `text` into words (compound and implied tokens left out).
    static Words words_of(std::string_view text, const Analyzer& analyzer);
    /// The same from tokens of `text` already produced by the analyzer.
    static Words words_of(std::string_view text, const std::vector<Token>& tokens,
                          const Analyzer& analyzer);

    /// All non-overlapping matches, longest first at each position; marks their words consumed.
    std::vector<Match> find(Words& words) const;

    bool empty() const { return labels_ == 0; }

private:
    struct Entry {
        std::string id;
        std::size_t capital_word = 0; ///< index of the word that must be capitalised
        bool needs_capital = false;
    };
    /// A node of the word trie: the labels that end here.
    struct Node {
        std::vector<Entry> entries;
    };
    static constexpr std::uint32_t kRoot = 0;
    /// The node reached from `node` by the word `word_id`, or none.
    std::optional<std::uint32_t> child(std::uint32_t node, std::uint32_t word_id) const;

    Mode mode_;
    /// Every word that occurs in a label, numbered: a text word that is not here cannot start
    /// or continue a match, which is the case of almost every word of a text, so matching
    /// costs one hash look-up per word and builds no strings.
    std::unordered_map<std::string, std::uint32_t> vocabulary_;
    /// The labels as a trie of word numbers: node 0 is the root; an edge is keyed by
    /// (node << 32 | word number).
    std::vector<Node> nodes_{1};
    std::unordered_map<std::uint64_t, std::uint32_t> edges_;
    std::size_t labels_ = 0;
};

} // namespace kb

#pragma once

#include "core/analysis/analyzer.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kb {

/// English → French translation of query words and phrases: the field's glossary
/// (core/data/glossary_en_fr.tsv, ours) over the FreeDict dictionary read at build time
/// (core/data/freedict_table.cpp, GPL-2+). Keys are the analysed words of the English phrase
/// (folded terms joined by spaces), so "Cross-border" and "cross border" meet one entry.
class TranslationTable {
public:
    struct Entry {
        std::vector<std::string> french; ///< as written (analysed when searched); may be empty:
                                         ///< the English word is written alike in French
        bool glossary = false;
        bool function_word = false; ///< "the", "of": no search word of an English query
    };
    struct Match {
        std::size_t words = 0; ///< how many words of the query the entry takes
        const Entry* entry = nullptr;
    };

    /// `glossary` and `dictionary`: "english<TAB>french|french…" lines ('#' lines are
    /// comments; "-" marks a function word); a glossary entry wins over the dictionary's for
    /// the same words. `french_words`: one French word a line (what is not English).
    static TranslationTable parse(std::string_view glossary, std::string_view dictionary,
                                  std::string_view french_words, const Analyzer& analyzer);
    /// The compiled-in glossary and FreeDict tables, built on first use (thread-safe).
    static const TranslationTable& builtin();

    /// The entry for the longest phrase starting at `terms[from]` (folded terms, in order):
    /// the glossary's longest first, then the dictionary's.
    std::optional<Match> longest(const std::vector<std::string>& terms, std::size_t from) const;
    /// Whether a folded word reads as English: an entry of its own and no French word (a
    /// glossary function word: no French stop word).
    bool english_word(const std::string& term) const;
    /// Whether a folded word is French (a French headword, a translation, a stop word).
    bool french_word(const std::string& term) const;
    /// Whether a folded word is an English word of the table (an entry, a function word, or
    /// the plural of one): such a word is never "corrected" into a French one.
    bool knows(const std::string& term) const { return find(term) != nullptr; }
    /// Cheap language guess for a query's folded words: more English than French words.
    bool looks_english(const std::vector<std::string>& terms) const;
    std::size_t size() const { return entries_.size(); }

    /// "councils" → "council", "authorities" → "authority": English plurals meet the
    /// singular's entry (and the other way round), so the glossary writes one form.
    static std::string singular(const std::string& word);

private:
    // The entry of a key, or of the key with every word in the singular.
    const Entry* find(const std::string& key) const;

    std::unordered_map<std::string, Entry> entries_;
    std::unordered_map<std::string, std::string> by_singular_; // singular key → key
    std::unordered_set<std::string> french_;
    std::size_t max_words_ = 1;
};

} // namespace kb

#pragma once

#include "core/analysis/analyzer.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kb {

/// General French synonyms (core/data/synonyms_fr.tsv, imported from mythes-fr), for optional
/// query expansion: a query word also finds its synonyms, weighted below the words typed.
/// Keyed by stem, so "coopérations" finds the entry of "coopération"; entries whose headwords
/// share a stem are merged.
class SynonymTable {
public:
    /// One synonym: as the thesaurus writes it (shown to users) and its stem (searched).
    struct Synonym {
        std::string word, stem;
    };

    /// Parses "word<TAB>synonym|synonym…" lines ('#' lines are comments) through `analyzer`.
    static SynonymTable parse(std::string_view tsv, const Analyzer& analyzer);
    /// The table from core/data/synonyms_fr.tsv, built on first use (thread-safe).
    static const SynonymTable& builtin();

    /// The synonyms of a word's stem, without the stem itself; empty when it has none.
    const std::vector<Synonym>& of(const std::string& stem) const;
    std::size_t size() const { return by_stem_.size(); }

private:
    std::unordered_map<std::string, std::vector<Synonym>> by_stem_;
};

} // namespace kb

#pragma once

#include "core/analysis/analyzer.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// One line of core/data/acronyms.tsv.
struct Acronym {
    std::string acronym;   ///< "APD"
    std::string expansion; ///< "aide publique au développement"
    std::string source;    ///< where the expansion is attested
};

/// The field's acronyms (a versioned data file compiled into the binaries). The indexer writes
/// them both ways into Xapian's synonym table; queries expand through that table.
class AcronymTable {
public:
    /// Parses "acronym<TAB>expansion<TAB>source" lines; '#' lines are comments.
    static AcronymTable parse(std::string_view tsv);
    /// The table from core/data/acronyms.tsv.
    static const AcronymTable& builtin();

    const std::vector<Acronym>& entries() const { return entries_; }
    /// Synonym pairs in analysed form, both directions: {"apd", "aide publique au developpement"}
    /// and {"aide publique au developpement", "apd"}.
    std::vector<std::pair<std::string, std::string>> synonym_pairs(const Analyzer& analyzer) const;
    /// How to show an analysed key or value to a user ("apd" → "APD"); the key itself if unknown.
    std::string display(const std::string& analysed, const Analyzer& analyzer) const;

private:
    std::vector<Acronym> entries_;
};

} // namespace kb

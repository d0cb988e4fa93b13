#include "core/analysis/acronyms.h"

#include "core/builtin_data.h"
#include "core/tsv.h"

namespace kb {

AcronymTable AcronymTable::parse(std::string_view tsv) {
    AcronymTable table;
    for (auto& cols : parse_tsv(tsv, 3))
        if (!cols[0].empty() && !cols[1].empty())
            table.entries_.push_back({cols[0], cols[1], cols[2]});
    return table;
}

const AcronymTable& AcronymTable::builtin() {
    static const AcronymTable table = parse(builtin_data::kAcronyms);
    return table;
}

std::vector<std::pair<std::string, std::string>>
AcronymTable::synonym_pairs(const Analyzer& analyzer) const {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const Acronym& a : entries_) {
        const std::string acronym = analyzer.fold_phrase(a.acronym);
        const std::string expansion = analyzer.fold_phrase(a.expansion);
        if (acronym.empty() || expansion.empty() || acronym == expansion)
            continue;
        pairs.emplace_back(acronym, expansion);
        pairs.emplace_back(expansion, acronym);
    }
    return pairs;
}

std::string AcronymTable::display(const std::string& analysed, const Analyzer& analyzer) const {
    for (const Acronym& a : entries_) {
        if (analyzer.fold_phrase(a.acronym) == analysed)
            return a.acronym;
        if (analyzer.fold_phrase(a.expansion) == analysed)
            return a.expansion;
    }
    return analysed;
}

} // namespace kb

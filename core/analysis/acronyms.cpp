#include "analysis/acronyms.h"

#include "builtin_data.h"

#include <mutex>
#include <sstream>

namespace kb {

AcronymTable AcronymTable::parse(std::string_view tsv) {
    AcronymTable table;
    std::istringstream in{std::string(tsv)};
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::size_t start = 0;
        for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
            cols.push_back(line.substr(start, tab - start));
        cols.push_back(line.substr(start));
        if (cols.size() < 2 || cols[0].empty() || cols[1].empty()) continue;
        table.entries_.push_back({cols[0], cols[1], cols.size() > 2 ? cols[2] : ""});
    }
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
        if (acronym.empty() || expansion.empty() || acronym == expansion) continue;
        pairs.emplace_back(acronym, expansion);
        pairs.emplace_back(expansion, acronym);
    }
    return pairs;
}

std::string AcronymTable::display(const std::string& analysed, const Analyzer& analyzer) const {
    for (const Acronym& a : entries_) {
        if (analyzer.fold_phrase(a.acronym) == analysed) return a.acronym;
        if (analyzer.fold_phrase(a.expansion) == analysed) return a.expansion;
    }
    return analysed;
}

} // namespace kb

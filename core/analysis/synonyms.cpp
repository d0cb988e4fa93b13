#include "core/analysis/synonyms.h"

#include "core/builtin_data.h"
#include "core/tsv.h"

#include <algorithm>

namespace kb {

SynonymTable SynonymTable::parse(std::string_view tsv, const Analyzer& analyzer) {
    SynonymTable table;
    for (auto& cols : parse_tsv(tsv, 2)) {
        const std::string key = analyzer.stem(analyzer.fold(cols[0]));
        if (key.empty())
            continue;
        std::vector<Synonym>& list = table.by_stem_[key];
        for (const std::string& word : split_list(cols[1])) {
            std::string stem = analyzer.stem(analyzer.fold(word));
            // A synonym that stems like the word itself adds nothing the stem does not find.
            if (stem.empty() || stem == key ||
                std::any_of(list.begin(), list.end(),
                            [&](const Synonym& s) { return s.stem == stem; }))
                continue;
            list.push_back({word, std::move(stem)});
        }
        if (list.empty())
            table.by_stem_.erase(key);
    }
    return table;
}

const SynonymTable& SynonymTable::builtin() {
    static const SynonymTable table = [] {
        Analyzer analyzer;
        return parse(builtin_data::kSynonymsFr, analyzer);
    }();
    return table;
}

const std::vector<SynonymTable::Synonym>& SynonymTable::of(const std::string& stem) const {
    static const std::vector<Synonym> none;
    auto it = by_stem_.find(stem);
    return it == by_stem_.end() ? none : it->second;
}

} // namespace kb

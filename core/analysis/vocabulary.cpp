#include "core/analysis/vocabulary.h"

#include <atomic>

namespace kb {
namespace {

std::uint64_t next_generation() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

} // namespace

QueryVocabulary::QueryVocabulary(const std::map<std::string, std::vector<std::string>>& synonyms,
                                 const std::vector<std::string>& stop_words,
                                 const Analyzer& analyzer)
    : generation_(next_generation()) {
    for (const auto& [key, values] : synonyms) {
        const std::string folded = analyzer.fold_phrase(key);
        if (folded.empty())
            continue;
        // Two keys that fold alike ("Logan", "logan") share one entry.
        Synonyms& entry = synonyms_[folded];
        if (entry.shown.empty())
            entry.shown = key;
        for (const std::string& v : values) {
            const std::string value = analyzer.fold_phrase(v);
            if (value.empty() || value == folded)
                continue;
            bool seen = false;
            for (const std::string& have : entry.values)
                seen = seen || analyzer.fold_phrase(have) == value;
            if (!seen)
                entry.values.push_back(v);
        }
        if (entry.values.empty())
            synonyms_.erase(folded);
    }
    for (const std::string& w : stop_words) {
        const std::string folded = analyzer.fold_phrase(w);
        if (!folded.empty())
            stop_words_.insert(folded);
    }
}

const QueryVocabulary::Synonyms* QueryVocabulary::synonyms_of(const std::string& folded_key) const {
    auto it = synonyms_.find(folded_key);
    return it == synonyms_.end() ? nullptr : &it->second;
}

} // namespace kb

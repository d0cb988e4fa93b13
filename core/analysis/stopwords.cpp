#include "core/analysis/stopwords.h"

#include "core/analysis/word_normalizer.h"
#include "core/builtin_data.h"

#include <algorithm>
#include <sstream>

namespace kb {

Stopwords Stopwords::parse_snowball(std::string_view text) {
    Stopwords list;
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        if (auto bar = line.find('|'); bar != std::string::npos)
            line.erase(bar);
        std::istringstream words(line);
        std::string word;
        while (words >> word)
            list.words_.insert(normalize_word(word).folded);
    }
    return list;
}

const Stopwords& Stopwords::builtin() {
    static const Stopwords list = parse_snowball(builtin_data::kStopwordsFr);
    return list;
}

std::vector<std::string> Stopwords::sorted() const {
    std::vector<std::string> out(words_.begin(), words_.end());
    std::sort(out.begin(), out.end());
    return out;
}

bool Stopwords::contains(std::string_view folded_term) const {
    return words_.count(std::string(folded_term)) != 0;
}

} // namespace kb

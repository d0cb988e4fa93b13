#include "facets/phrase_matcher.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace kb {
namespace {

bool starts_capitalised(std::string_view text) {
    if (text.empty())
        return false;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

} // namespace

PhraseMatcher::Words PhraseMatcher::words_of(std::string_view text, const Analyzer& analyzer) {
    return words_of(text, analyzer.tokenize(text), analyzer);
}

PhraseMatcher::Words PhraseMatcher::words_of(std::string_view text,
                                             const std::vector<Token>& tokens,
                                             const Analyzer& analyzer) {
    Words w;
    for (const Token& t : tokens) {
        if (t.compound || t.implied)
            continue;
        w.folded.push_back(t.term);
        w.stems.push_back(analyzer.stem(t.term));
        std::string_view slice = text.substr(t.begin, t.end - t.begin);
        // "l’Association": the capital that matters is the one after the elision.
        if (t.term.find('\'') == std::string::npos)
            for (std::string_view apostrophe : {"'", "\u2019", "\u2018", "\u02BC"})
                if (auto at = slice.rfind(apostrophe); at != std::string_view::npos) {
                    slice.remove_prefix(at + apostrophe.size());
                    break;
                }
        w.capitalised.push_back(starts_capitalised(slice));
        w.stopword.push_back(t.stopword);
    }
    w.consumed.assign(w.folded.size(), false);
    return w;
}

void PhraseMatcher::add(std::string_view label, const std::string& id, const Analyzer& analyzer) {
    Words w = words_of(label, analyzer);
    if (w.folded.empty())
        return;
    const auto& keys = mode_ == Mode::Stemmed ? w.stems : w.folded;
    std::string key;
    for (std::size_t i = 0; i < keys.size(); ++i)
        key += (i ? " " : "") + keys[i];
    std::string prefix;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
        prefix += (i ? " " : "") + keys[i];
        prefixes_.insert(prefix);
    }
    auto& entries = phrases_[key];
    for (const Entry& e : entries)
        if (e.id == id)
            return;
    std::size_t first_content = 0;
    while (first_content + 1 < w.folded.size() && w.stopword[first_content])
        ++first_content;
    entries.push_back({id, first_content, bool(w.capitalised[first_content])});
    max_words_ = std::max(max_words_, keys.size());
}

std::vector<PhraseMatcher::Match> PhraseMatcher::find(Words& words) const {
    std::vector<Match> matches;
    const auto& keys = mode_ == Mode::Stemmed ? words.stems : words.folded;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (words.consumed[i])
            continue;
        std::string key;
        std::size_t best_len = 0;
        const std::vector<Entry>* best = nullptr;
        for (std::size_t n = 1; n <= max_words_ && i + n <= keys.size(); ++n) {
            if (words.consumed[i + n - 1])
                break;
            key += (n > 1 ? " " : "") + keys[i + n - 1];
            auto it = phrases_.find(key);
            if (it != phrases_.end()) {
                best = &it->second;
                best_len = n;
            }
            if (!prefixes_.count(key))
                break; // no longer label starts like this
        }
        if (!best)
            continue;
        bool matched = false;
        for (const Entry& e : *best) {
            if (e.needs_capital && !words.capitalised[i + e.capital_word])
                continue;
            matches.push_back({e.id, i, i + best_len - 1});
            matched = true;
        }
        if (!matched)
            continue;
        for (std::size_t k = i; k < i + best_len; ++k)
            words.consumed[k] = true;
        i += best_len - 1;
    }
    return matches;
}

} // namespace kb

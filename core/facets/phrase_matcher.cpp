#include "core/facets/phrase_matcher.h"

#include "core/analysis/apostrophes.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <set>

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

// The first bytes of kElisionApostrophes: most words have none of them.
const std::string& elision_apostrophe_leads() {
    static const std::string leads = [] {
        std::string out;
        for (const Apostrophe& a : kElisionApostrophes)
            if (out.find(a.utf8[0]) == std::string::npos)
                out.push_back(a.utf8[0]);
        return out;
    }();
    return leads;
}

// The text between two words is a hyphen (ASCII, or U+2010 / U+2011).
bool is_hyphen(std::string_view between) {
    return between == "-" || between == "\u2010" || between == "\u2011";
}

// Nouns that begin a local authority's name but are written in lower case by legal texts.
const std::set<std::string, std::less<>>& generic_authority_nouns() {
    static const std::set<std::string, std::less<>> nouns = {
        "metropole", "eurometropole", "ville", "communaute", "departement", "region"};
    return nouns;
}

} // namespace

PhraseMatcher::Words PhraseMatcher::words_of(std::string_view text, const Analyzer& analyzer) {
    return words_of(text, analyzer.tokenize(text), analyzer);
}

PhraseMatcher::Words PhraseMatcher::words_of(std::string_view text,
                                             const std::vector<Token>& tokens,
                                             const Analyzer& analyzer) {
    Words w;
    std::size_t previous_end = std::string_view::npos;
    for (const Token& t : tokens) {
        if (t.compound || t.implied)
            continue;
        w.hyphen_before.push_back(previous_end != std::string_view::npos &&
                                  t.begin >= previous_end &&
                                  is_hyphen(text.substr(previous_end, t.begin - previous_end)));
        previous_end = t.end;
        w.folded.push_back(t.term);
        w.stems.push_back(analyzer.stem(t));
        std::string_view slice = text.substr(t.begin, t.end - t.begin);
        // "l’Association": the capital that matters is the one after the elision.
        if (t.term.find('\'') == std::string::npos &&
            slice.find_first_of(elision_apostrophe_leads()) != std::string_view::npos)
            for (const Apostrophe& a : kElisionApostrophes)
                if (auto at = slice.rfind(a.utf8); at != std::string_view::npos) {
                    slice.remove_prefix(at + a.utf8.size());
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
    std::uint32_t node = kRoot;
    for (const std::string& word : keys) {
        const auto word_id =
            vocabulary_.emplace(word, static_cast<std::uint32_t>(vocabulary_.size())).first->second;
        const std::uint64_t edge = std::uint64_t{node} << 32 | word_id;
        auto it = edges_.find(edge);
        if (it == edges_.end()) {
            it = edges_.emplace(edge, static_cast<std::uint32_t>(nodes_.size())).first;
            nodes_.emplace_back();
        }
        node = it->second;
    }
    auto& entries = nodes_[node].entries;
    for (const Entry& e : entries)
        if (e.id == id)
            return;
    std::size_t first_content = 0;
    while (first_content + 1 < w.folded.size() && w.stopword[first_content])
        ++first_content;
    std::size_t capital = first_content;
    // Legal texts write « la métropole de Lyon », « l'eurométropole de Strasbourg » in lower
    // case: the capital that tells the name from common words is then the place's.
    if (w.capitalised[first_content] && generic_authority_nouns().count(w.folded[first_content]))
        for (std::size_t k = first_content + 1; k < w.folded.size(); ++k)
            if (w.capitalised[k] && !w.stopword[k]) {
                capital = k;
                break;
            }
    entries.push_back({id, capital, bool(w.capitalised[first_content])});
    ++labels_;
}

std::optional<std::uint32_t> PhraseMatcher::child(std::uint32_t node, std::uint32_t word_id) const {
    auto it = edges_.find(std::uint64_t{node} << 32 | word_id);
    if (it == edges_.end())
        return std::nullopt;
    return it->second;
}

std::vector<PhraseMatcher::Match> PhraseMatcher::find(Words& words) const {
    std::vector<Match> matches;
    if (labels_ == 0)
        return matches;
    const auto& keys = mode_ == Mode::Stemmed ? words.stems : words.folded;
    // The word numbers of the text, looked up once each (a word in no label: nullopt).
    std::vector<std::optional<std::uint32_t>> ids(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (auto it = vocabulary_.find(keys[i]); it != vocabulary_.end())
            ids[i] = it->second;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (words.consumed[i] || !ids[i])
            continue;
        std::size_t best_len = 0;
        const std::vector<Entry>* best = nullptr;
        std::uint32_t node = kRoot;
        // Longest label starting at word i: walk the trie while the words continue a label.
        for (std::size_t n = 1; i + n <= keys.size(); ++n) {
            const std::size_t k = i + n - 1;
            if (words.consumed[k] || !ids[k])
                break;
            const auto next = child(node, *ids[k]);
            if (!next)
                break;
            node = *next;
            if (!nodes_[node].entries.empty()) {
                best = &nodes_[node].entries;
                best_len = n;
            }
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

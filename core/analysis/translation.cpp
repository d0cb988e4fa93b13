#include "core/analysis/translation.h"

#include "core/analysis/stopwords.h"
#include "core/builtin_data.h"
#include "core/tsv.h"

#include <algorithm>

namespace kb {
namespace {

// A key's analysed words joined by spaces (the form a query's words are looked up in).
std::string key_of(std::string_view text, const Analyzer& analyzer) {
    std::string key;
    for (const Token& t : analyzer.tokenize(text))
        if (!t.compound && !t.implied)
            key += (key.empty() ? "" : " ") + t.term;
    return key;
}

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Every word of a key in the singular.
std::string singular_key(const std::string& key) {
    std::string out, word;
    for (std::size_t i = 0; i <= key.size(); ++i) {
        if (i < key.size() && key[i] != ' ') {
            word += key[i];
            continue;
        }
        out += (out.empty() ? "" : " ") + TranslationTable::singular(word);
        word.clear();
    }
    return out;
}

} // namespace

std::string TranslationTable::singular(const std::string& word) {
    if (word.size() <= 3)
        return word; // "bus", "gas", "its"
    if (ends_with(word, "ies") && word.size() > 4)
        return word.substr(0, word.size() - 3) + "y";
    for (std::string_view tail : {"sses", "shes", "ches", "xes", "zes"})
        if (ends_with(word, tail))
            return word.substr(0, word.size() - 2);
    if (ends_with(word, "s") && !ends_with(word, "ss") && !ends_with(word, "us") &&
        !ends_with(word, "is"))
        return word.substr(0, word.size() - 1);
    return word;
}

const TranslationTable::Entry* TranslationTable::find(const std::string& key) const {
    if (auto it = entries_.find(key); it != entries_.end())
        return &it->second;
    if (auto s = by_singular_.find(singular_key(key)); s != by_singular_.end())
        return &entries_.at(s->second);
    return nullptr;
}

TranslationTable TranslationTable::parse(std::string_view glossary, std::string_view dictionary,
                                         std::string_view french_words, const Analyzer& analyzer) {
    TranslationTable table;
    for (const bool from_glossary : {true, false}) {
        for (auto& cols : parse_tsv(from_glossary ? glossary : dictionary, 2)) {
            const std::string key = key_of(cols[0], analyzer);
            if (key.empty() || (!from_glossary && table.entries_.contains(key)))
                continue;
            Entry entry{{}, from_glossary, cols[1] == "-"};
            if (entry.function_word && !from_glossary)
                continue;
            if (!entry.function_word)
                for (std::string& fr : split_list(cols[1])) {
                    const std::string fr_key = key_of(fr, analyzer);
                    for (const Token& t : analyzer.tokenize(fr))
                        table.french_.insert(t.term);
                    // A translation that folds like the English word finds nothing new.
                    if (!fr_key.empty() && fr_key != key)
                        entry.french.push_back(std::move(fr));
                }
            if (entry.french.empty() && !entry.function_word && !from_glossary)
                continue;
            table.max_words_ = std::max<std::size_t>(
                table.max_words_,
                static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1);
            table.entries_.insert_or_assign(key, std::move(entry));
        }
    }
    // Glossary keys first, so a plural meets the glossary's entry before the dictionary's.
    for (const bool glossary : {true, false})
        for (const auto& [key, entry] : table.entries_)
            if (entry.glossary == glossary)
                table.by_singular_.try_emplace(singular_key(key), key);
    for (auto& cols : parse_tsv(french_words, 1))
        for (const Token& t : analyzer.tokenize(cols[0]))
            table.french_.insert(t.term);
    return table;
}

const TranslationTable& TranslationTable::builtin() {
    static const TranslationTable table = [] {
        Analyzer analyzer;
        return parse(builtin_data::kGlossaryEnFr, builtin_data::kFreedictEnFr,
                     builtin_data::kFreedictFrWords, analyzer);
    }();
    return table;
}

std::optional<TranslationTable::Match>
TranslationTable::longest(const std::vector<std::string>& terms, std::size_t from) const {
    std::optional<Match> best;
    for (std::size_t n = std::min(max_words_, terms.size() - from); n >= 1; --n) {
        std::string key;
        for (std::size_t k = from; k < from + n; ++k)
            key += (k > from ? " " : "") + terms[k];
        const Entry* entry = find(key);
        if (!entry)
            continue;
        if (entry->glossary)
            return Match{n, entry};
        if (!best)
            best = Match{n, entry};
    }
    return best;
}

bool TranslationTable::french_word(const std::string& term) const {
    return french_.contains(term) || Stopwords::builtin().contains(term);
}

bool TranslationTable::english_word(const std::string& term) const {
    // Only the form itself: through its singular, a French plural would read as English
    // (« procédures » → "procedure").
    auto it = entries_.find(term);
    if (it == entries_.end())
        return false;
    // "the" folds like « thé », but as a glossary function word it is English unless French
    // stops on it too ("a", "on").
    if (it->second.function_word)
        return !Stopwords::builtin().contains(term);
    return !french_word(term);
}

bool TranslationTable::looks_english(const std::vector<std::string>& terms) const {
    std::size_t english = 0, french = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        // A phrase of the table with a word French does not have ("legal framework",
        // "decentralised cooperation") is English as a whole: its words that French shares
        // (« légal », « coopération ») would otherwise tip a short question to French.
        if (const auto match = longest(terms, i); match && match->words > 1) {
            const auto end = terms.begin() + static_cast<std::ptrdiff_t>(i + match->words);
            if (!std::all_of(terms.begin() + static_cast<std::ptrdiff_t>(i), end,
                             [&](const std::string& t) { return french_word(t); })) {
                english += match->words;
                i += match->words - 1;
                continue;
            }
        }
        if (english_word(terms[i]))
            ++english;
        else if (french_word(terms[i]))
            ++french;
    }
    return english > 0 && english > french;
}

} // namespace kb

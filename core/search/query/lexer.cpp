#include "core/search/query/lexer.h"

#include "core/analysis/word_normalizer.h"

#include <set>

namespace kb::query {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Opening quote at s[i] → its length in bytes and the closing quote to look for.
std::optional<std::pair<std::size_t, std::string_view>> opening_quote(std::string_view s,
                                                                      std::size_t i) {
    if (s.compare(i, 1, "\"") == 0)
        return std::pair<std::size_t, std::string_view>{1, "\""};
    if (s.compare(i, 2, "\u00AB") == 0)
        return std::pair<std::size_t, std::string_view>{2, "\u00BB"};
    if (s.compare(i, 3, "\u201C") == 0)
        return std::pair<std::size_t, std::string_view>{3, "\u201D"};
    return std::nullopt;
}

const std::set<std::string>& known_fields() {
    static const std::set<std::string> fields = {"titre", "title",   "type",   "annee",  "year",
                                                 "date",  "theme",   "themes", "acteur", "actor",
                                                 "pays",  "country", "region"};
    return fields;
}

} // namespace

std::optional<std::pair<int, int>> parse_year_range(std::string_view v) {
    auto year = [](std::string_view y) -> std::optional<int> {
        if (y.size() != 4)
            return std::nullopt;
        int n = 0;
        for (char c : y) {
            if (c < '0' || c > '9')
                return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n;
    };
    if (auto dots = v.find(".."); dots != std::string_view::npos) {
        auto lo = year(v.substr(0, dots)), hi = year(v.substr(dots + 2));
        if (lo && hi && *lo <= *hi)
            return std::pair{*lo, *hi};
        return std::nullopt;
    }
    if (auto y = year(v))
        return std::pair{*y, *y};
    return std::nullopt;
}

std::vector<Item> lex(std::string_view s) {
    std::vector<Item> items;
    std::size_t text_begin = std::string_view::npos; // start of the current Text run
    auto close_text = [&] { text_begin = std::string_view::npos; };
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_space(static_cast<unsigned char>(s[i]))) {
            ++i;
            continue;
        }
        bool negated = false;
        std::size_t start = i;
        if (s[i] == '-' && i + 1 < s.size() && !is_space(static_cast<unsigned char>(s[i + 1]))) {
            negated = true;
            ++i;
        }
        if (auto q = opening_quote(s, i)) {
            std::size_t close = s.find(q->second, i + q->first);
            if (close != std::string_view::npos) {
                close_text();
                Item it{ItemKind::Phrase,
                        std::string(s.substr(i + q->first, close - i - q->first))};
                it.negated = negated;
                items.push_back(std::move(it));
                i = close + q->second.size();
                continue;
            }
            // Unbalanced quote: read on as plain words.
            i += q->first;
            continue;
        }
        std::size_t end = i;
        while (end < s.size() && !is_space(static_cast<unsigned char>(s[end])) &&
               !opening_quote(s, end))
            ++end;
        std::string_view word = s.substr(i, end - i);
        std::size_t word_end = end;
        if (word.empty()) { // a lone "-"
            i = end + 1;
            continue;
        }
        if (!negated && (word == "AND" || word == "ET" || word == "&&")) {
            close_text();
            items.push_back({ItemKind::And});
        } else if (!negated && (word == "OR" || word == "OU" || word == "||")) {
            close_text();
            items.push_back({ItemKind::Or});
        } else if (!negated && (word == "NOT" || word == "SAUF")) {
            close_text();
            items.push_back({ItemKind::Not});
        } else if (auto colon = word.find(':');
                   colon != std::string_view::npos && colon > 0 &&
                   known_fields().count(normalize_word(word.substr(0, colon)).folded) != 0) {
            close_text();
            Item it{ItemKind::Field};
            it.field = normalize_word(word.substr(0, colon)).folded;
            it.text = std::string(word.substr(colon + 1));
            it.negated = negated;
            if (it.text.empty() && end < s.size()) {
                if (auto q = opening_quote(s, end)) {
                    std::size_t close = s.find(q->second, end + q->first);
                    if (close != std::string_view::npos) {
                        it.text = std::string(s.substr(end + q->first, close - end - q->first));
                        it.quoted = true;
                        word_end = close + q->second.size();
                    }
                }
            }
            if (!it.text.empty())
                items.push_back(std::move(it));
        } else if (auto range = parse_year_range(word); range && word.find("..") != word.npos) {
            close_text();
            Item it{ItemKind::Range};
            it.from = range->first;
            it.to = range->second;
            it.negated = negated;
            items.push_back(std::move(it));
        } else if (word.size() > 1 && word.back() == '*') {
            close_text();
            Item it{ItemKind::Prefix, std::string(word.substr(0, word.size() - 1))};
            it.negated = negated;
            items.push_back(std::move(it));
        } else if (negated) {
            close_text();
            Item it{ItemKind::Text, std::string(word)};
            it.negated = true;
            items.push_back(std::move(it));
        } else if (text_begin != std::string_view::npos && !items.empty() &&
                   items.back().kind == ItemKind::Text) {
            // Keep the original spacing so "4 700" still reads as one number.
            items.back().text = std::string(s.substr(text_begin, end - text_begin));
        } else {
            text_begin = start;
            items.push_back({ItemKind::Text, std::string(word)});
        }
        i = word_end;
    }
    return items;
}

} // namespace kb::query

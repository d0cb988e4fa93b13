#include "core/search/snippet.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>

namespace kb {
namespace {

// The first two bytes of every stem: a word starting otherwise cannot stem to one of them,
// so most words of a text are rejected without running the stemmer.
std::set<std::string> stem_heads(const HighlightTerms& h) {
    std::set<std::string> heads;
    for (const auto* stems : {&h.stems, &h.via_stems})
        for (const std::string& s : *stems)
            heads.insert(s.substr(0, 2));
    return heads;
}

// How a word of the text is marked: not at all, as a word typed, or as an expansion's.
enum Mark : char { kNone = 0, kTyped = 1, kVia = 2 };

Mark matches(const Token& t, const HighlightTerms& h, const std::set<std::string>& heads,
             const Analyzer& analyzer) {
    // A stop word is evidence only inside a phrase, which marks its other words.
    if (t.stopword)
        return kNone;
    const bool may_stem = heads.count(t.term.substr(0, 2)) > 0;
    const std::string stem = may_stem ? analyzer.stem(t.term) : std::string();
    if (h.words.count(t.term) || (may_stem && h.stems.count(stem)))
        return kTyped;
    for (const std::string& p : h.prefixes)
        if (t.term.compare(0, p.size(), p) == 0)
            return kTyped;
    if (h.via_words.count(t.term) || (may_stem && h.via_stems.count(stem)))
        return kVia;
    return kNone;
}

// Expansion words are marked apart with the default marks; custom marks (a partner's, the
// Meilisearch layer's) go around the words typed only.
std::string via_pre(const std::string& pre) {
    return pre == "<mark>" ? "<mark class=\"via\">" : std::string();
}

// Appends text with runs of white space folded to one space (snippets are one line).
void append_escaped(std::string& out, std::string_view text) {
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty() && out.back() != ' ')
            out.push_back(' ');
        space = false;
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    if (space && !out.empty() && out.back() != ' ')
        out.push_back(' ');
}

// Base letter of a Latin-1 supplement letter (second byte of a 0xC3 UTF-8 pair), or 0.
char latin1_base(unsigned char second) {
    static const char* const map = // U+00C0 … U+00FF
        "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    const unsigned index = second - 0x80;
    return index < 64 ? map[index] : 0;
}

// Where to look in a long text: a cheap byte-level pass (lower case, Latin accents dropped)
// finds where the query's words and stems occur, and the ICU chain then only reads the densest
// region around them. Returns [begin, end) in `text`.
std::pair<std::size_t, std::size_t>
region_to_read(const std::string& text, const HighlightTerms& highlight, std::size_t max_bytes) {
    constexpr std::size_t kReadAllBytes = 1024;
    if (text.size() <= kReadAllBytes || highlight.empty())
        return {0, std::min(text.size(), kMaxSnippetScanBytes)};
    std::string folded;
    std::vector<std::uint32_t> origin;
    folded.reserve(text.size());
    origin.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = text[i];
        if (c == 0xC3 && i + 1 < text.size()) {
            if (char base = latin1_base(static_cast<unsigned char>(text[i + 1]))) {
                folded.push_back(base);
                origin.push_back(static_cast<std::uint32_t>(i));
                ++i;
                continue;
            }
        }
        folded.push_back(c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c));
        origin.push_back(static_cast<std::uint32_t>(i));
    }
    std::vector<std::pair<std::size_t, std::size_t>> hits; // (folded offset, needle)
    std::vector<const std::string*> needles;
    for (const auto* set :
         {&highlight.words, &highlight.stems, &highlight.via_words, &highlight.via_stems})
        for (const std::string& w : *set)
            needles.push_back(&w);
    for (const std::string& p : highlight.prefixes)
        needles.push_back(&p);
    for (std::size_t n = 0; n < needles.size(); ++n) {
        if (needles[n]->size() < 2)
            continue;
        std::size_t at = 0, found = 0;
        while (found < 200 && (at = folded.find(*needles[n], at)) != std::string::npos) {
            hits.emplace_back(at, n);
            at += needles[n]->size();
            ++found;
        }
    }
    if (hits.empty())
        return {0, std::min(text.size(), 2 * max_bytes)};
    std::sort(hits.begin(), hits.end());
    std::size_t best = 0, best_distinct = 0;
    std::map<std::size_t, int> in_window;
    for (std::size_t lo = 0, hi = 0; hi < hits.size(); ++hi) {
        ++in_window[hits[hi].second];
        while (hits[hi].first - hits[lo].first > max_bytes)
            if (--in_window[hits[lo++].second] == 0)
                in_window.erase(hits[lo - 1].second);
        if (in_window.size() > best_distinct) {
            best_distinct = in_window.size();
            best = hits[lo].first;
        }
    }
    std::size_t begin = origin[best] > 200 ? origin[best] - 200 : 0;
    std::size_t end = std::min(text.size(), origin[best] + max_bytes + 200);
    // Start and end on white space, never inside a UTF-8 sequence or a word.
    while (begin > 0 && text[begin] != ' ' && text[begin] != '\n')
        --begin;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n')
        ++end;
    return {begin, end};
}

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    append_escaped(out, text);
    return out;
}

std::string make_snippet(const std::string& text, const HighlightTerms& highlight,
                         const Analyzer& analyzer, std::size_t max_bytes, const std::string& pre,
                         const std::string& post, std::size_t* window_begin) {
    const auto [base, limit] = region_to_read(text, highlight, max_bytes);
    const std::string_view scanned(text.data() + base, limit - base);
    std::vector<Token> tokens = analyzer.tokenize(scanned);
    for (Token& t : tokens) {
        t.begin += base;
        t.end += base;
    }
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                                [](const Token& t) { return t.compound || t.implied; }),
                 tokens.end());
    if (tokens.empty())
        return html_escape(text.substr(0, max_bytes));

    std::vector<Mark> hit(tokens.size(), kNone);
    if (!highlight.empty()) {
        const std::set<std::string> heads = stem_heads(highlight);
        for (std::size_t i = 0; i < tokens.size(); ++i)
            hit[i] = matches(tokens[i], highlight, heads, analyzer);
    }

    // Window with the most distinct words typed, then of expansions, then the most matches
    // (two pointers).
    std::size_t best_start = 0, best_score = 0, lo = 0;
    std::map<std::string, int> seen;
    std::size_t hits_in_window = 0, typed_seen = 0;
    for (std::size_t hi = 0; hi < tokens.size(); ++hi) {
        if (hit[hi]) {
            if (++seen[tokens[hi].term] == 1 && hit[hi] == kTyped)
                ++typed_seen;
            ++hits_in_window;
        }
        // lo < hi: one word longer than max_bytes (a base64 blob) is a window on its own.
        while (lo < hi && tokens[hi].end - tokens[lo].begin > max_bytes) {
            if (hit[lo]) {
                if (--seen[tokens[lo].term] == 0) {
                    seen.erase(tokens[lo].term);
                    if (hit[lo] == kTyped)
                        --typed_seen;
                }
                --hits_in_window;
            }
            ++lo;
        }
        std::size_t score = typed_seen * 100000 + seen.size() * 1000 + hits_in_window;
        if (score > best_score) {
            best_score = score;
            best_start = lo;
        }
    }
    // Start a few words before the first match so the reader has some context.
    std::size_t first = best_start;
    if (best_score > 0) {
        while (first < tokens.size() && !hit[first])
            ++first;
        std::size_t back = 0;
        while (first > 0 && back < 6 && tokens[first - 1].end + 60 > tokens[first].begin) {
            --first;
            ++back;
        }
    }
    std::size_t begin = first == 0 && base == 0 ? 0 : tokens[first].begin;
    if (window_begin)
        *window_begin = tokens[first].begin;
    std::size_t last = first;
    while (last + 1 < tokens.size() && tokens[last + 1].end - begin <= max_bytes)
        ++last;
    std::size_t end =
        last + 1 == tokens.size() && limit == text.size() ? text.size() : tokens[last].end;

    const std::string via = via_pre(pre);
    std::string out;
    if (begin > 0)
        out += "\u2026 ";
    std::size_t cursor = begin;
    for (std::size_t i = first; i <= last; ++i) {
        if (!hit[i] || (hit[i] == kVia && via.empty()))
            continue;
        append_escaped(out, std::string_view(text).substr(cursor, tokens[i].begin - cursor));
        out += hit[i] == kVia ? via : pre;
        append_escaped(
            out, std::string_view(text).substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
        out += post;
        cursor = tokens[i].end;
    }
    append_escaped(out, std::string_view(text).substr(cursor, end - cursor));
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (end < text.size())
        out += " \u2026";
    return out;
}

std::string crop_text(const std::string& text, const HighlightTerms& highlight,
                      const Analyzer& analyzer, std::size_t words, const std::string& marker,
                      const std::string& pre, const std::string& post) {
    if (words == 0 || text.empty())
        return words == 0 && !text.empty() ? marker : text;
    // Words of about 8 bytes with their spaces: the region holds the window many times over.
    const auto [base, limit] =
        region_to_read(text, highlight, std::max<std::size_t>(320, words * 16));
    std::vector<Token> tokens =
        analyzer.tokenize(std::string_view(text).substr(base, limit - base));
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                                [](const Token& t) { return t.compound || t.implied; }),
                 tokens.end());
    for (Token& t : tokens) {
        t.begin += base;
        t.end += base;
    }
    if (tokens.empty())
        return text.substr(0, std::min(text.size(), words * 16));
    std::vector<bool> typed(tokens.size(), false);
    if (!highlight.empty()) {
        const std::set<std::string> heads = stem_heads(highlight);
        for (std::size_t i = 0; i < tokens.size(); ++i)
            typed[i] = matches(tokens[i], highlight, heads, analyzer) == kTyped;
    }
    // The window of `words` tokens with the most distinct words typed, then the most matches.
    const std::size_t n = std::min(words, tokens.size());
    std::size_t best = 0, best_score = 0, hits = 0;
    std::map<std::string, int> seen;
    for (std::size_t hi = 0; hi < tokens.size(); ++hi) {
        if (typed[hi]) {
            ++seen[tokens[hi].term];
            ++hits;
        }
        if (hi >= n) { // the token leaving the window
            const std::size_t lo = hi - n;
            if (typed[lo]) {
                if (--seen[tokens[lo].term] == 0)
                    seen.erase(tokens[lo].term);
                --hits;
            }
        }
        const std::size_t score = seen.size() * 100000 + hits;
        if (hi + 1 >= n && score > best_score) {
            best_score = score;
            best = hi + 1 - n;
        }
    }
    // Centre the window's matches: as many words before the first as after the last.
    std::size_t first = best, last = best + n - 1;
    if (best_score > 0) {
        std::size_t a = best, b = best + n - 1;
        while (!typed[a])
            ++a;
        while (!typed[b])
            --b;
        const std::size_t spare = n - (b - a + 1);
        first = a >= spare / 2 ? a - spare / 2 : 0;
        first = std::min(first, tokens.size() - n);
        last = first + n - 1;
    }
    const std::size_t begin = first == 0 && base == 0 ? 0 : tokens[first].begin;
    const std::size_t end =
        last + 1 == tokens.size() && limit == text.size() ? text.size() : tokens[last].end;
    std::string out = begin > 0 ? marker : "";
    std::size_t cursor = begin;
    for (std::size_t i = first; i <= last; ++i) {
        if (!typed[i] || (pre.empty() && post.empty()))
            continue;
        out.append(text, cursor, tokens[i].begin - cursor);
        out += pre;
        out.append(text, tokens[i].begin, tokens[i].end - tokens[i].begin);
        out += post;
        cursor = tokens[i].end;
    }
    out.append(text, cursor, end - cursor);
    if (end < text.size())
        out += marker;
    return out;
}

} // namespace kb

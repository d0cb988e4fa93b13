#include "snippet.h"

#include <algorithm>
#include <map>
#include <set>

namespace kb {
namespace {

// The first two bytes of every stem: a word starting otherwise cannot stem to one of them,
// so most words of a text are rejected without running the stemmer.
std::set<std::string> stem_heads(const HighlightTerms& h) {
    std::set<std::string> heads;
    for (const std::string& s : h.stems) heads.insert(s.substr(0, 2));
    return heads;
}

bool matches(const Token& t, const HighlightTerms& h, const std::set<std::string>& heads,
             const Analyzer& analyzer) {
    if (h.words.count(t.term)) return true;
    if (!t.stopword && heads.count(t.term.substr(0, 2)) && h.stems.count(analyzer.stem(t.term)))
        return true;
    for (const std::string& p : h.prefixes)
        if (t.term.compare(0, p.size(), p) == 0) return true;
    return false;
}

// Appends text with runs of white space folded to one space (snippets are one line).
void append_escaped(std::string& out, std::string_view text) {
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty() && out.back() != ' ') out.push_back(' ');
        space = false;
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    }
    if (space && !out.empty() && out.back() != ' ') out.push_back(' ');
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
    // Very long texts are read only at their start: a record-level hit on a long record means
    // its matches are spread out (otherwise one of its passages would have won).
    const std::string_view scanned(text.data(), std::min(text.size(), kMaxSnippetScanBytes));
    std::vector<Token> tokens = analyzer.tokenize(scanned);
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.compound || t.implied; }),
                 tokens.end());
    if (tokens.empty()) return html_escape(text.substr(0, max_bytes));

    std::vector<bool> hit(tokens.size());
    if (!highlight.empty()) {
        const std::set<std::string> heads = stem_heads(highlight);
        for (std::size_t i = 0; i < tokens.size(); ++i)
            hit[i] = matches(tokens[i], highlight, heads, analyzer);
    }

    // Window with the most distinct matched terms, then the most matches (two pointers).
    std::size_t best_start = 0, best_score = 0, lo = 0;
    std::map<std::string, int> seen;
    std::size_t hits_in_window = 0;
    for (std::size_t hi = 0; hi < tokens.size(); ++hi) {
        if (hit[hi]) {
            ++seen[tokens[hi].term];
            ++hits_in_window;
        }
        while (tokens[hi].end - tokens[lo].begin > max_bytes) {
            if (hit[lo]) {
                if (--seen[tokens[lo].term] == 0) seen.erase(tokens[lo].term);
                --hits_in_window;
            }
            ++lo;
        }
        std::size_t score = seen.size() * 1000 + hits_in_window;
        if (score > best_score) {
            best_score = score;
            best_start = lo;
        }
    }
    // Start a few words before the first match so the reader has some context.
    std::size_t first = best_start;
    if (best_score > 0) {
        while (first < tokens.size() && !hit[first]) ++first;
        std::size_t back = 0;
        while (first > 0 && back < 6 && tokens[first - 1].end + 60 > tokens[first].begin) {
            --first;
            ++back;
        }
    }
    std::size_t begin = first == 0 ? 0 : tokens[first].begin;
    if (window_begin) *window_begin = tokens[first].begin;
    std::size_t last = first;
    while (last + 1 < tokens.size() && tokens[last + 1].end - begin <= max_bytes) ++last;
    std::size_t end = last + 1 == tokens.size() && scanned.size() == text.size()
                          ? text.size()
                          : tokens[last].end;

    std::string out;
    if (begin > 0) out += "\u2026 ";
    std::size_t cursor = begin;
    for (std::size_t i = first; i <= last; ++i) {
        if (!hit[i]) continue;
        append_escaped(out, std::string_view(text).substr(cursor, tokens[i].begin - cursor));
        out += pre;
        append_escaped(out, std::string_view(text).substr(tokens[i].begin,
                                                          tokens[i].end - tokens[i].begin));
        out += post;
        cursor = tokens[i].end;
    }
    append_escaped(out, std::string_view(text).substr(cursor, end - cursor));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (end < text.size()) out += " \u2026";
    return out;
}

} // namespace kb

#include "indexer/readers/text_cleanup.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <unordered_set>
#include <vector>

namespace kb {
namespace {

// Shorter paragraphs repeat legitimately ("Sommaire", "Conclusion", "- ", table cells).
constexpr std::size_t kMinDuplicateChars = 30;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

bool is_blank_line(std::string_view line) {
    // '\f' is not blank: the PDF reader uses it as the page separator and it must survive.
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string format_date(int year, int month, int day) {
    if (year < 1000 || year > 2999)
        return {};
    char buffer[16];
    if (month == 0) {
        std::snprintf(buffer, sizeof buffer, "%04d", year);
    } else {
        if (month < 1 || month > 12)
            return {};
        if (day == 0) {
            std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
        } else {
            if (day < 1 || day > 31)
                return {};
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
        }
    }
    return buffer;
}

// Month names, folded to ASCII lower case ("février" and "fevrier" both match "fevr").
int month_of(std::string word) {
    std::string folded;
    for (std::size_t i = 0; i < word.size(); ++i) {
        unsigned char c = word[i];
        if (c == 0xC3 && i + 1 < word.size()) { // é è ê ë û ô in UTF-8
            unsigned char d = static_cast<unsigned char>(word[++i]) | 0x20;
            folded.push_back(d >= 0xA8 && d <= 0xAB ? 'e' : d == 0xBB || d == 0xBC ? 'u' : 'o');
        } else if (std::isalpha(c)) {
            folded.push_back(static_cast<char>(std::tolower(c)));
        }
    }
    static const std::array<std::array<const char*, 3>, 12> names = {{
        {"janvier", "january", "jan"},
        {"fevrier", "february", "feb"},
        {"mars", "march", "mar"},
        {"avril", "april", "apr"},
        {"mai", "may", "may"},
        {"juin", "june", "jun"},
        {"juillet", "july", "jul"},
        {"aout", "august", "aug"},
        {"septembre", "september", "sep"},
        {"octobre", "october", "oct"},
        {"novembre", "november", "nov"},
        {"decembre", "december", "dec"},
    }};
    if (folded.size() < 3)
        return 0;
    for (std::size_t m = 0; m < names.size(); ++m)
        for (const char* name : names[m]) {
            const std::string_view n(name);
            // Full names, or an abbreviation of at least 3 letters ("oct.", "sept", "févr").
            if (folded == n || (n.size() > folded.size() && n.substr(0, folded.size()) == folded &&
                                folded.size() >= 3 && m != 4 && m != 5 && m != 6))
                return static_cast<int>(m) + 1;
        }
    return 0;
}

} // namespace

std::string collapse_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending = false;
    for (char c : text) {
        if (is_space(c) || c == '\f') {
            pending = !out.empty();
            continue;
        }
        if (pending)
            out.push_back(' ');
        pending = false;
        out.push_back(c);
    }
    return out;
}

std::string remove_duplicate_paragraphs(const std::string& text) {
    // Each paragraph keeps the separator (blank lines) that precedes it, so that text without
    // repeats comes back byte for byte.
    struct Paragraph {
        std::size_t begin, end; // [begin, end) including the preceding separator
        std::string key;
    };
    std::vector<Paragraph> paragraphs;
    std::size_t pos = 0, para_begin = 0, content_begin = std::string::npos, content_end = 0;
    auto close = [&](std::size_t at) {
        if (content_begin == std::string::npos)
            return;
        paragraphs.push_back({para_begin, at,
                              collapse_whitespace(std::string_view(text).substr(
                                  content_begin, content_end - content_begin))});
        para_begin = at;
        content_begin = std::string::npos;
    };
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::size_t line_end = nl == std::string::npos ? text.size() : nl;
        std::string_view line(text.data() + pos, line_end - pos);
        if (is_blank_line(line)) {
            close(content_end);
        } else {
            if (content_begin == std::string::npos)
                content_begin = pos;
            content_end = line_end;
        }
        pos = nl == std::string::npos ? text.size() : nl + 1;
    }
    close(content_end);

    std::unordered_set<std::string> seen;
    std::vector<bool> drop(paragraphs.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < paragraphs.size(); ++i) {
        const std::string& key = paragraphs[i].key;
        if (code_points(key) < kMinDuplicateChars)
            continue;
        if (!seen.insert(key).second)
            drop[i] = any = true;
    }
    if (!any)
        return text;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < paragraphs.size(); ++i)
        if (!drop[i]) {
            std::size_t begin = paragraphs[i].begin;
            if (out.empty()) // the first kept paragraph does not start with a separator
                while (begin < paragraphs[i].end && (is_space(text[begin])))
                    ++begin;
            out.append(text, begin, paragraphs[i].end - begin);
        }
    if (!paragraphs.empty())
        out.append(text, paragraphs.back().end, std::string::npos);
    return out;
}

std::string normalize_date(std::string_view text) {
    std::string s = collapse_whitespace(text);
    if (s.rfind("D:", 0) == 0)
        s.erase(0, 2); // PDF date: D:YYYYMMDDHHmmSS...
    // Tokens: runs of digits and runs of letters (UTF-8 bytes count as letters).
    std::vector<std::string> tokens;
    std::vector<char> kinds; // 'd' digits, 'a' letters
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = s[i];
        if (std::isdigit(c)) {
            std::size_t j = i;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
                ++j;
            tokens.push_back(s.substr(i, j - i));
            kinds.push_back('d');
            i = j;
        } else if (std::isalpha(c) || c >= 0x80) {
            std::size_t j = i;
            while (j < s.size() && (std::isalpha(static_cast<unsigned char>(s[j])) ||
                                    static_cast<unsigned char>(s[j]) >= 0x80))
                ++j;
            tokens.push_back(s.substr(i, j - i));
            kinds.push_back('a');
            i = j;
        } else {
            ++i;
        }
    }
    if (tokens.empty())
        return {};
    auto number = [&](std::size_t k) { return std::stoi(tokens[k].substr(0, 9)); };
    const std::string& first = tokens[0];
    if (kinds[0] == 'd') {
        // Year first: 2017, 2017-10, 2017-10-03T..., 2017/10/03, 20171003, 201710031200...
        if (first.size() >= 8 && s.find_first_of("-/.") > 8) {
            if (first.size() == 8 || first.size() >= 12)
                return format_date(std::stoi(first.substr(0, 4)), std::stoi(first.substr(4, 2)),
                                   std::stoi(first.substr(6, 2)));
        }
        if (first.size() == 6 && s.size() == 6) // YYYYMM
            return format_date(std::stoi(first.substr(0, 4)), std::stoi(first.substr(4, 2)), 0);
        if (first.size() == 4) {
            int year = number(0);
            if (tokens.size() >= 2 && kinds[1] == 'd' && tokens[1].size() <= 2) {
                int month = number(1);
                if (tokens.size() >= 3 && kinds[2] == 'd' && tokens[2].size() <= 2)
                    return format_date(year, month, number(2));
                return format_date(year, month, 0);
            }
            return format_date(year, 0, 0);
        }
        if (first.size() <= 2 && tokens.size() >= 3) {
            // Day first: 03/10/2017, 3.10.2017, "3 octobre 2017", "1er mars 2020".
            std::size_t k = 1;
            if (kinds[k] == 'a' && (tokens[k] == "er" || tokens[k] == "st" || tokens[k] == "nd" ||
                                    tokens[k] == "rd" || tokens[k] == "th"))
                ++k;
            if (k + 1 < tokens.size() && kinds[k + 1] == 'd' && tokens[k + 1].size() == 4) {
                int month = kinds[k] == 'd' && tokens[k].size() <= 2 ? number(k)
                            : kinds[k] == 'a'                        ? month_of(tokens[k])
                                                                     : 0;
                if (month)
                    return format_date(number(k + 1), month, number(0));
            }
        }
        return {};
    }
    // Month first: "octobre 2017", "October 3, 2017", "mardi 3 octobre 2017" (weekday skipped).
    std::size_t k = 0;
    if (!month_of(tokens[0]) && tokens.size() >= 2 && kinds[1] == 'd') {
        std::vector<std::string> rest(tokens.begin() + 1, tokens.end());
        std::string joined;
        for (const auto& t : rest)
            joined += t + " ";
        return normalize_date(joined);
    }
    int month = month_of(tokens[k]);
    if (!month || tokens.size() < 2 || kinds[1] != 'd')
        return {};
    if (tokens[1].size() == 4)
        return format_date(number(1), month, 0);
    if (tokens.size() >= 3 && tokens[1].size() <= 2 && kinds[2] == 'd' && tokens[2].size() == 4)
        return format_date(number(2), month, number(1));
    return {};
}

} // namespace kb

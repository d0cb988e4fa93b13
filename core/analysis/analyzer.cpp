#include "core/analysis/analyzer.h"

#include "core/analysis/word_normalizer.h"
#include "core/error.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdio>

namespace kb {
namespace {

// A span the break iterator reported as a word or a number, before normalisation.
struct RawToken {
    std::size_t begin, end;
    bool number;
    bool skip = false;
};

// Decodes the code point at byte offset i (invalid bytes decode to U+FFFD).
char32_t code_point_at(std::string_view s, std::size_t i, std::size_t* length = nullptr) {
    int32_t offset = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), offset, static_cast<int32_t>(s.size()), c);
    if (length)
        *length = static_cast<std::size_t>(offset) - i;
    return c < 0 ? U'\uFFFD' : static_cast<char32_t>(c);
}

// True when the bytes [from, to) are exactly one code point satisfying pred.
template <typename Pred>
bool gap_is_one(std::string_view s, std::size_t from, std::size_t to, Pred pred) {
    if (from >= to)
        return false;
    std::size_t length = 0;
    char32_t c = code_point_at(s, from, &length);
    return from + length == to && pred(c);
}

bool all_digits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// "4.700" / "10.440" / "100.000" → digits, "12.000,50" → "12000,50"; anything else unchanged.
std::string canonical_number(std::string_view s) {
    if (const auto comma = s.find(','); comma != std::string_view::npos && comma > 0) {
        const std::string_view fraction = s.substr(comma + 1);
        const std::string whole = canonical_number(s.substr(0, comma));
        if (!all_digits(fraction) || !all_digits(whole))
            return std::string(s);
        return whole + "," + std::string(fraction);
    }
    std::string digits;
    std::size_t group = 0;
    bool grouped = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
            ++group;
        } else if (c == '.' && group > 0 && (grouped ? group == 3 : group <= 3)) {
            grouped = true;
            group = 0;
        } else {
            return std::string(s);
        }
    }
    if (grouped && group != 3)
        return std::string(s);
    return digits;
}

// A period of years ("2020-2026") makes every year inside it searchable as a year.
// By value: `tokens` grows below, so references into it would dangle.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
void add_period_years(const Token first, const Token last, std::vector<Token>& tokens) {
    auto year = [](const std::string& s) {
        return s.size() == 4 && all_digits(s) ? std::stoi(s) : 0;
    };
    const int from = year(first.term), to = year(last.term);
    constexpr int kMaxPeriodYears = 30; // longer spans are more likely ranges of other numbers
    if (from < 1000 || to > 2100 || from >= to || to - from > kMaxPeriodYears)
        return;
    for (int y = from + 1; y < to; ++y) {
        Token t;
        t.term = std::to_string(y);
        t.kind = TokenKind::Number;
        t.begin = first.begin;
        t.end = last.end;
        t.position = first.position;
        t.implied = true;
        tokens.push_back(std::move(t));
    }
}

// Xapian refuses terms over 245 bytes (prefix included). A longer word (a base64 blob, a
// URL without separators) keeps its first bytes and gains a hash of the whole, so it is
// still one distinct term, the same at index and at query time.
constexpr std::size_t kMaxWordBytes = 100;
constexpr std::size_t kKeptWordBytes = 80;

void bound_length(std::string& word) {
    if (word.size() <= kMaxWordBytes)
        return;
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : word) {
        h ^= c;
        h *= 1099511628211ull;
    }
    std::size_t cut = kKeptWordBytes;
    while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    word.resize(cut);
    word += hex;
}

// A number's text without the spaces between its digit groups ("12 000,50" → "12000,50").
std::string without_group_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t length = 0;
        const char32_t c = code_point_at(s, i, &length);
        if (!is_digit_group_space(c))
            out.append(s.substr(i, length));
        i += length;
    }
    return out;
}

// A digit group that may follow "4 " in a French number: "700", or "000,50" (then the last).
bool is_digit_group(std::string_view s, bool& last) {
    if (s.size() < 3 || !all_digits(s.substr(0, 3)))
        return false;
    last = s.size() > 3;
    return s.size() == 3 || (s[3] == ',' && all_digits(s.substr(4)));
}

// ICU's word rules give U+202F NARROW NO-BREAK SPACE the Word_Break property ExtendNumLet
// (like "_"), so "«\u202Fmot\u202F»" is the word "\u202Fmot\u202F" and "page\u202F12" one
// token, while French typesetting puts it before : ; ! ? » and after «, and between digit
// groups. The break iterator reads a copy with U+2009 THIN SPACE (a plain space to ICU, and
// the same three UTF-8 bytes, so every offset stays an offset into the text) in its place;
// digit groups are then joined below like those of any other space.
constexpr std::string_view kNarrowNoBreakSpace = "\u202F";
constexpr std::string_view kThinSpace = "\u2009";
static_assert(kNarrowNoBreakSpace.size() == kThinSpace.size());

std::string_view breakable_text(std::string_view text, std::string& copy) {
    std::size_t at = text.find(kNarrowNoBreakSpace);
    if (at == std::string_view::npos)
        return text;
    copy.assign(text);
    for (; at != std::string::npos; at = copy.find(kNarrowNoBreakSpace, at))
        copy.replace(at, kThinSpace.size(), kThinSpace);
    return copy;
}

struct UTextCloser {
    void operator()(UText* t) const { utext_close(t); }
};

} // namespace

Analyzer::Analyzer(const Stopwords& stopwords) : stopwords_(&stopwords), stemmer_("french") {
    UErrorCode status = U_ZERO_ERROR;
    breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getFrench(), status));
    if (U_FAILURE(status) || !breaker_)
        throw Error(ErrorKind::Internal, "icu_error",
                    std::string("cannot create the ICU French word breaker: ") +
                        u_errorName(status));
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::string Analyzer::stem(const std::string& folded_term) const {
    if (auto it = stem_cache_.find(folded_term); it != stem_cache_.end())
        return it->second;
    constexpr std::size_t kMaxCachedStems = 200000; // bounded memory on huge vocabularies
    if (stem_cache_.size() >= kMaxCachedStems)
        stem_cache_.clear();
    return stem_cache_.emplace(folded_term, stemmer_(folded_term)).first->second;
}

void Analyzer::add_stems(std::vector<Token>& tokens) const {
    for (Token& t : tokens)
        t.stem = stem(t.term);
}

std::string Analyzer::fold(std::string_view word) const { return normalize_word(word).folded; }

std::string Analyzer::fold_phrase(std::string_view text) const {
    std::string out;
    for (const Token& t : tokenize(text)) {
        if (t.compound || t.implied)
            continue;
        if (!out.empty())
            out.push_back(' ');
        out += t.term;
    }
    return out;
}

std::vector<Token> Analyzer::tokenize(std::string_view text) const {
    std::vector<RawToken> raw;
    {
        std::string copy;
        const std::string_view breakable = breakable_text(text, copy);
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UText, UTextCloser> utext(utext_openUTF8(
            nullptr, breakable.data(), static_cast<int64_t>(breakable.size()), &status));
        if (U_FAILURE(status))
            throw Error(ErrorKind::Internal, "icu_error",
                        std::string("cannot open text for word breaking: ") + u_errorName(status));
        breaker_->setText(utext.get(), status);
        if (U_FAILURE(status))
            throw Error(ErrorKind::Internal, "icu_error",
                        std::string("word breaking failed: ") + u_errorName(status));
        // With a UTF-8 UText, break positions are byte offsets into `text`.
        int32_t start = breaker_->first();
        for (int32_t end = breaker_->next(); end != icu::BreakIterator::DONE;
             start = end, end = breaker_->next()) {
            int32_t status_tag = breaker_->getRuleStatus();
            if (status_tag < UBRK_WORD_NONE_LIMIT)
                continue; // spaces and punctuation
            bool number = status_tag >= UBRK_WORD_NUMBER && status_tag < UBRK_WORD_NUMBER_LIMIT;
            raw.push_back({static_cast<std::size_t>(start), static_cast<std::size_t>(end), number});
        }
        breaker_->setText(icu::UnicodeString()); // drop the reference to `text`
    }

    auto slice = [&](const RawToken& r) { return text.substr(r.begin, r.end - r.begin); };

    // Elisions the break iterator split off (l′Afrique with a prime, "l ’" typos are not
    // elisions): an elided word glued to the next word by one apostrophe is dropped.
    for (std::size_t i = 0; i + 1 < raw.size(); ++i) {
        if (raw[i].number)
            continue;
        if (gap_is_one(text, raw[i].end, raw[i + 1].begin, is_apostrophe) &&
            is_elision(normalize_word(slice(raw[i])).folded))
            raw[i].skip = true;
    }

    // French digit grouping: "4 700", "100 000", "12 000,50" (one space of any kind between
    // groups: U+0020, U+00A0, U+202F, U+2009, U+2007...) is one number.
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (!raw[i].number || raw[i].skip)
            continue;
        auto head = slice(raw[i]);
        if (!all_digits(head) || head.size() > 3)
            continue;
        for (std::size_t j = i + 1; j < raw.size() && raw[j].number; ++j) {
            bool last = false;
            if (!is_digit_group(slice(raw[j]), last) ||
                !gap_is_one(text, raw[j - 1].end, raw[j].begin, is_digit_group_space))
                break;
            raw[i].end = raw[j].end;
            raw[j].skip = true;
            if (last)
                break;
        }
    }

    std::vector<Token> tokens;
    tokens.reserve(raw.size());
    unsigned position = 0;
    for (const RawToken& r : raw) {
        if (r.skip)
            continue;
        Token t;
        t.begin = r.begin;
        t.end = r.end;
        t.position = position++;
        if (r.number) {
            t.term = canonical_number(without_group_spaces(slice(r)));
            t.kind = TokenKind::Number;
        } else {
            NormalizedWord w = normalize_word(slice(r));
            t.term = std::move(w.folded);
            t.accented = std::move(w.accented);
            t.stopword = stopwords_->contains(t.term);
        }
        if (t.term.empty()) {
            --position;
            continue;
        }
        tokens.push_back(std::move(t));
    }

    // Hyphenated compounds: the parts are already tokens; add the joined form at the first
    // part's position so "saint-étienne", "saint etienne" and "saintetienne" all match.
    const std::size_t parts_end = tokens.size();
    for (std::size_t i = 0; i + 1 < parts_end;) {
        std::size_t j = i;
        while (j + 1 < parts_end && gap_is_one(text, tokens[j].end, tokens[j + 1].begin, is_hyphen))
            ++j;
        if (j > i) {
            bool all_numbers = true;
            Token joined;
            bool accented = false;
            for (std::size_t k = i; k <= j; ++k) {
                all_numbers = all_numbers && tokens[k].kind == TokenKind::Number;
                joined.term += tokens[k].term;
                joined.accented += tokens[k].accented.empty() ? tokens[k].term : tokens[k].accented;
                accented = accented || !tokens[k].accented.empty();
            }
            if (all_numbers && j == i + 1)
                add_period_years(tokens[i], tokens[j], tokens);
            if (!all_numbers) {
                if (!accented)
                    joined.accented.clear();
                joined.begin = tokens[i].begin;
                joined.end = tokens[j].end;
                joined.position = tokens[i].position;
                joined.compound = true;
                tokens.push_back(std::move(joined));
            }
        }
        i = j + 1;
    }
    for (Token& t : tokens) {
        bound_length(t.term);
        bound_length(t.accented);
    }
    return tokens;
}

} // namespace kb

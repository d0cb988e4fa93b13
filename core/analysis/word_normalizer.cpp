#include "analysis/word_normalizer.h"

#include "error.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>

namespace kb {
namespace {

constexpr std::array<std::string_view, 14> kElisions = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};

struct Normalizers {
    const icu::Normalizer2* nfkc_casefold;
    const icu::Normalizer2* nfd;
    const icu::Normalizer2* nfc;
};

// ICU's normaliser instances are immutable singletons, safe to share between threads.
const Normalizers& normalizers() {
    static const Normalizers instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        Normalizers n{icu::Normalizer2::getNFKCCasefoldInstance(status),
                      icu::Normalizer2::getNFDInstance(status),
                      icu::Normalizer2::getNFCInstance(status)};
        if (U_FAILURE(status))
            throw Error(ErrorKind::Internal, "icu_error",
                        std::string("ICU normalisers unavailable: ") + u_errorName(status));
        return n;
    }();
    return instance;
}

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status))
        throw Error(ErrorKind::Internal, "icu_error",
                    std::string(what) + " failed: " + u_errorName(status));
}

// Removes a leading elision ("l'", "qu'", ...) when something follows it.
void strip_elision(std::string& word) {
    auto apostrophe = word.find('\'');
    if (apostrophe == std::string::npos || apostrophe + 1 >= word.size())
        return;
    // Chained elisions ("n’d’hui") are all stripped, or normalize_word is not idempotent.
    if (is_elision(std::string_view(word).substr(0, apostrophe))) {
        word.erase(0, apostrophe + 1);
        strip_elision(word);
    }
}

// "a.p.d" or "a.p.d." → "apd": single letters separated by dots are an acronym.
void strip_acronym_dots(std::string& word) {
    if (word.find('.') == std::string::npos)
        return;
    std::string out;
    bool expect_letter = true;
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        if (expect_letter) {
            if (!(c >= 'a' && c <= 'z'))
                return;
            out.push_back(c);
            expect_letter = false;
        } else {
            if (c != '.')
                return;
            expect_letter = true;
        }
    }
    if (out.size() >= 2)
        word = out;
}

void finish(std::string& word) {
    strip_elision(word);
    strip_acronym_dots(word);
}

bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80)
            return false;
    return true;
}

} // namespace

bool is_apostrophe(char32_t c) {
    return c == U'\'' || c == U'\u2019' || c == U'\u2018' || c == U'\u02BC' || c == U'\u2032' ||
           c == U'\uFF07' || c == U'`';
}

bool is_hyphen(char32_t c) { return c == U'-' || c == U'\u2010' || c == U'\u2011'; }

bool is_digit_group_space(char32_t c) {
    return c == U' ' || c == U'\u00A0' || c == U'\u202F' || c == U'\u2009';
}

bool is_elision(std::string_view folded_word) {
    for (auto e : kElisions)
        if (folded_word == e)
            return true;
    return false;
}

NormalizedWord normalize_word(std::string_view word) {
    NormalizedWord out;
    if (is_ascii(word)) {
        // Fast path: most French words in running text are pure ASCII.
        out.folded.reserve(word.size());
        for (char c : word) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c == '`')
                c = '\'';
            out.folded.push_back(c);
        }
        finish(out.folded);
        return out;
    }

    const auto& n = normalizers();
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    for (int32_t i = 0; i < source.length(); ++i)
        if (is_apostrophe(source.charAt(i)))
            source.setCharAt(i, u'\'');

    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString cased = n.nfkc_casefold->normalize(source, status);
    check(status, "NFKC case folding");
    // NFKC can produce an apostrophe itself ("ŉ" → "ʼn"): unify again, or a second pass would
    // change the word (normalisation must be idempotent).
    for (int32_t i = 0; i < cased.length(); ++i)
        if (is_apostrophe(cased.charAt(i)))
            cased.setCharAt(i, u'\'');
    // Ligatures are letters of their own in Unicode, so no normalisation form splits them.
    cased.findAndReplace(u"\u0153", u"oe");
    cased.findAndReplace(u"\u00E6", u"ae");

    // Accent folding: decompose, drop non-spacing marks, recompose (the same as ICU's
    // "NFD; [:Nonspacing Mark:] Remove; NFC" transliterator, without its per-call setup cost).
    icu::UnicodeString decomposed = n.nfd->normalize(cased, status);
    check(status, "NFD decomposition");
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK)
            stripped.append(c);
        i += U16_LENGTH(c);
    }
    icu::UnicodeString folded = n.nfc->normalize(stripped, status);
    check(status, "NFC composition");
    // A ligature carrying an accent ("ǣ", U+01E3) only becomes a bare "æ" once its mark is
    // stripped, so split ligatures again or a second pass would change the word.
    folded.findAndReplace(u"\u0153", u"oe");
    folded.findAndReplace(u"\u00E6", u"ae");

    cased.toUTF8String(out.accented);
    folded.toUTF8String(out.folded);
    finish(out.folded);
    finish(out.accented);
    if (out.accented == out.folded)
        out.accented.clear();
    return out;
}

} // namespace kb

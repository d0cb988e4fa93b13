#include "core/analysis/word_normalizer.h"

#include "core/analysis/apostrophes.h"
#include "core/error.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>

namespace kb {
namespace {

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
    for (const Apostrophe& a : kApostrophes)
        if (c == a.code)
            return true;
    return false;
}

bool is_hyphen(char32_t c) { return c == U'-' || c == U'\u2010' || c == U'\u2011'; }

bool is_digit_group_space(char32_t c) {
    return u_charType(static_cast<UChar32>(c)) == U_SPACE_SEPARATOR;
}

bool is_elision(std::string_view folded_word) {
    for (auto e : kElisions)
        if (folded_word == e)
            return true;
    return false;
}

namespace {

// The two forms before finish(): `cased` (NFKC + full case folding, apostrophes unified,
// ligatures split: the accented form) and `folded` (the same without accents), through ICU.
struct Forms {
    std::string cased, folded;
};

Forms forms_with_icu(std::string_view word) {
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

    Forms out;
    cased.toUTF8String(out.cased);
    folded.toUTF8String(out.folded);
    return out;
}

char fold_ascii(char c) {
    if (c >= 'A' && c <= 'Z')
        return static_cast<char>(c - 'A' + 'a');
    return c == '`' ? '\'' : c;
}

// French accented letters are U+00C0–U+00FF (C3 80–C3 BF in UTF-8) and Œ/œ (C5 92, C5 93).
// Each is a starter that composes with nothing around it and whose folding does not depend on
// its neighbours, so a word made of them and ASCII folds letter by letter. Their forms come
// from the ICU path itself, once, so both paths agree by construction (tests compare them).
constexpr std::size_t kLatin1Letters = 64;
const std::array<Forms, kLatin1Letters + 2>& latin1_forms() {
    static const std::array<Forms, kLatin1Letters + 2> table = [] {
        std::array<Forms, kLatin1Letters + 2> t;
        for (std::size_t i = 0; i < kLatin1Letters; ++i) {
            const char utf8[] = {'\xC3', static_cast<char>(0x80 + i)};
            t[i] = forms_with_icu(std::string_view(utf8, 2));
        }
        t[kLatin1Letters] = forms_with_icu("\u0152");
        t[kLatin1Letters + 1] = forms_with_icu("\u0153");
        return t;
    }();
    return table;
}

// Folds a word of ASCII and the letters above without ICU; false for any other character.
bool forms_without_icu(std::string_view word, Forms& out) {
    const auto& table = latin1_forms();
    out.cased.reserve(word.size());
    out.folded.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
        const auto c = static_cast<unsigned char>(word[i]);
        if (c < 0x80) {
            const char a = fold_ascii(static_cast<char>(c));
            out.cased.push_back(a);
            out.folded.push_back(a);
            ++i;
            continue;
        }
        if (i + 1 >= word.size())
            return false;
        const auto d = static_cast<unsigned char>(word[i + 1]);
        const Forms* letter = nullptr;
        if (c == 0xC3 && d >= 0x80 && d <= 0xBF)
            letter = &table[d - 0x80];
        else if (c == 0xC5 && (d == 0x92 || d == 0x93))
            letter = &table[kLatin1Letters + (d - 0x92)];
        if (!letter)
            return false;
        out.cased += letter->cased;
        out.folded += letter->folded;
        i += 2;
    }
    return true;
}

NormalizedWord finished(Forms forms) {
    NormalizedWord out;
    out.accented = std::move(forms.cased);
    out.folded = std::move(forms.folded);
    finish(out.folded);
    finish(out.accented);
    if (out.accented == out.folded)
        out.accented.clear();
    return out;
}

} // namespace

NormalizedWord normalize_word(std::string_view word) {
    if (is_ascii(word)) {
        // Fast path: most French words in running text are pure ASCII.
        NormalizedWord out;
        out.folded.reserve(word.size());
        for (char c : word)
            out.folded.push_back(fold_ascii(c));
        finish(out.folded);
        return out;
    }
    // Next most: French accented words ("coopération", "décentralisée", "œuvre").
    if (Forms forms; forms_without_icu(word, forms))
        return finished(std::move(forms));
    return finished(forms_with_icu(word));
}

NormalizedWord normalize_word_with_icu(std::string_view word) {
    return finished(forms_with_icu(word));
}

} // namespace kb

// Inputs the fuzz targets (fuzz/) found to break a promise, minimised, kept so the fix stays.
// Each case names the target and the artifact it came from.
#define BOOST_TEST_MODULE fuzz_regressions
#include "core/analysis/analyzer.h"
#include "core/analysis/word_normalizer.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace bdata = boost::unit_test::data;

namespace {

struct ElisionCase {
    const char* word;
    const char* folded;
};

std::ostream& operator<<(std::ostream& os, const ElisionCase& c) { return os << c.word; }

// analysis_fuzz, crash-e1aa4537…: "n’d’hui" (inside "l’international n’d’hui plei…")
// normalised to "d'hui", which normalises to "hui": normalize_word was not idempotent, so the
// indexer's term for such a word and the term of a query typed from it could differ. Chained
// elisions are now all stripped.
const ElisionCase kChainedElisions[] = {
    {"n’d’hui", "hui"},
    {"l'l'eau", "eau"},
    {"qu’l’ouverture", "ouverture"},
    {"D’L’ACTION", "action"},
    {"aujourd’hui", "aujourd'hui"}, // not an elision: kept whole
};

} // namespace

BOOST_DATA_TEST_CASE(chained_elisions_normalise_idempotently, bdata::make(kChainedElisions), c) {
    const kb::NormalizedWord once = kb::normalize_word(c.word);
    BOOST_TEST(once.folded == c.folded);
    BOOST_TEST(kb::normalize_word(once.folded).folded == once.folded);
}

BOOST_AUTO_TEST_CASE(chained_elision_in_running_text_indexes_the_word) {
    const kb::Analyzer analyzer;
    const std::string text = "l’international n’d’hui pleinement reconnus";
    bool found = false;
    for (const kb::Token& t : analyzer.tokenize(text)) {
        BOOST_TEST(kb::normalize_word(t.term).folded == t.term);
        found = found || t.term == "hui";
    }
    BOOST_TEST(found);
}

// analysis_fuzz, crash-9b40a1f8…, minimised to "ŉ" (U+0149, n preceded by apostrophe, as in
// "COOPŉRATION"): NFKC case folding turns it into "ʼn" (U+02BC + n) after the apostrophes were
// unified, so the result keeps U+02BC and a second pass gives "'n": normalize_word is not
// idempotent. Fixed by unifying apostrophes again after NFKC (core/analysis/word_normalizer.cpp).
BOOST_AUTO_TEST_CASE(apostrophe_produced_by_nfkc_is_unified) {
    const kb::NormalizedWord once = kb::normalize_word("\u0149");
    BOOST_TEST(kb::normalize_word(once.folded).folded == once.folded);
}

// analysis_fuzz (CI run of session 3), "…afǢff…": "Ǣ" (U+01E2, AE with macron) case-folds to
// "ǣ", which is not "æ" until its macron is stripped, so the first pass left a bare "æ" that
// the second pass split into "ae". Ligatures are now split after accent folding too.
BOOST_AUTO_TEST_CASE(accented_ligature_folds_idempotently) {
    for (const char* word : {"\u01E2", "\u01E3", "af\u01E2ff", "\u01FC", "\u0152\u0301"}) {
        const kb::NormalizedWord once = kb::normalize_word(word);
        BOOST_TEST(kb::normalize_word(once.folded).folded == once.folded, word);
    }
    BOOST_TEST(kb::normalize_word("\u01E2").folded == "ae");
}

// The class of bug above, checked exhaustively: every assigned Unicode code point, alone and
// inside a word, normalises idempotently, and its accented form folds to the same term.
BOOST_AUTO_TEST_CASE(every_code_point_normalises_idempotently) {
    int checked = 0;
    for (UChar32 c = 0x80; c <= 0x10FFFF; ++c) {
        if (U_IS_SURROGATE(c) || u_charType(c) == U_UNASSIGNED)
            continue;
        std::string letter;
        icu::UnicodeString(c).toUTF8String(letter);
        for (const std::string& word : {letter, "co" + letter + "ff"}) {
            const kb::NormalizedWord once = kb::normalize_word(word);
            if (kb::normalize_word(once.folded).folded != once.folded)
                BOOST_ERROR("not idempotent: U+" << std::hex << c << " '" << word << "' → '"
                                                 << once.folded << "'");
            if (!once.accented.empty() && kb::normalize_word(once.accented).folded != once.folded)
                BOOST_ERROR("accented form of U+" << std::hex << c << " folds differently");
        }
        ++checked;
    }
    BOOST_TEST_MESSAGE(checked << " code points checked");
    BOOST_TEST(checked > 250000);
}

// normalize_word folds ASCII and French accented letters (U+00C0–U+00FF, Œ, œ) without ICU.
// Both forms must be exactly what the ICU path gives: every such letter, in upper and lower
// case, alone, inside and around ASCII, doubled, after an elision and in an acronym, and every
// pair of them.
BOOST_AUTO_TEST_CASE(the_latin1_fast_path_agrees_with_icu) {
    std::vector<std::string> letters;
    for (UChar32 c = 0xC0; c <= 0xFF; ++c) {
        std::string letter;
        letters.push_back(icu::UnicodeString(c).toUTF8String(letter));
    }
    letters.push_back("\u0152");
    letters.push_back("\u0153");
    int checked = 0;
    auto check = [&](const std::string& word) {
        const kb::NormalizedWord fast = kb::normalize_word(word);
        const kb::NormalizedWord icu = kb::normalize_word_with_icu(word);
        if (fast.folded != icu.folded || fast.accented != icu.accented)
            BOOST_ERROR("'" << word << "': fast '" << fast.folded << "'/'" << fast.accented
                            << "', ICU '" << icu.folded << "'/'" << icu.accented << "'");
        ++checked;
    };
    // Each pattern with the letter in place of every '%'.
    auto with = [](std::string_view pattern, const std::string& letter) {
        std::string word;
        for (const char c : pattern)
            if (c == '%')
                word += letter;
            else
                word += c;
        return word;
    };
    for (const std::string& a : letters) {
        for (const char* pattern :
             {"%", "co%ff", "%te", "Ab%", "%%", "L'%cole", "qu`%t", "l'%", "a.%.b", "X%Y-%", "4%9"})
            check(with(pattern, a));
        for (const std::string& b : letters) {
            std::string word = "d" + a;
            check(word.append(b).append("s"));
        }
    }
    // Words the fast path must leave to ICU give the ICU result too.
    for (const char* word : {"e\u0301cole", "\u00C9\u0301", "\u01E2t\u00E9", "\u00B5g", "\u0149"})
        check(word);
    BOOST_TEST_MESSAGE(checked << " words compared");
    BOOST_TEST(checked > 4000);
}

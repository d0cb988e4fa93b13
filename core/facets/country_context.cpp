#include "core/facets/country_context.h"

#include "core/builtin_data.h"
#include "core/error.h"
#include "core/tsv.h"

namespace kb {

const CountryContext& CountryContext::builtin() {
    static const CountryContext context{builtin_data::kPlaceNames, Analyzer()};
    return context;
}

CountryContext::CountryContext(std::string_view tsv, const Analyzer& analyzer) {
    for (const auto& row : parse_tsv(tsv, 2)) {
        const std::string& kind = row[0];
        const std::string folded = analyzer.fold_phrase(row[1]);
        if (kind == "place")
            places_.add(row[1], "place", analyzer);
        else if (kind == "place-noun")
            place_nouns_.insert(folded);
        else if (kind == "hyphen-link")
            hyphen_links_.insert(folded);
        else if (kind == "given-name")
            given_names_.insert(folded);
        else if (kind == "civility")
            civilities_.insert(folded);
        else
            throw Error(ErrorKind::Internal, "bad_data",
                        "place_names.tsv: unknown kind '" + kind +
                            "' (place, place-noun, hyphen-link, given-name or civility)");
    }
}

void CountryContext::consume_places(PhraseMatcher::Words& words) const { places_.find(words); }

bool CountryContext::names_country(const PhraseMatcher::Words& words,
                                   const PhraseMatcher::Match& m) const {
    return !in_hyphenated_place(words, m) && !after_place_noun(words, m) && !is_person(words, m);
}

// « Saint-Maurice », « Tremblay-en-France », « Bussy-Saint-Martin »: the match is part of a
// longer capitalised hyphenated name that holds a link word (saint counts as one).
// « France-Sénégal » holds none: two countries.
bool CountryContext::in_hyphenated_place(const PhraseMatcher::Words& words,
                                         const PhraseMatcher::Match& m) const {
    const std::size_t n = words.folded.size();
    const bool joined_left = words.hyphen_before[m.first];
    const bool joined_right = m.last + 1 < n && words.hyphen_before[m.last + 1];
    if (!joined_left && !joined_right)
        return false;
    std::size_t first = m.first;
    while (first > 0 && words.hyphen_before[first])
        --first;
    std::size_t last = m.last;
    while (last + 1 < n && words.hyphen_before[last + 1])
        ++last;
    if (!words.capitalised[first])
        return false; // « franco-sénégalais »
    for (std::size_t i = first; i <= last; ++i)
        if (hyphen_links_.count(words.folded[i])) // « Bussy-Saint-Martin » too
            return true;
    return false;
}

// « rue de Madagascar », « arrondissement du Luxembourg », « quai d'Algérie »: a street or
// building noun, then up to two link words (de, du, des, de la; an elided d' is in the word).
bool CountryContext::after_place_noun(const PhraseMatcher::Words& words,
                                      const PhraseMatcher::Match& m) const {
    std::size_t i = m.first;
    for (int links = 0; links < 2 && i > 0 && words.stopword[i - 1]; ++links)
        --i;
    return i > 0 && place_nouns_.count(words.folded[i - 1]);
}

// « M. Maurice », « Maurice Druon »: a country's name that is also a first name.
bool CountryContext::is_person(const PhraseMatcher::Words& words,
                               const PhraseMatcher::Match& m) const {
    if (m.first != m.last || !given_names_.count(words.folded[m.first]))
        return false;
    if (m.first > 0 && civilities_.count(words.folded[m.first - 1]))
        return true;
    const std::size_t next = m.last + 1;
    return next < words.folded.size() && words.capitalised[next] && !words.stopword[next] &&
           !words.consumed[next] && !words.hyphen_before[next];
}

} // namespace kb

#pragma once

#include "core/analysis/analyzer.h"
#include "core/facets/phrase_matcher.h"

#include <set>
#include <string>
#include <string_view>

namespace kb {

/// Tells a country named as a country from a country's name inside another name: a place
/// (« Saint-Maurice », « rue de Madagascar », « arrondissement du Luxembourg »,
/// « Tremblay-en-France »), an institution (« Banque de France ») or a person (« Maurice
/// Druon »). The words and names come from core/data/place_names.tsv (its header says how
/// they were found); the rules are here, so that both stay small.
class CountryContext {
public:
    static const CountryContext& builtin();
    /// Reads place_names.tsv text; unknown kinds are an error naming the line's kind.
    CountryContext(std::string_view tsv, const Analyzer& analyzer);

    /// Marks the words of the listed places and institutions consumed, so that the country
    /// matcher run next does not see them.
    void consume_places(PhraseMatcher::Words& words) const;
    /// True when the country match `m` in `words` names the country.
    bool names_country(const PhraseMatcher::Words& words, const PhraseMatcher::Match& m) const;

private:
    bool in_hyphenated_place(const PhraseMatcher::Words& words,
                             const PhraseMatcher::Match& m) const;
    bool after_place_noun(const PhraseMatcher::Words& words, const PhraseMatcher::Match& m) const;
    bool is_person(const PhraseMatcher::Words& words, const PhraseMatcher::Match& m) const;

    std::set<std::string, std::less<>> place_nouns_, hyphen_links_, given_names_, civilities_;
    PhraseMatcher places_{PhraseMatcher::Mode::Exact};
};

} // namespace kb

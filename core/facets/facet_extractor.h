#pragma once

#include "core/analysis/analyzer.h"
#include "core/facets/facet_catalog.h"
#include "core/record.h"

#include <set>
#include <string>

namespace kb {

/// The facet values of one document.
struct FacetValues {
    std::set<std::string> themes, actors, countries, regions;
};

/// The tunable weights of theme extraction (defaults tuned with `./kb eval` on the gold set).
struct ThemeScoring {
    int title_weight = 3;               ///< a title mention counts this many body mentions
    int min_score = 3;                  ///< score a theme needs in a long text
    int short_min_score = 1;            ///< score a theme needs in a short text
    std::size_t short_text_words = 200; ///< texts up to this many words are short
};

/// Extracts facets at index time. Metadata always wins: a record whose front matter or JSONL
/// gives `themes`/`actors`/`countries`/`regions` (or theme, actor, country, pays, acteurs,
/// thèmes, region) keeps exactly those (resolved through the catalog). Otherwise actors are
/// found first (so "Cités Unies France" does not tag France), then countries and regions,
/// and themes by a score (see ThemeScoring). Countries add their regions; themes add their broader
/// themes. The record's title and body already analysed (the indexer has them), or nulls.
struct AnalysedText {
    const std::vector<Token>* title = nullptr;
    const std::vector<Token>* body = nullptr;
};

FacetValues extract_facets(const Record& record, const Analyzer& analyzer,
                           const FacetCatalog& catalog = FacetCatalog::builtin(),
                           const ThemeScoring& scoring = ThemeScoring(),
                           AnalysedText analysed = {});

} // namespace kb

#pragma once

// Concept names in a text (themes, countries, actors, regions, in French or English),
// found once for the query builder's widening, the spelling guard and the "no document
// on this concept" notice.

#include "core/analysis/analyzer.h"
#include "core/schema/facet.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb::query {

/// One concept named in a text.
struct ConceptSpan {
    Facet facet;
    std::string id;
    std::size_t first = 0, last = 0; ///< indexes into the text's words (inclusive)
    std::size_t begin = 0, end = 0;  ///< byte range of the words in the text
};

/// The text's words as the builder sees them: tokens in order, stopwords included,
/// compound and implied tokens left out.
std::vector<const Token*> plain_words(const std::vector<Token>& tokens);

/// The concepts named in `text` (tokens: analyzer.tokenize(text)), longest first,
/// non-overlapping; a lone stopword never names a concept. A label written with a capital
/// ("Mali") must be so in the text, unless `any_case` ("mali" typed in a search box).
std::vector<ConceptSpan> find_concepts(std::string_view text, const std::vector<Token>& tokens,
                                       const Analyzer& analyzer, bool any_case = false);

/// True when `folded` is a word of some concept's label or alias (any facet, French or
/// English): such a word is never a misspelling.
bool is_concept_word(const std::string& folded);

/// The concept's French label ("Sénégal"), or its id when the catalog has none.
std::string concept_label(const ConceptSpan& c);

} // namespace kb::query

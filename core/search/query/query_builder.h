#pragma once

#include "core/analysis/analyzer.h"
#include "core/analysis/vocabulary.h"
#include "core/search_types.h"

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// A concept the query named and widened to its other labels and facet: a hit that lacks
/// one of the words typed matched through the concept alone.
struct ConceptUse {
    NamedConcept named;
    /// Per word typed (stop words left out), the index terms that show it in a document.
    std::vector<std::set<std::string>> typed_words;
    std::set<std::string> expansion_terms; ///< its facet term and its other labels' terms
};

/// A user query turned into Xapian queries through the shared analysis chain.
struct ParsedQuery {
    Xapian::Query query;   ///< as the user's query asks (short keyword queries require all terms)
    Xapian::Query relaxed; ///< the any-term form, when `query` requires all terms; else empty
    bool requires_all = false;
    bool browse = false; ///< nothing to search for: every document matches
    HighlightTerms highlight;
    /// `highlight` without the expansions' words: the marks of a hit that matched the words
    /// typed (an expansion's words there are noise, not the reason it matched).
    HighlightTerms typed_highlight;
    /// Expansions applied, for the user: "APD → aide publique au développement".
    std::vector<std::string> expansions;
    /// Concepts widened (with `expand`).
    std::vector<ConceptUse> concepts;
    /// Index terms of the words typed (not of expansions): what explain shows as evidence.
    std::set<std::string> typed_terms;
    /// True when the query named a concept by an English-only label ("decentralised
    /// cooperation"): it was taken as English and reached French documents through concepts.
    bool english = false;
};

/// Parses the query language (core/search/query/lexer.h): "phrases", AND/ET, OR/OU,
/// NOT/SAUF, -term, prefix*, titre:/title:, type:, annee:/year:, 2016..2020. Malformed syntax
/// (unbalanced quotes, a lone operator, an unknown field) never fails: it degrades to plain
/// words.
/// With `db`, words and phrases found in its synonym table (the field's acronyms) are
/// expanded both ways ("APD" also finds "aide publique au développement" and the reverse).
/// With `expand`, concept names (thesaurus themes, countries, actors, regions, in French or
/// English) are widened to the concept's other labels and its facet, with lower weights, and
/// words no concept or acronym took to their general synonyms when weights.synonym_weight > 0.
/// `weights` gives the query-side ranking weights (title_boost, exact_boost, concept_weight,
/// max_all_terms_words, synonym_weight); its other fields are not read.
/// `vocabulary` (the index settings'): its stop words are dropped as the built-in ones are;
/// with `expand`, its synonyms widen a word or phrase as the synonym table's do.
ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db = nullptr, bool expand = true,
                        const RankingParams& weights = {},
                        const QueryVocabulary* vocabulary = nullptr);

} // namespace kb

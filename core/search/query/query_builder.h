#pragma once

#include "core/analysis/analyzer.h"

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// What the snippet highlighter must mark: folded words, their stems, and prefixes.
struct HighlightTerms {
    std::set<std::string> words;
    std::set<std::string> stems;
    std::vector<std::string> prefixes;
    bool empty() const { return words.empty() && stems.empty() && prefixes.empty(); }
};

/// A user query turned into Xapian queries through the shared analysis chain.
struct ParsedQuery {
    Xapian::Query query;   ///< as the user's query asks (short keyword queries require all terms)
    Xapian::Query relaxed; ///< the any-term form, when `query` requires all terms; else empty
    bool requires_all = false;
    bool browse = false; ///< nothing to search for: every document matches
    HighlightTerms highlight;
    /// Expansions applied, for the user: "APD → aide publique au développement".
    std::vector<std::string> expansions;
    /// True when the query named a concept by an English-only label ("decentralised
    /// cooperation"): it was taken as English and reached French documents through concepts.
    bool english = false;
};

/// Parses the query language: "phrases", AND/ET, OR/OU, NOT/SAUF, -term, prefix*,
/// titre:/title:, type:, annee:/year:, 2016..2020. Malformed syntax (unbalanced quotes, a lone
/// operator, an unknown field) never fails: it degrades to plain words.
/// With `db`, words and phrases found in its synonym table (the field's acronyms) are
/// expanded both ways ("APD" also finds "aide publique au développement" and the reverse).
/// With `expand`, concept names (thesaurus themes, countries, actors, regions, in French or
/// English) are widened to the concept's other labels and its facet, with lower weights.
ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db = nullptr, bool expand = true);

/// Number of content words at or below which a query requires all of them (like Google and
/// Meilisearch); longer questions are ranked by how many terms match.
constexpr std::size_t kMaxAllTermsWords = 4;

/// Query-time ranking choices of parse_query (RankingParams' query-side part).
struct QueryOptions {
    bool expand = true;
    /// Extra weight of each word's title-stem term; 0: none.
    double title_boost = 0;
    /// Extra weight of each word's unstemmed (folded) form; 0: none.
    double exact_boost = 0;
    /// Weight of a concept's other labels relative to the words typed.
    double concept_weight = 0.6;
    /// Up to this many content words, every word is required (then relaxed); 0: never.
    std::size_t max_all_terms_words = kMaxAllTermsWords;
    /// Weight of a word's general synonyms (SynonymTable, mythes-fr) relative to the word;
    /// 0: no synonyms. Only words no concept or acronym took are widened.
    double synonym_weight = 0;
};

/// parse_query with explicit options.
ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db, const QueryOptions& options);

} // namespace kb

#pragma once

// What a search does when the query as typed finds nothing, or only some of its words:
// a concept no document is about is said so and left out; a misspelt word is offered a
// correction that finds something, applied only when the query as typed finds nothing.

#include "core/search/query/query_builder.h"
#include "core/search/search_context.h"
#include "core/search_types.h"

#include <string>

namespace kb {

/// Shortest word (folded, in bytes) offered a correction: one edit away.
constexpr std::size_t kMinCorrectedWordBytes = 3;
/// Shortest word offered a correction two edits away ("dakar" → "dater" is one word too far).
constexpr std::size_t kMinTwoEditWordBytes = 6;

/// One word of the query replaced by a spelling suggestion (byte range in the query).
struct SpellingFix {
    std::size_t begin = 0, end = 0;
    std::string replacement;
};

/// Corrections for the query's unknown words. Never touched: a word the index holds in any
/// form (folded, accented, stemmed), a word of a concept's label (country, region, actor,
/// theme, acronym, French or English), a word written with a capital (a proper name),
/// operators and syntax.
std::vector<SpellingFix> spelling_fixes(SearchContext& ctx, const std::string& query);

/// `text` with the fixes applied.
std::string apply_fixes(const std::string& text, const std::vector<SpellingFix>& fixes);

/// After `run_lexical` found nothing or relaxed to any term: fills `missing_concepts`,
/// `did_you_mean` and `corrected`, and replaces the hits (and `parsed`) when the rest of
/// the query or its correction finds what the query as typed did not.
void recover(SearchContext& ctx, const SearchRequest& request, const SearchRequest& lexical,
             ParsedQuery& parsed, SearchResult& result, bool snippets);

} // namespace kb

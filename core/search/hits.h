#pragma once

#include "core/analysis/analyzer.h"
#include "core/search/query/query_builder.h"
#include "core/search_types.h"

#include <xapian.h>

#include <cstdint>
#include <set>
#include <string>

namespace kb {

/// Passage numbers and pages beyond this are not believed (a page of a million-page PDF).
constexpr std::uint64_t kMaxStoredCount = 1000000;

/// A hit from a matched record or passage document, with a snippet marking `highlight`
/// between `pre` and `post` unless `with_snippet` is false.
Hit make_hit(const Xapian::Document& doc, double weight, const HighlightTerms& highlight,
             const Analyzer& analyzer, const std::string& pre, const std::string& post,
             bool with_snippet = true);

/// An index term as a user can read it in `explain` ("racine:cooper", "filtre:XP…").
std::string readable_term(const std::string& term);

/// From the index terms a hit matched (`matching`): the concepts it matched through alone
/// (hit.via) and, with `explain`, its evidence (hit.matched_terms): the words typed, then
/// expansion terms as "via:…"; stop words are never evidence on their own.
void explain_match(const ParsedQuery& parsed, const std::set<std::string>& matching,
                   const Analyzer& analyzer, bool explain, Hit& hit);

} // namespace kb

#pragma once

#include <string>
#include <vector>

namespace kb {

/// A search as the HTTP layer (or a test) asks for it, already validated.
struct SearchRequest {
    std::string q;
    unsigned page = 1; ///< 1-based
    unsigned size = 10;
};

/// How the query's terms were combined, reported to the user.
enum class MatchMode {
    AllTerms,         ///< a short keyword query: every term required
    AnyTerms,         ///< a long question: ranked by how many and which terms match
    RelaxedAnyTerms,  ///< all terms found nothing, so any term was accepted
    Browse            ///< empty query: every document
};

/// One document of a result page.
struct Hit {
    std::string id, title, date, type, publisher, url;
    std::string snippet; ///< HTML-escaped text with only <mark>…</mark> added
    double score = 0;
};

/// A result page and what the engine did to produce it.
struct SearchResult {
    std::string query;
    unsigned long long total = 0;
    bool total_exact = true;
    unsigned page = 1, size = 10;
    double took_ms = 0;
    MatchMode mode = MatchMode::AllTerms;
    std::vector<Hit> hits;
    /// Synonym expansions applied ("APD → aide publique au développement").
    std::vector<std::string> expansions;
    /// A spelling correction of the query built from the corpus' words, or "".
    std::string did_you_mean;
    /// True when the original query found nothing and the hits are for did_you_mean.
    bool corrected = false;
};

/// "all_terms", "any_terms", "relaxed_any_terms" or "browse".
const char* to_string(MatchMode mode);

} // namespace kb

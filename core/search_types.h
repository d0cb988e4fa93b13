#pragma once

#include "facets/facet.h"

#include <map>
#include <string>
#include <vector>

namespace kb {

/// Facet filters, already resolved to ids (types to their analysed form). Values of one facet
/// are ORed, facets are ANDed, exclusions subtract.
struct FacetFilters {
    std::map<Facet, std::vector<std::string>> include, exclude;
    int year_from = 0, year_to = 0; ///< 0: open
    bool empty() const { return include.empty() && exclude.empty() && !year_from && !year_to; }
};

enum class SortOrder { Relevance, DateNewest, DateOldest };

/// A search as the HTTP layer (or a test) asks for it, already validated.
struct SearchRequest {
    std::string q;
    unsigned page = 1; ///< 1-based
    unsigned size = 10;
    FacetFilters filters;
    SortOrder sort = SortOrder::Relevance;
    bool facets = true; ///< count facet values (disjunctively) on the same query
    bool explain = false; ///< report per hit which terms matched
    bool collapse_duplicates = true; ///< show one record per near-duplicate cluster
    bool expand = true; ///< widen concepts and acronyms to their other labels
    bool snippets = true; ///< false: hits carry no snippet (evaluation and other id-only callers)
    std::string highlight_pre = "<mark>", highlight_post = "</mark>";
};

/// How matches are weighted: BM25 parameters and field weights. A Searcher's setting, not a
/// request's, so every query of a deployment ranks alike. Tuned by eval/relevance_eval on the
/// training halves of its sets (eval/README.md).
struct RankingParams {
    double k1 = 1.0; ///< BM25 term-frequency saturation (Xapian's default)
    double b = 0.5;  ///< BM25 document-length normalisation (Xapian's default)
    /// Extra weight, at query time, of a query word found in the title (on top of the title's
    /// index-time weight, schema::kTitleWeight); 0: none.
    double title_boost = 0;
    /// Extra weight, at query time, of a query word found in exactly the form typed (folded,
    /// unstemmed) on top of its stem's; 0: none.
    double exact_boost = 0;
    /// Weight of a named concept's other labels (expansion) relative to the words typed.
    double concept_weight = 0.6;
    /// A passage's score relative to a whole record's (long records are also indexed by passage).
    double passage_weight = 1.0;
    /// Queries with up to this many content words require all of them (then relax to any);
    /// 0: always rank by any word.
    unsigned max_all_terms_words = 4;
};

/// One facet value with its count on the current query.
struct FacetCount {
    std::string id, label;
    unsigned long long count = 0;
    std::string parent; ///< a country's region, a theme's broader theme
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
    int passage = -1;  ///< the best passage's number, or -1 when the whole record matched best
    unsigned page = 0; ///< the page of the snippet (PDF text), 0 when the text has no pages
    /// With explain: the index terms the hit matched, readable ("mot:cooperation",
    /// "racine:cooper", "accent:coopération", "titre:…", "filtre:…").
    std::vector<std::string> matched_terms;
};

/// A passage of a long record, as listed with the document.
struct PassageInfo {
    unsigned n = 0, page = 1;
    std::size_t begin = 0, length = 0;
};

/// An autocomplete proposal.
struct Suggestion {
    std::string text; ///< what to put in the search box
    std::string kind; ///< theme, actor, country, region, title or term
    std::string id;   ///< facet id or document id; "" for terms
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
    /// "en" when the query named concepts by English labels, else "fr".
    std::string query_language = "fr";
    /// A spelling correction of the query built from the corpus' words, or "".
    std::string did_you_mean;
    /// True when the original query found nothing and the hits are for did_you_mean.
    bool corrected = false;
    /// Counts per facet, most frequent first; a facet's own filter is ignored for its counts.
    std::map<Facet, std::vector<FacetCount>> facets;
};

/// "all_terms", "any_terms", "relaxed_any_terms" or "browse".
const char* to_string(MatchMode mode);

} // namespace kb

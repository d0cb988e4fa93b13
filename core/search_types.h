#pragma once

#include "core/schema/facet.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

class QueryVocabulary;

/// Most values a facet lists in a response unless the request asks otherwise.
constexpr std::size_t kMaxFacetValues = 100;

/// Facet filters, already resolved to ids (types to their analysed form). Values of one facet
/// are ORed, facets are ANDed, exclusions subtract.
struct FacetFilters {
    std::map<Facet, std::vector<std::string>> include, exclude;
    int year_from = 0, year_to = 0; ///< 0: open
    /// Filters every answer stays inside whatever the request selects (a tenant token's search
    /// rules): ANDed in always, a facet's own counts included. Null: none.
    std::shared_ptr<const FacetFilters> scope;
    bool empty() const {
        return include.empty() && exclude.empty() && !year_from && !year_to && !scope;
    }
};

enum class SortOrder { Relevance, DateNewest, DateOldest };

/// How many of a query's words a match needs (what Meilisearch's matchingStrategy asks).
enum class WordMatching {
    Default, ///< up to RankingParams::max_all_terms_words words all, relaxed to any when
             ///< that finds nothing; longer queries any word
    All,     ///< every word, never relaxed (nor a concept no document is about dropped)
    Any      ///< any word, ranked by how many and which match (rare words weigh more)
};

/// How hits are ranked: by words (Xapian BM25 with the concept expansions), by passage vectors
/// (nearest neighbours of the query's vector), or by a fusion of the two rankings.
enum class SearchMode { Lexical, Semantic, Hybrid };
/// How hybrid mode fuses the lexical and vector rankings.
enum class Fusion {
    Rrf,   ///< Reciprocal Rank Fusion: Σ weight / (k + rank)
    Convex ///< (1 − w) · lexical score / best lexical score + w · min-max-scaled similarity
};

/// How a Searcher gathers rankings and bounds their cost (server settings search.*, CLI): the
/// default mode, hybrid fusion, candidate depth, facet sample and time budget. A request may
/// override mode, fusion and weight. How one match is weighted is RankingParams: no setting
/// is in both.
struct RankingSettings {
    SearchMode default_mode = SearchMode::Lexical; ///< for requests that name no mode
    Fusion fusion = Fusion::Convex;                ///< how hybrid mode fuses the two rankings
    double rrf_k = 60;                             ///< k of reciprocal rank fusion
    /// Weight of the vector ranking in hybrid mode, 0–1; the lexical ranking weighs 1 − this.
    double vector_weight = 0.1;
    /// Candidates taken from each ranking before fusing (records, after collapsing).
    unsigned depth = 100;
    /// About the most matching documents examined to count facets (search.facet_sample). A
    /// larger match set is counted on about this many of its matches, spread over the index,
    /// and the counts scaled up (SearchResult::facets_exact false); 0: always examine every
    /// match. Counting every match of a common word costs time in proportion to the index
    /// (issue #9): the sample bounds it.
    unsigned facet_sample = 10000;
    /// Time budget of one search, in milliseconds (search.time_limit_ms; 0: none; fractions
    /// allowed, for tests). The request's matches that start once it is spent check nothing
    /// beyond their page (TimeBudget), so totals and facet counts become estimates and the
    /// answer says so (SearchResult::timed_out). A pathological query then costs about the
    /// match that was running, not every pass of counting.
    double time_limit_ms = 2000;
};

/// A search as the HTTP layer (or a test) asks for it, already validated.
struct SearchRequest {
    std::string q;
    unsigned page = 1; ///< 1-based
    unsigned size = 10;
    FacetFilters filters;
    SortOrder sort = SortOrder::Relevance;
    bool facets = true;                  ///< count facet values (disjunctively) on the same query
    bool explain = false;                ///< report per hit which terms matched
    bool collapse_duplicates = true;     ///< show one record per near-duplicate cluster
    bool expand = true;                  ///< widen concepts and acronyms to their other labels
    std::optional<SearchMode> mode;      ///< unset: the searcher's default
    std::optional<Fusion> fusion;        ///< unset: the searcher's default
    std::optional<double> vector_weight; ///< unset: the searcher's default
    /// Widen words to their general synonyms: unset follows the searcher's setting
    /// (RankingParams::synonym_weight > 0); true uses that weight, or kDefaultSynonymWeight.
    std::optional<bool> synonyms;
    /// Add French translations to a query that reads as English (translation_weight > 0).
    bool translate = true;
    WordMatching matching = WordMatching::Default;
    /// Synonyms and stop words the index's settings add to queries; null: none.
    std::shared_ptr<const QueryVocabulary> vocabulary;
    /// Most values counted per facet (the most frequent first); 0: every value.
    std::size_t facet_values = kMaxFacetValues;
    bool snippets = true; ///< false: hits carry no snippet (evaluation and other id-only callers)
    std::string highlight_pre = "<mark>", highlight_post = "</mark>";
};

/// Weight of general synonyms when a request turns them on and the searcher sets none.
constexpr double kDefaultSynonymWeight = 0.3;

/// How matches are weighted: BM25 parameters and field weights. A Searcher's setting, not a
/// request's, so every query of a deployment ranks alike. Tuned by eval/relevance_eval on the
/// training halves of its sets (eval/README.md), which sets the fields by name. parse_query
/// reads the query-side ones (title_boost, exact_boost, concept_weight, max_all_terms_words,
/// synonym_weight).
struct RankingParams {
    double k1 = 1.0; ///< BM25 term-frequency saturation (Xapian's default)
    /// BM25 document-length normalisation (0.75, FTS5's; it beat Xapian's 0.5 on every training
    /// half together with exact_boost 1 and few_all_terms 10: eval/README.md, issue 17)
    double b = 0.75;
    /// Extra weight, at query time, of a query word found in the title (on top of the title's
    /// index-time weight, schema::kTitleWeight); 0: none.
    double title_boost = 0;
    /// Extra weight, at query time, of a query word found in exactly the form typed (folded,
    /// unstemmed) on top of its stem's; 0: none. PIAF's and legi's questions copy their
    /// answer's words: 1 lifts them most (eval/README.md).
    double exact_boost = 1;
    /// Weight of a named concept's other labels (expansion) relative to the words typed.
    double concept_weight = 0.6;
    /// Weight a record gets for being tagged with a concept the query names (its facet term
    /// alone weighs nothing: a boolean term); 0: the tag matches, unweighted. 8 raised the
    /// concept set's training MRR@10 0.705 → 0.741 and lowered neither PIAF nor legi
    /// (eval/README.md).
    double tag_weight = 8;
    /// A passage's score relative to a whole record's (long records are also indexed by passage).
    double passage_weight = 1.0;
    /// Queries with up to this many content words require all of them (then relax to any);
    /// 0: always rank by any word (see exact_boost for what the evaluation measured).
    unsigned max_all_terms_words = 4;
    /// Weight of a word's general French synonyms (mythes-fr) relative to the word; 0: off.
    /// Off by default: the evaluation measured no gain (eval/README.md).
    double synonym_weight = 0;
    /// Weight of an English query's French translations (core/analysis/translation.h)
    /// relative to the words typed; 0: no translation.
    double translation_weight = 0.8;
    /// An English query is ranked by any word; a record matching every word gets this much
    /// more of its words' weight again, so it comes before the partial matches.
    double all_terms_bonus = 2.0;
    /// A short query whose every word is in fewer records than this (a page) is ranked by any
    /// word ("few_all_terms"); 0: only when no record has every word.
    unsigned few_all_terms = 10;
};

/// What the snippet highlighter must mark: folded words, their stems, and prefixes.
struct HighlightTerms {
    std::set<std::string> words;
    std::set<std::string> stems;
    std::vector<std::string> prefixes;
    /// Words an expansion added (a concept's other labels, an acronym's long form): marked
    /// apart from the words typed.
    std::set<std::string> via_words, via_stems;
    bool empty() const {
        return words.empty() && stems.empty() && prefixes.empty() && via_words.empty() &&
               via_stems.empty();
    }
};

/// One facet value with its count on the current query.
struct FacetCount {
    std::string id, label;
    unsigned long long count = 0;
    std::string parent; ///< a country's region, a theme's broader theme
};

/// How the query's terms were combined, reported to the user.
enum class MatchMode {
    AllTerms,        ///< a short keyword query: every term required
    AnyTerms,        ///< a long question: ranked by how many and which terms match
    RelaxedAnyTerms, ///< all terms found nothing, so any term was accepted
    FewAllTerms,     ///< few records have every term: records with some of them are ranked too
    Browse           ///< empty query: every document
};

/// A concept the query named (a country, theme, actor or region).
struct NamedConcept {
    std::string facet; ///< its facet's name ("country")
    std::string id;    ///< its facet value ("SN")
    std::string label; ///< its French label ("Sénégal")
    std::string typed; ///< the words of the query that named it
};

/// One document of a result page.
struct Hit {
    std::string id, title, date, type, publisher, url;
    std::string snippet; ///< HTML-escaped text with only <mark>…</mark> added
    double score = 0;
    /// How well it matched, from 0 to 1: lexical, its weight over the query's best match's
    /// (the best match 1, whatever the page); semantic, the cosine similarity (below 0: 0);
    /// hybrid, the fused score over the best one fusion can give; browsing, 1.
    double relevance = 0;
    /// The record's facet values, as ids (types as written, years as text), by facet.
    std::map<Facet, std::vector<std::string>> facets;
    int passage = -1;    ///< the best passage's number, or -1 when the whole record matched best
    unsigned page = 0;   ///< the page of the snippet (PDF text), 0 when the text has no pages
    std::string heading; ///< the section heading of the passage (Markdown), "" when none
    /// The record's `author` metadata split at ";" (people or organisations, each whole).
    std::vector<std::string> authors;
    /// With explain: the index terms the hit matched, readable ("mot:cooperation",
    /// "racine:cooper", "accent:coopération", "titre:…", "filtre:…").
    std::vector<std::string> matched_terms;
    /// Concepts of the query the hit matched through alone (their other labels or facet, not
    /// the words typed): « via le thème coopération décentralisée ».
    std::vector<NamedConcept> via;
    /// With explain in semantic and hybrid modes: where each ranking put the hit.
    struct Ranking {
        unsigned lexical_rank = 0; ///< 1-based; 0 when not among the lexical candidates
        unsigned vector_rank = 0;  ///< 1-based; 0 when not among the nearest neighbours
        double lexical_score = 0;  ///< BM25 weight (0 when not matched by words)
        std::optional<double> vector_similarity; ///< cosine of the best passage, when known
        double fused_score = 0;
    };
    std::optional<Ranking> ranking;
    /// Internal: the Xapian document and collapse key the hit came from (not serialised).
    unsigned docid = 0;
    std::string group;
};

/// A passage of a long record, as listed with the document.
struct PassageInfo {
    unsigned n = 0, page = 1;
    std::size_t begin = 0, length = 0;
    std::string heading; ///< its section heading (Markdown), "" when none
};

/// An autocomplete proposal.
struct Suggestion {
    std::string text; ///< what to put in the search box
    std::string kind; ///< theme, actor, country, region, title or term
    std::string id;   ///< facet id or document id; "" for terms
    /// For a facet value: the label or alias the typed text matched ("coopération
    /// culturelle" for the theme « Culture »).
    std::string matched;
    /// Documents found when the suggestion is chosen (a word: searched; a facet value: added
    /// as a filter) under the request's filters, up to kSuggestionCountUpTo ("or more").
    unsigned long long count = 0;
};

/// Suggestion counts stop here: kSuggestionCountUpTo means that many or more.
constexpr unsigned kSuggestionCountUpTo = 1000;

/// Which of an index's shards answered. A single database is one shard.
struct ShardStatus {
    unsigned total = 1, available = 1;
    std::vector<std::string> unavailable; ///< their names: paths or "tcp:HOST:PORT"
    /// True when some shard could not answer: results and counts miss its documents.
    bool partial() const { return available < total; }
};

/// A result page and what the engine did to produce it.
struct SearchResult {
    std::string query;
    unsigned long long total = 0;
    bool total_exact = true;
    /// With total_exact false: true when `total` is a lower bound (more matched), false
    /// when it is an estimate (scaled from a sample).
    bool total_lower_bound = false;
    unsigned page = 1, size = 10;
    double took_ms = 0;
    MatchMode mode = MatchMode::AllTerms;
    /// With MatchMode::FewAllTerms: how many records have every word.
    std::uint64_t all_terms_total = 0;
    SearchMode search_mode = SearchMode::Lexical; ///< the ranking actually used
    /// Why a default-mode hybrid search ranked lexically instead: "no_vectors" or
    /// "vectors_stale" (a write is being embedded); "" when the requested mode was used.
    std::string mode_fallback;
    std::vector<Hit> hits;
    /// Synonym expansions applied ("APD → aide publique au développement").
    std::vector<std::string> expansions;
    /// "en" when the query named concepts by English labels, else "fr".
    std::string query_language = "fr";
    /// A spelling correction of the query built from the corpus' words, or "".
    std::string did_you_mean;
    /// True when the original query found nothing and the hits are for did_you_mean.
    bool corrected = false;
    /// Concepts named by the query that no document is about; the hits are for the rest.
    std::vector<NamedConcept> missing_concepts;
    /// What the hits' snippets mark: the terms of the query searched (did_you_mean's when
    /// corrected), so that a caller marks other fields alike without parsing it again.
    HighlightTerms highlight;
    /// Counts per facet, most frequent first; a facet's own filter is ignored for its counts.
    std::map<Facet, std::vector<FacetCount>> facets;
    /// False when the match set was larger than the facet sample: the counts (and the total)
    /// are estimates scaled up from a sample of the matches.
    bool facets_exact = true;
    /// The shards that answered (partial results when one was down).
    ShardStatus shards;
    /// True when the request's time budget (RankingSettings::time_limit_ms) ran out while
    /// matching: the hits are the best Xapian found by then, totals and counts estimates.
    bool timed_out = false;
    /// Internal: true when the page came from the result cache (the server says so in a
    /// header, not in the JSON).
    bool cached = false;
};

/// "all_terms", "any_terms", "relaxed_any_terms" or "browse".
const char* to_string(MatchMode mode);
/// "lexical", "semantic" or "hybrid".
const char* to_string(SearchMode mode);
/// "rrf" or "convex".
const char* to_string(Fusion fusion);
/// The mode named "lexical", "semantic" or "hybrid", or nothing.
std::optional<SearchMode> search_mode_from_name(std::string_view name);
/// The fusion named "rrf" or "convex", or nothing.
std::optional<Fusion> fusion_from_name(std::string_view name);

/// How GET /documents/{id}/similar finds neighbours.
enum class SimilarMethod {
    Terms,   ///< Xapian relevance feedback: the document's most telling stems
    Vectors, ///< nearest passage vectors of the document's own vector
    Hybrid   ///< Reciprocal Rank Fusion of the two
};
std::optional<SimilarMethod> similar_method_from_name(std::string_view name);

} // namespace kb

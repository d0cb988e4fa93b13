#include "core/search/recovery.h"

#include "core/analysis/translation.h"
#include "core/facets/phrase_matcher.h"
#include "core/schema/schema.h"
#include "core/search/filters.h"
#include "core/search/lexical.h"
#include "core/search/query/concepts.h"

namespace kb {
namespace {

bool has_content(const std::string& text) {
    return text.find_first_not_of(" \t\r\n\"()-+*") != std::string::npos;
}

// True when the concept's own query (its words, labels and facet) matches some record.
bool has_documents(SearchContext& ctx, const std::string& words) {
    const ParsedQuery named = parse_query(words, ctx.analyzer, &ctx.index.db(), true);
    if (named.browse || named.query.empty())
        return true;
    Xapian::Enquire enquire(ctx.index.db());
    enquire.set_query(named.query);
    return enquire.get_mset(0, 0, 1).get_matches_lower_bound() > 0;
}

// A better answer: found something where there was nothing, or all the words where only
// some matched.
bool better(const SearchResult& candidate, const SearchResult& current) {
    if (candidate.total == 0)
        return false;
    return current.total == 0 || (current.mode == MatchMode::RelaxedAnyTerms &&
                                  candidate.mode != MatchMode::RelaxedAnyTerms);
}

// Whether the corrected query `candidate` can be better() than `current`, told by whether any
// record within the filters has all its words (or, when nothing was found, any of them):
// a ranked run costs as much as the search itself (at 1M records, most of a relaxed
// question's time went to corrections that found only some words too).
bool may_be_better(SearchContext& ctx, const ParsedQuery& candidate, const SearchRequest& request,
                   const SearchResult& current) {
    if (candidate.browse)
        return true;
    const Xapian::Query filter = filter_query(request.filters);
    auto matches = [&](const Xapian::Query& query) {
        if (query.empty())
            return false;
        Xapian::Enquire enquire(ctx.index.db());
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_query(filtered(query, filter));
        return ctx.budget.mset(enquire, 0, 0, 1).get_matches_lower_bound() > 0;
    };
    // run_lexical relaxes to any word only when no record has them all.
    return matches(candidate.query) || (current.total == 0 && matches(candidate.relaxed));
}

} // namespace

std::vector<SpellingFix> spelling_fixes(SearchContext& ctx, const std::string& query) {
    const Xapian::Database& db = ctx.index.db();
    const std::vector<Token> tokens = ctx.analyzer.tokenize(query);
    const std::vector<const Token*> words = query::plain_words(tokens);
    const PhraseMatcher::Words shape = PhraseMatcher::words_of(query, tokens, ctx.analyzer);
    std::vector<bool> in_concept(words.size(), false);
    for (const query::ConceptSpan& c : query::find_concepts(query, tokens, ctx.analyzer, true))
        for (std::size_t k = c.first; k <= c.last; ++k)
            in_concept[k] = true;
    auto known = [&](const Token& t) {
        return db.term_exists(std::string(schema::kWordPrefix) + t.term) ||
               (!t.accented.empty() &&
                db.term_exists(std::string(schema::kAccentedPrefix) + t.accented)) ||
               db.term_exists(std::string(schema::kStemPrefix) + ctx.analyzer.stem(t.term));
    };
    // An English question's words are translated, not "corrected" into French ones
    // ("with" → "width").
    const TranslationTable& translations = TranslationTable::builtin();
    std::vector<std::string> terms;
    terms.reserve(words.size());
    for (const Token* t : words)
        terms.push_back(t->term);
    const bool english = translations.looks_english(terms);
    std::vector<SpellingFix> fixes;
    for (std::size_t k = 0; k < words.size(); ++k) {
        const Token& t = *words[k];
        if (t.stopword || t.kind != TokenKind::Word || t.term.size() < kMinCorrectedWordBytes ||
            in_concept[k])
            continue;
        if ((shape.capitalised.size() == words.size() && shape.capitalised[k]) || known(t) ||
            query::is_concept_word(t.term) || (english && translations.knows(t.term)) ||
            db.synonyms_begin(t.term) != db.synonyms_end(t.term))
            continue;
        // Two edits turn a short word into another word ("dakar" → "dater"): one for them.
        const unsigned edits = t.term.size() < kMinTwoEditWordBytes ? 1 : 2;
        std::string suggestion =
            db.get_spelling_suggestion(t.accented.empty() ? t.term : t.accented, edits);
        if (!suggestion.empty())
            fixes.push_back({t.begin, t.end, std::move(suggestion)});
    }
    return fixes;
}

std::string apply_fixes(const std::string& text, const std::vector<SpellingFix>& fixes) {
    std::string out;
    std::size_t cursor = 0;
    for (const SpellingFix& f : fixes) {
        out.append(text, cursor, f.begin - cursor);
        out += f.replacement;
        cursor = f.end;
    }
    out.append(text, cursor, std::string::npos);
    return out;
}

void recover(SearchContext& ctx, const SearchRequest& request, const SearchRequest& lexical,
             ParsedQuery& parsed, SearchResult& result, bool snippets) {
    // Concepts no document is about are blanked out (spaces keep the byte offsets of the
    // spelling fixes valid) and the rest of the query is searched; not when every word must
    // match (WordMatching::All): that would be a relaxation.
    std::string rest = request.q;
    const std::vector<Token> tokens = ctx.analyzer.tokenize(request.q);
    const std::vector<query::ConceptSpan> concepts =
        request.matching == WordMatching::All
            ? std::vector<query::ConceptSpan>{}
            : query::find_concepts(request.q, tokens, ctx.analyzer, true);
    for (const query::ConceptSpan& c : concepts) {
        const std::string typed = request.q.substr(c.begin, c.end - c.begin);
        if (has_documents(ctx, typed))
            continue;
        result.missing_concepts.push_back(
            {std::string(facet_name(c.facet)), c.id, query::concept_label(c), typed});
        rest.replace(c.begin, c.end - c.begin, c.end - c.begin, ' ');
    }
    if (!result.missing_concepts.empty()) {
        if (!has_content(rest)) {
            // Nothing else was asked: no hits rather than the words' scattered matches.
            result.hits.clear();
            result.total = 0;
            result.total_exact = true;
            result.facets.clear();
            return;
        }
        SearchResult r = result;
        ParsedQuery p = build_query(ctx, rest, request);
        run_lexical(ctx, p, lexical, r, snippets);
        if (r.total > 0) {
            result = std::move(r);
            parsed = std::move(p);
        }
    }
    if (result.total > 0 && result.mode != MatchMode::RelaxedAnyTerms)
        return;

    const std::vector<SpellingFix> fixes = spelling_fixes(ctx, request.q);
    if (fixes.empty())
        return;
    ParsedQuery p = build_query(ctx, apply_fixes(rest, fixes), request);
    if (!may_be_better(ctx, p, lexical, result))
        return;
    SearchResult r = result;
    run_lexical(ctx, p, lexical, r, snippets);
    if (!better(r, result))
        return; // a correction is offered only when it finds what the query as typed does not
    result.did_you_mean = apply_fixes(request.q, fixes);
    if (result.total == 0) {
        // Applied only when the query as typed finds nothing.
        result = std::move(r);
        result.did_you_mean = apply_fixes(request.q, fixes);
        result.corrected = true;
        parsed = std::move(p);
    }
}

} // namespace kb

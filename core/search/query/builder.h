#pragma once

// Building: the items of a query into Xapian queries (operands, then their combination).
// Internal to parse_query; expansion.cpp holds the Builder's concept and synonym widening.

#include "core/analysis/analyzer.h"
#include "core/analysis/vocabulary.h"
#include "core/search/query/lexer.h"
#include "core/search/query/query_builder.h"
#include "core/search_types.h"

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb::query {

/// One thing to match: a word, a phrase, a filter…, with how it joins the others.
struct Operand {
    Xapian::Query query;
    bool negated = false;
    bool filter = false;     ///< boolean restriction, contributes no weight
    bool content = false;    ///< a word the user asked for (counts towards "short query")
    bool and_before = false; ///< explicit AND between the previous operand and this one
};

enum class Join { Operand, Or, Not };
struct Element {
    Join kind;
    Operand operand;
};

inline std::string prefixed(std::string_view prefix, const std::string& term) {
    return std::string(prefix) + term;
}

/// Turns items into operands through the analysis chain, recording what to highlight and
/// which expansions were applied.
class Builder {
public:
    /// `db`: the synonym table (acronyms), or nullptr; `concepts`: widen concept names and
    /// general synonyms (and the vocabulary's synonyms); `weights`: the query-side ranking
    /// weights; `vocabulary`: the index settings' synonyms and stop words, or nullptr.
    Builder(const Analyzer& analyzer, const Xapian::Database* db, bool concepts,
            const RankingParams& weights, const QueryVocabulary* vocabulary = nullptr)
        : analyzer_(analyzer), db_(db), vocabulary_(vocabulary), concepts_(concepts),
          title_boost_(weights.title_boost), exact_boost_(weights.exact_boost),
          concept_weight_(weights.concept_weight), tag_weight_(weights.tag_weight),
          synonym_weight_(concepts ? weights.synonym_weight : 0),
          translation_weight_(concepts ? weights.translation_weight : 0) {}

    /// The query reads as English: translate its words (with translation_weight > 0).
    void translate(bool english_query) { translate_ = english_query && translation_weight_ > 0; }
    /// The query reads as English and its words are translated.
    bool translating() const { return translate_; }

    std::vector<Element> elements(const std::vector<Item>& items);

    std::vector<Xapian::Query> boosts;
    HighlightTerms highlight;
    std::vector<std::string> expansions;
    std::vector<ConceptUse> concepts;
    std::set<std::string> typed_terms;
    bool english = false;

private:
    Xapian::Query word_query(const Token& t, bool record);
    Xapian::Query phrase(const std::vector<const Token*>& tokens, std::string_view prefix,
                         bool record);
    // The words of a plain-text run: one operand per content word, compound or synonym key.
    std::vector<Operand> text_operands(const std::string& text, bool negated);
    std::vector<Operand> operands(const Item& item);
    std::vector<Operand> field_operands(const Item& item);

    // expansion.cpp: concepts, acronyms and general synonyms.
    // Concepts named in the query (a theme, a country, an actor), in French or English: the
    // words typed, or any other label of the concept (weighted lower), or its facet.
    void concept_operands(const std::string& text, const std::vector<Token>& tokens,
                          const std::vector<const Token*>& words, std::vector<bool>& used,
                          std::vector<Operand>& out);
    // Synonym keys, longest first: "aide publique au développement" ↔ "APD".
    void synonym_key_operands(const std::vector<const Token*>& words, std::vector<bool>& used,
                              bool negated, std::vector<Operand>& out);
    // An English query's words and phrases, longest first: the words typed or, weighted
    // lower, their French translations; English function words are no search words.
    void translation_operands(const std::string& text, const std::vector<const Token*>& words,
                              std::vector<bool>& used, std::vector<Operand>& out);
    // A word or, weighted lower, any of its general synonyms.
    Xapian::Query with_synonyms(const Token& t, const std::string& typed_word);
    // A synonym value ("aide publique au developpement") as a query: one stem or a phrase.
    Xapian::Query analysed_phrase(const std::string& value, bool record);

    // Records a typed word's terms, or an expansion's words apart (while `expanding_`).
    void remember(const Token& t, const std::string& stem, bool with_stem);
    // The text's tokens, the vocabulary's stop words marked as the analyzer marks its own.
    std::vector<Token> query_tokens(const std::string& text) const;

    const Analyzer& analyzer_;
    const Xapian::Database* db_;
    const QueryVocabulary* vocabulary_;
    bool expanding_ = false; ///< building an expansion's alternatives
    bool concepts_;
    double title_boost_;
    double exact_boost_;
    double concept_weight_;
    double tag_weight_;
    double synonym_weight_;
    double translation_weight_;
    bool translate_ = false;
};

/// A content operand (a word the user asked for).
void add_content(std::vector<Operand>& out, Xapian::Query q, bool negated);

/// Combines operands: OR splits groups; inside a group, explicit AND chains bind tighter than
/// the implicit operator; negated operands subtract; filters restrict without weight.
Xapian::Query combine(const std::vector<Element>& elements, Xapian::Query::op implicit);

} // namespace kb::query

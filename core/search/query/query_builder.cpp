#include "core/search/query/query_builder.h"

#include "core/analysis/translation.h"
#include "core/search/query/builder.h"
#include "core/search/query/lexer.h"

namespace kb {

ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db, bool expand, const RankingParams& weights,
                        const QueryVocabulary* vocabulary) {
    using namespace query;
    Builder builder(analyzer, expand ? db : nullptr, expand, weights, vocabulary);
    if (expand && weights.translation_weight > 0) {
        std::vector<std::string> terms;
        for (const Token& t : analyzer.tokenize(query))
            if (!t.compound && !t.implied && t.kind == TokenKind::Word)
                terms.push_back(t.term);
        builder.translate(TranslationTable::builtin().looks_english(terms));
    }
    const std::vector<Element> elements = builder.elements(lex(query));

    ParsedQuery parsed;
    parsed.highlight = builder.highlight;
    parsed.typed_highlight = builder.highlight;
    parsed.typed_highlight.via_words.clear();
    parsed.typed_highlight.via_stems.clear();
    parsed.expansions = builder.expansions;
    parsed.concepts = builder.concepts;
    parsed.typed_terms = builder.typed_terms;
    parsed.english = builder.english;
    std::size_t content = 0;
    for (const Element& e : elements)
        if (e.kind == Join::Operand && e.operand.content && !e.operand.negated)
            ++content;

    // Short keyword queries require every word (like Google and Meilisearch); longer
    // questions are ranked by how many terms match, and so is an English query: each word's
    // translations guess at its sense, and requiring every guess finds next to nothing.
    // (An English label alone, « transport », « Europe », does not make a French query
    // English.)
    const bool translated = builder.translating();
    const bool short_query = content <= weights.max_all_terms_words && !translated;
    Xapian::Query main =
        combine(elements, short_query ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    if (translated && content >= 2 && weights.all_terms_bonus > 0 && !main.empty())
        main = Xapian::Query(Xapian::Query::OP_AND_MAYBE, main,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                           combine(elements, Xapian::Query::OP_AND),
                                           weights.all_terms_bonus));
    if (main.empty()) {
        parsed.browse = true;
        parsed.query = Xapian::Query::MatchAll;
        return parsed;
    }
    auto boosted = [&](const Xapian::Query& q) {
        if (builder.boosts.empty())
            return q;
        return Xapian::Query(
            Xapian::Query::OP_AND_MAYBE, q,
            Xapian::Query(Xapian::Query::OP_OR, builder.boosts.begin(), builder.boosts.end()));
    };
    parsed.query = boosted(main);
    parsed.requires_all = short_query && content >= 1;
    if (parsed.requires_all && content >= 2)
        parsed.relaxed = boosted(combine(elements, Xapian::Query::OP_OR));
    return parsed;
}

} // namespace kb

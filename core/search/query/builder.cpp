#include "core/search/query/builder.h"

#include "core/analysis/inversion.h"
#include "core/analysis/word_normalizer.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"

#include <map>

namespace kb::query {
namespace {

// Longest run of words whose exact phrase earns a ranking boost.
constexpr std::size_t kMaxBoostWords = 6;

Xapian::Query year_range(int from, int to) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot,
                         Xapian::sortable_serialise(from), Xapian::sortable_serialise(to));
}

} // namespace

void add_content(std::vector<Operand>& out, Xapian::Query q, bool negated) {
    Operand op{std::move(q)};
    op.content = true;
    op.negated = negated;
    out.push_back(std::move(op));
}

std::vector<Element> Builder::elements(const std::vector<Item>& items) {
    std::vector<Element> out;
    bool and_next = false, not_next = false;
    for (const Item& item : items) {
        switch (item.kind) {
        case ItemKind::And:
            and_next = true;
            continue;
        case ItemKind::Or:
            out.push_back({Join::Or, {}});
            and_next = false;
            continue;
        case ItemKind::Not:
            not_next = true;
            continue;
        default:
            break;
        }
        std::vector<Operand> ops = operands(item);
        for (std::size_t k = 0; k < ops.size(); ++k) {
            Operand op = std::move(ops[k]);
            if (k == 0) {
                op.and_before = and_next;
                op.negated = op.negated || not_next;
            }
            out.push_back({Join::Operand, std::move(op)});
        }
        if (!ops.empty())
            and_next = not_next = false;
    }
    return out;
}

void Builder::remember(const Token& t, const std::string& stem, bool with_stem) {
    if (expanding_) {
        highlight.via_words.insert(t.term);
        if (with_stem)
            highlight.via_stems.insert(stem);
        return;
    }
    highlight.words.insert(t.term);
    typed_terms.insert(prefixed(schema::kWordPrefix, t.term));
    if (!t.accented.empty())
        typed_terms.insert(prefixed(schema::kAccentedPrefix, t.accented));
    if (with_stem) {
        highlight.stems.insert(stem);
        typed_terms.insert(prefixed(schema::kStemPrefix, stem));
        typed_terms.insert(prefixed(schema::kTitleStemPrefix, stem));
    }
}

std::vector<Token> Builder::query_tokens(const std::string& text) const {
    std::vector<Token> tokens = analyzer_.tokenize(text);
    if (vocabulary_)
        for (Token& t : tokens)
            t.stopword = t.stopword || vocabulary_->is_stop_word(t.term);
    return tokens;
}

Xapian::Query Builder::word_query(const Token& t, bool record) {
    const std::string stem = analyzer_.stem(t.term);
    if (record)
        remember(t, stem, true);
    Xapian::Query q(prefixed(schema::kStemPrefix, stem));
    if (!t.accented.empty())
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(prefixed(schema::kAccentedPrefix, t.accented)));
    if (exact_boost_ > 0)
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                        Xapian::Query(prefixed(schema::kWordPrefix, t.term)),
                                        exact_boost_));
    if (title_boost_ > 0)
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                        Xapian::Query(prefixed(schema::kTitleStemPrefix, stem)),
                                        title_boost_));
    return q;
}

Xapian::Query Builder::phrase(const std::vector<const Token*>& tokens, std::string_view prefix,
                              bool record) {
    std::vector<Xapian::Query> terms;
    for (const Token* t : tokens) {
        terms.emplace_back(prefixed(prefix, t->term));
        if (record && !t->stopword)
            remember(*t, {}, false);
    }
    if (terms.size() == 1)
        return terms.front();
    // The words weigh the match and the phrase only filters it: Xapian 1.4.22 can over-weigh a
    // PHRASE under an OR under an AND (tests/phrase_weight_test.cpp), this form not,
    // and where the fault does not strike both give the same weights.
    return Xapian::Query(
        Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                                    static_cast<Xapian::termcount>(terms.size())),
                      0.0));
}

std::vector<Operand> Builder::text_operands(const std::string& text, bool negated) {
    std::vector<Token> tokens = query_tokens(text);
    std::vector<const Token*> words; // in order, stopwords included, no compound/implied
    for (const Token& t : tokens)
        if (!t.compound && !t.implied)
            words.push_back(&t);
    std::vector<bool> used(words.size(), false);
    std::vector<Operand> out;
    auto add = [&](Xapian::Query q) { add_content(out, std::move(q), negated); };

    // Concepts named in the query (a theme, a country, an actor), in French or English:
    // the words typed, or any other label of the concept (weighted lower), or its facet.
    if (concepts_ && !negated)
        concept_operands(text, tokens, words, used, out);

    // Synonym keys next, longest first: "aide publique au développement" ↔ "APD", and the
    // index settings' own.
    if (db_ || (concepts_ && vocabulary_))
        synonym_key_operands(words, used, negated, out);

    // An English query's words and phrases, with their French translations.
    if (translate_ && !negated)
        translation_operands(text, words, used, out);

    // Hyphenated compounds: the parts as a phrase, or the joined form. A verb and its inverted
    // subject ("s'est-il") are the verb alone, searched below like any word; the pronoun is
    // left out of the phrase boost too (documents say "il s'est").
    std::vector<bool> inverted(words.size(), false);
    for (const Token& c : tokens) {
        if (!c.compound)
            continue;
        std::vector<const Token*> parts;
        std::vector<std::size_t> indexes;
        bool already = false;
        for (std::size_t k = 0; k < words.size(); ++k)
            if (words[k]->begin >= c.begin && words[k]->end <= c.end) {
                parts.push_back(words[k]);
                indexes.push_back(k);
                already = already || used[k];
            }
        const bool inversion = !already && is_subject_inversion(parts);
        for (std::size_t i = inversion ? 1 : 0; i < indexes.size(); ++i) {
            used[indexes[i]] = true;
            inverted[indexes[i]] = inversion;
        }
        if (already || inversion || parts.empty())
            continue;
        Xapian::Query joined(prefixed(schema::kStemPrefix, analyzer_.stem(c.term)));
        add(Xapian::Query(Xapian::Query::OP_OR, phrase(parts, schema::kWordPrefix, !negated),
                          joined));
    }

    bool all_stopwords = true;
    for (const Token* t : words)
        if (!t->stopword)
            all_stopwords = false;
    for (std::size_t k = 0; k < words.size(); ++k) {
        const Token& t = *words[k];
        if (used[k] || (t.stopword && !all_stopwords))
            continue;
        if (t.stopword) {
            if (!negated)
                highlight.words.insert(t.term);
            add(Xapian::Query(prefixed(schema::kWordPrefix, t.term)));
        } else if (synonym_weight_ > 0 && !negated) {
            add(with_synonyms(t, text.substr(t.begin, t.end - t.begin)));
        } else {
            add(word_query(t, !negated));
        }
    }
    // Documents that have the words together, in order, rank higher. Only for short runs:
    // a long question almost never appears verbatim, and checking positions costs.
    std::vector<const Token*> together;
    for (std::size_t k = 0; k < words.size(); ++k)
        if (!inverted[k])
            together.push_back(words[k]);
    if (!negated && out.size() >= 2 && together.size() >= 2 && together.size() <= kMaxBoostWords)
        boosts.push_back(phrase(together, schema::kWordPrefix, false));
    return out;
}

std::vector<Operand> Builder::operands(const Item& item) {
    switch (item.kind) {
    case ItemKind::Text:
        return text_operands(item.text, item.negated);
    case ItemKind::Phrase: {
        std::vector<Token> tokens = analyzer_.tokenize(item.text);
        std::vector<const Token*> words;
        for (const Token& t : tokens)
            if (!t.compound && !t.implied)
                words.push_back(&t);
        if (words.empty())
            return {};
        Operand op{phrase(words, schema::kWordPrefix, !item.negated)};
        op.content = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    case ItemKind::Prefix: {
        std::string stem = normalize_word(item.text).folded;
        if (stem.size() < 2)
            return text_operands(item.text, item.negated);
        if (!item.negated)
            highlight.prefixes.push_back(stem);
        // Bounded so "a*" on a large index cannot expand into a huge OR.
        Operand op{Xapian::Query(Xapian::Query::OP_WILDCARD, prefixed(schema::kWordPrefix, stem),
                                 200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT)};
        op.content = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    case ItemKind::Range: {
        Operand op{year_range(item.from, item.to)};
        op.filter = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    case ItemKind::Field:
        return field_operands(item);
    default:
        return {};
    }
}

std::vector<Operand> Builder::field_operands(const Item& item) {
    if (item.field == "titre" || item.field == "title") {
        std::vector<Token> tokens = query_tokens(item.text);
        std::vector<const Token*> words;
        std::vector<Xapian::Query> stems;
        for (const Token& t : tokens) {
            if (t.compound || t.implied)
                continue;
            words.push_back(&t);
            if (!t.stopword) {
                stems.emplace_back(prefixed(schema::kTitleStemPrefix, analyzer_.stem(t.term)));
                if (!item.negated)
                    highlight.words.insert(t.term);
            }
        }
        if (words.empty())
            return {};
        Operand op{item.quoted || stems.empty()
                       ? phrase(words, schema::kTitlePrefix, false)
                       : Xapian::Query(Xapian::Query::OP_AND, stems.begin(), stems.end())};
        op.content = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    static const std::map<std::string, Facet, std::less<>> facet_fields = [] {
        std::map<std::string, Facet, std::less<>> m; // the facet table's query_fields
        for (const schema::FacetSpec& spec : schema::kFacetTable)
            for (std::string_view field : spec.query_fields)
                if (!field.empty())
                    m.emplace(field, spec.facet);
        return m;
    }();
    if (auto f = facet_fields.find(item.field); f != facet_fields.end()) {
        if (auto id = FacetCatalog::builtin().resolve(f->second, item.text)) {
            Operand op{Xapian::Query(std::string(schema::facet_prefix(f->second)) + *id)};
            op.filter = true;
            op.negated = item.negated;
            return {std::move(op)};
        }
        return text_operands(item.text, item.negated); // unknown value: read as words
    }
    if (item.field == "type") {
        Operand op{Xapian::Query(prefixed(schema::kTypePrefix, analyzer_.fold_phrase(item.text)))};
        op.filter = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    // annee:, year:, date:
    if (auto range = parse_year_range(item.text)) {
        Operand op{year_range(range->first, range->second)};
        op.filter = true;
        op.negated = item.negated;
        return {std::move(op)};
    }
    return text_operands(item.text, item.negated); // "annee:bientôt" degrades to words
}

Xapian::Query combine(const std::vector<Element>& elements, Xapian::Query::op implicit) {
    std::vector<Xapian::Query> groups;
    std::vector<Xapian::Query> chains, chain, negatives, filters;
    auto flush_chain = [&] {
        if (chain.empty())
            return;
        chains.push_back(chain.size() == 1
                             ? chain.front()
                             : Xapian::Query(Xapian::Query::OP_AND, chain.begin(), chain.end()));
        chain.clear();
    };
    auto flush_group = [&] {
        flush_chain();
        if (chains.empty() && negatives.empty() && filters.empty())
            return;
        Xapian::Query q = chains.empty() ? Xapian::Query::MatchAll
                          : chains.size() == 1
                              ? chains.front()
                              : Xapian::Query(implicit, chains.begin(), chains.end());
        if (!filters.empty())
            q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
        if (!negatives.empty())
            q = Xapian::Query(
                Xapian::Query::OP_AND_NOT, q,
                Xapian::Query(Xapian::Query::OP_OR, negatives.begin(), negatives.end()));
        groups.push_back(q);
        chains.clear();
        negatives.clear();
        filters.clear();
    };
    for (const Element& e : elements) {
        if (e.kind == Join::Or) {
            flush_group();
            continue;
        }
        const Operand& op = e.operand;
        if (op.negated) {
            negatives.push_back(op.query);
        } else if (op.filter) {
            filters.push_back(op.query);
        } else {
            if (!op.and_before)
                flush_chain();
            chain.push_back(op.query);
        }
    }
    flush_group();
    if (groups.empty())
        return Xapian::Query();
    if (groups.size() == 1)
        return groups.front();
    return Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end());
}

} // namespace kb::query

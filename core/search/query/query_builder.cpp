#include "core/search/query/query_builder.h"

#include "core/analysis/acronyms.h"
#include "core/analysis/synonyms.h"
#include "core/analysis/word_normalizer.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"

#include <map>
#include <optional>

namespace kb {
namespace {

// ---- Lexing: the query string into items -------------------------------------------------

enum class ItemKind { Text, Phrase, Prefix, Field, Range, And, Or, Not };

struct Item {
    ItemKind kind;
    std::string text;  // Text/Phrase/Prefix/Field value
    std::string field; // Field name, lower-case
    bool negated = false;
    bool quoted = false;
    int from = 0, to = 0; // Range years
};

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Opening quote at s[i] → its length in bytes and the closing quote to look for.
std::optional<std::pair<std::size_t, std::string_view>> opening_quote(std::string_view s,
                                                                      std::size_t i) {
    if (s.compare(i, 1, "\"") == 0)
        return std::pair<std::size_t, std::string_view>{1, "\""};
    if (s.compare(i, 2, "\u00AB") == 0)
        return std::pair<std::size_t, std::string_view>{2, "\u00BB"};
    if (s.compare(i, 3, "\u201C") == 0)
        return std::pair<std::size_t, std::string_view>{3, "\u201D"};
    return std::nullopt;
}

std::optional<std::pair<int, int>> parse_year_range(std::string_view v) {
    auto year = [](std::string_view y) -> std::optional<int> {
        if (y.size() != 4)
            return std::nullopt;
        int n = 0;
        for (char c : y) {
            if (c < '0' || c > '9')
                return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n;
    };
    if (auto dots = v.find(".."); dots != std::string_view::npos) {
        auto lo = year(v.substr(0, dots)), hi = year(v.substr(dots + 2));
        if (lo && hi && *lo <= *hi)
            return std::pair{*lo, *hi};
        return std::nullopt;
    }
    if (auto y = year(v))
        return std::pair{*y, *y};
    return std::nullopt;
}

const std::set<std::string>& known_fields() {
    static const std::set<std::string> fields = {"titre", "title",   "type",   "annee",  "year",
                                                 "date",  "theme",   "themes", "acteur", "actor",
                                                 "pays",  "country", "region"};
    return fields;
}

std::vector<Item> lex(std::string_view s) {
    std::vector<Item> items;
    std::size_t text_begin = std::string_view::npos; // start of the current Text run
    auto close_text = [&] { text_begin = std::string_view::npos; };
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_space(static_cast<unsigned char>(s[i]))) {
            ++i;
            continue;
        }
        bool negated = false;
        std::size_t start = i;
        if (s[i] == '-' && i + 1 < s.size() && !is_space(static_cast<unsigned char>(s[i + 1]))) {
            negated = true;
            ++i;
        }
        if (auto q = opening_quote(s, i)) {
            std::size_t close = s.find(q->second, i + q->first);
            if (close != std::string_view::npos) {
                close_text();
                Item it{ItemKind::Phrase,
                        std::string(s.substr(i + q->first, close - i - q->first))};
                it.negated = negated;
                items.push_back(std::move(it));
                i = close + q->second.size();
                continue;
            }
            // Unbalanced quote: read on as plain words.
            i += q->first;
            continue;
        }
        std::size_t end = i;
        while (end < s.size() && !is_space(static_cast<unsigned char>(s[end])) &&
               !opening_quote(s, end))
            ++end;
        std::string_view word = s.substr(i, end - i);
        std::size_t word_end = end;
        if (word.empty()) { // a lone "-"
            i = end + 1;
            continue;
        }
        if (!negated && (word == "AND" || word == "ET" || word == "&&")) {
            close_text();
            items.push_back({ItemKind::And});
        } else if (!negated && (word == "OR" || word == "OU" || word == "||")) {
            close_text();
            items.push_back({ItemKind::Or});
        } else if (!negated && (word == "NOT" || word == "SAUF")) {
            close_text();
            items.push_back({ItemKind::Not});
        } else if (auto colon = word.find(':');
                   colon != std::string_view::npos && colon > 0 &&
                   known_fields().count(normalize_word(word.substr(0, colon)).folded) != 0) {
            close_text();
            Item it{ItemKind::Field};
            it.field = normalize_word(word.substr(0, colon)).folded;
            it.text = std::string(word.substr(colon + 1));
            it.negated = negated;
            if (it.text.empty() && end < s.size()) {
                if (auto q = opening_quote(s, end)) {
                    std::size_t close = s.find(q->second, end + q->first);
                    if (close != std::string_view::npos) {
                        it.text = std::string(s.substr(end + q->first, close - end - q->first));
                        it.quoted = true;
                        word_end = close + q->second.size();
                    }
                }
            }
            if (!it.text.empty())
                items.push_back(std::move(it));
        } else if (auto range = parse_year_range(word); range && word.find("..") != word.npos) {
            close_text();
            Item it{ItemKind::Range};
            it.from = range->first;
            it.to = range->second;
            it.negated = negated;
            items.push_back(std::move(it));
        } else if (word.size() > 1 && word.back() == '*') {
            close_text();
            Item it{ItemKind::Prefix, std::string(word.substr(0, word.size() - 1))};
            it.negated = negated;
            items.push_back(std::move(it));
        } else if (negated) {
            close_text();
            Item it{ItemKind::Text, std::string(word)};
            it.negated = true;
            items.push_back(std::move(it));
        } else if (text_begin != std::string_view::npos && !items.empty() &&
                   items.back().kind == ItemKind::Text) {
            // Keep the original spacing so "4 700" still reads as one number.
            items.back().text = std::string(s.substr(text_begin, end - text_begin));
        } else {
            text_begin = start;
            items.push_back({ItemKind::Text, std::string(word)});
        }
        i = word_end;
    }
    return items;
}

// ---- Building: items into Xapian queries ---------------------------------------------------

struct Operand {
    Xapian::Query query;
    bool negated = false;
    bool filter = false;     // boolean restriction, contributes no weight
    bool content = false;    // a word the user asked for (counts towards "short query")
    bool and_before = false; // explicit AND between the previous operand and this one
};

enum class Join { Operand, Or, Not };
struct Element {
    Join kind;
    Operand operand;
};

// Longest synonym key looked up, in words ("action extérieure des collectivités territoriales").
constexpr std::size_t kMaxSynonymWords = 6;
// Longest run of words whose exact phrase earns a ranking boost.
constexpr std::size_t kMaxBoostWords = 6;
// How many of a concept's other labels are used (their weight: QueryOptions::concept_weight).
constexpr std::size_t kMaxConceptLabels = 12;
// Relative weight of synonym expansions against the words typed.
constexpr double kExpansionWeight = 0.8;
// How many of a word's general synonyms are searched (the thesaurus lists the closest first).
constexpr std::size_t kMaxGeneralSynonyms = 4;

std::string prefixed(std::string_view prefix, const std::string& term) {
    return std::string(prefix) + term;
}

class Builder {
public:
    Builder(const Analyzer& analyzer, const Xapian::Database* db, bool concepts,
            const QueryOptions& options)
        : analyzer_(analyzer), db_(db), concepts_(concepts), title_boost_(options.title_boost),
          exact_boost_(options.exact_boost), concept_weight_(options.concept_weight),
          synonym_weight_(concepts ? options.synonym_weight : 0) {}

    std::vector<Element> elements(const std::vector<Item>& items) {
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

    std::vector<Xapian::Query> boosts;
    HighlightTerms highlight;
    std::vector<std::string> expansions;
    bool english = false;

private:
    Xapian::Query word_query(const Token& t, bool record) {
        const std::string stem = analyzer_.stem(t.term);
        if (record) {
            highlight.words.insert(t.term);
            highlight.stems.insert(stem);
        }
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

    Xapian::Query phrase(const std::vector<const Token*>& tokens, std::string_view prefix,
                         bool record) {
        std::vector<Xapian::Query> terms;
        for (const Token* t : tokens) {
            terms.emplace_back(prefixed(prefix, t->term));
            if (record && !t->stopword)
                highlight.words.insert(t->term);
        }
        if (terms.size() == 1)
            return terms.front();
        return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                             static_cast<Xapian::termcount>(terms.size()));
    }

    // The words of a plain-text run: one operand per content word, compound or synonym key.
    std::vector<Operand> text_operands(const std::string& text, bool negated) {
        std::vector<Token> tokens = analyzer_.tokenize(text);
        std::vector<const Token*> words; // in order, stopwords included, no compound/implied
        for (const Token& t : tokens)
            if (!t.compound && !t.implied)
                words.push_back(&t);
        std::vector<bool> used(words.size(), false);
        std::vector<Operand> out;
        auto add = [&](Xapian::Query q) {
            Operand op{std::move(q)};
            op.content = true;
            op.negated = negated;
            out.push_back(std::move(op));
        };

        // Concepts named in the query (a theme, a country, an actor), in French or English:
        // the words typed, or any other label of the concept (weighted lower), or its facet.
        if (concepts_ && !negated)
            concept_operands(text, tokens, words, used, add);

        // Synonym keys next, longest first: "aide publique au développement" ↔ "APD".
        for (std::size_t i = 0; db_ && i < words.size(); ++i) {
            for (std::size_t n = std::min<std::size_t>(kMaxSynonymWords, words.size() - i); n >= 1;
                 --n) {
                if (n == 1 && words[i]->stopword)
                    break;
                std::string key;
                for (std::size_t k = i; k < i + n; ++k)
                    key += (k > i ? " " : "") + words[k]->term;
                std::vector<std::string> values(db_->synonyms_begin(key), db_->synonyms_end(key));
                if (values.empty())
                    continue;
                std::vector<const Token*> span(words.begin() + i, words.begin() + i + n);
                Xapian::Query original = n == 1 ? word_query(*span[0], !negated)
                                                : phrase(span, schema::kWordPrefix, !negated);
                std::vector<Xapian::Query> alternatives;
                for (const std::string& value : values) {
                    alternatives.push_back(analysed_phrase(value, !negated));
                    if (!negated)
                        expansions.push_back(AcronymTable::builtin().display(key, analyzer_) +
                                             " → " +
                                             AcronymTable::builtin().display(value, analyzer_));
                }
                // Expansions weigh a little less than the words the user typed.
                add(Xapian::Query(
                    Xapian::Query::OP_OR, original,
                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                  Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                                                alternatives.end()),
                                  kExpansionWeight)));
                for (std::size_t k = i; k < i + n; ++k)
                    used[k] = true;
                i += n - 1;
                break;
            }
        }

        // Hyphenated compounds: the parts as a phrase, or the joined form.
        for (const Token& c : tokens) {
            if (!c.compound)
                continue;
            std::vector<const Token*> parts;
            bool already = false;
            for (std::size_t k = 0; k < words.size(); ++k)
                if (words[k]->begin >= c.begin && words[k]->end <= c.end) {
                    parts.push_back(words[k]);
                    already = already || used[k];
                    used[k] = true;
                }
            if (already || parts.empty())
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
        if (!negated && out.size() >= 2 && words.size() >= 2 && words.size() <= kMaxBoostWords)
            boosts.push_back(phrase(words, schema::kWordPrefix, false));
        return out;
    }

    template <typename Add>
    void concept_operands(const std::string& text, const std::vector<Token>& tokens,
                          const std::vector<const Token*>& words, std::vector<bool>& used,
                          Add&& add) {
        const FacetCatalog& catalog = FacetCatalog::builtin();
        PhraseMatcher::Words analysed = PhraseMatcher::words_of(text, tokens, analyzer_);
        if (analysed.folded.size() != words.size())
            return; // defensive: tokens must align
        std::vector<std::pair<PhraseMatcher::Match, Facet>> found;
        for (const auto& m : catalog.theme_concepts().find(analysed))
            found.push_back({m, Facet::Theme});
        for (const auto& m : catalog.named_concepts().find(analysed)) {
            const auto colon = m.id.find(':');
            if (auto f = facet_from_name(m.id.substr(0, colon)))
                found.push_back({{m.id.substr(colon + 1), m.first, m.last}, *f});
        }
        for (const auto& [m, facet] : found) {
            bool taken = false;
            for (std::size_t k = m.first; k <= m.last; ++k)
                taken = taken || used[k];
            if (taken)
                continue;
            std::vector<const Token*> span(words.begin() + m.first, words.begin() + m.last + 1);
            std::string typed;
            for (const Token* t : span)
                typed += (typed.empty() ? "" : " ") + t->term;
            if (span.size() == 1 && span[0]->stopword)
                continue;
            Xapian::Query original = span.size() == 1 ? word_query(*span[0], true)
                                                      : phrase(span, schema::kWordPrefix, true);
            std::vector<Xapian::Query> alternatives;
            for (const std::string& label : catalog.concept_labels(facet, m.id)) {
                if (label == typed || alternatives.size() >= kMaxConceptLabels)
                    continue;
                alternatives.push_back(analysed_phrase(label, true));
            }
            if (catalog.is_english_only(typed))
                english = true;
            Xapian::Query widened(std::string(schema::facet_prefix(facet)) + m.id);
            if (!alternatives.empty())
                widened = Xapian::Query(
                    Xapian::Query::OP_OR, widened,
                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                  Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                                                alternatives.end()),
                                  concept_weight_));
            add(Xapian::Query(Xapian::Query::OP_OR, original, widened));
            const FacetEntry* e = catalog.find(facet, m.id);
            const std::string shown =
                text.substr(span.front()->begin, span.back()->end - span.front()->begin);
            expansions.push_back(shown + " \u2192 " + (e ? e->label : m.id) + " (" +
                                 facet_name(facet) + ")");
            for (std::size_t k = m.first; k <= m.last; ++k)
                used[k] = true;
        }
    }

    // A word or, weighted lower, any of its general synonyms (their stems; never highlighted,
    // so a snippet marks only what the user typed).
    Xapian::Query with_synonyms(const Token& t, const std::string& typed_word) {
        Xapian::Query typed = word_query(t, true);
        const auto& synonyms = SynonymTable::builtin().of(analyzer_.stem(t.term));
        if (synonyms.empty())
            return typed;
        std::vector<Xapian::Query> alternatives;
        std::string shown;
        for (const auto& s : synonyms) {
            if (alternatives.size() >= kMaxGeneralSynonyms)
                break;
            alternatives.emplace_back(prefixed(schema::kStemPrefix, s.stem));
            shown += (shown.empty() ? "" : ", ") + s.word;
        }
        expansions.push_back(typed_word + " \u2192 " + shown + " (synonymes)");
        return Xapian::Query(Xapian::Query::OP_OR, typed,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                           Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                                                         alternatives.end()),
                                           synonym_weight_));
    }

    // A synonym value ("aide publique au developpement") as a query: one stem or a phrase.
    Xapian::Query analysed_phrase(const std::string& value, bool record) {
        std::vector<Token> tokens = analyzer_.tokenize(value);
        std::vector<const Token*> words;
        for (const Token& t : tokens)
            if (!t.compound && !t.implied)
                words.push_back(&t);
        if (words.size() == 1)
            return word_query(*words[0], record);
        return phrase(words, schema::kWordPrefix, record);
    }

    std::vector<Operand> operands(const Item& item) {
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
            Operand op{Xapian::Query(Xapian::Query::OP_WILDCARD,
                                     prefixed(schema::kWordPrefix, stem), 200,
                                     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT)};
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

    Xapian::Query year_range(int from, int to) {
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot,
                             Xapian::sortable_serialise(from), Xapian::sortable_serialise(to));
    }

    std::vector<Operand> field_operands(const Item& item) {
        if (item.field == "titre" || item.field == "title") {
            std::vector<Token> tokens = analyzer_.tokenize(item.text);
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
            Operand op{
                Xapian::Query(prefixed(schema::kTypePrefix, analyzer_.fold_phrase(item.text)))};
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

    const Analyzer& analyzer_;
    const Xapian::Database* db_;
    bool concepts_;
    double title_boost_;
    double exact_boost_;
    double concept_weight_;
    double synonym_weight_;
};

// Combines operands: OR splits groups; inside a group, explicit AND chains bind tighter than
// the implicit operator; negated operands subtract; filters restrict without weight.
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

} // namespace

ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db, bool expand) {
    QueryOptions options;
    options.expand = expand;
    return parse_query(query, analyzer, db, options);
}

ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer,
                        const Xapian::Database* db, const QueryOptions& options) {
    const bool expand = options.expand;
    Builder builder(analyzer, expand ? db : nullptr, expand, options);
    const std::vector<Element> elements = builder.elements(lex(query));

    ParsedQuery parsed;
    parsed.highlight = builder.highlight;
    parsed.expansions = builder.expansions;
    parsed.english = builder.english;
    std::size_t content = 0;
    for (const Element& e : elements)
        if (e.kind == Join::Operand && e.operand.content && !e.operand.negated)
            ++content;

    const bool short_query = content <= options.max_all_terms_words;
    Xapian::Query main =
        combine(elements, short_query ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
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

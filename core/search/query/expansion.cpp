#include "core/analysis/acronyms.h"
#include "core/analysis/synonyms.h"
#include "core/analysis/translation.h"
#include "core/facets/facet_catalog.h"
#include "core/schema/schema.h"
#include "core/search/query/builder.h"
#include "core/search/query/concepts.h"

#include <algorithm>

namespace kb::query {
namespace {

// Longest synonym key looked up, in words ("action extérieure des collectivités territoriales").
constexpr std::size_t kMaxSynonymWords = QueryVocabulary::kMaxKeyWords;
// How many of a concept's other labels are used (their weight: RankingParams::concept_weight).
constexpr std::size_t kMaxConceptLabels = 12;
// Relative weight of synonym expansions against the words typed.
constexpr double kExpansionWeight = 0.8;
// How many of a word's general synonyms are searched (the thesaurus lists the closest first).
constexpr std::size_t kMaxGeneralSynonyms = 4;

// The words typed, or their alternatives (an acronym's expansions, a translation) weighing
// `weight` times as much: alternatives never outrank what the user typed.
Xapian::Query or_weighted(const Xapian::Query& original,
                          const std::vector<Xapian::Query>& alternatives, double weight) {
    return Xapian::Query(
        Xapian::Query::OP_OR, original,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                      weight));
}

// An English phrase's words, translated one by one, relative to the phrase's translation.
constexpr double kPhrasePartsWeight = 0.5;

} // namespace

void Builder::concept_operands(const std::string& text, const std::vector<Token>& tokens,
                               const std::vector<const Token*>& words, std::vector<bool>& used,
                               std::vector<Operand>& out) {
    const FacetCatalog& catalog = FacetCatalog::builtin();
    // A concept two words name (« éducation », « enseignements ») is widened once: its labels'
    // postings are visited for every candidate, and twice weighs it twice.
    std::set<std::pair<Facet, std::string>> widened_once;
    for (const ConceptSpan& m : find_concepts(text, tokens, analyzer_)) {
        const Facet facet = m.facet;
        bool taken = false;
        for (std::size_t k = m.first; k <= m.last; ++k)
            taken = taken || used[k];
        if (taken)
            continue;
        std::vector<const Token*> span(words.begin() + m.first, words.begin() + m.last + 1);
        std::string typed;
        for (const Token* t : span)
            typed += (typed.empty() ? "" : " ") + t->term;
        Xapian::Query original =
            span.size() == 1 ? word_query(*span[0], true) : phrase(span, schema::kWordPrefix, true);
        ConceptUse use{{std::string(facet_name(facet)), m.id, concept_label(m),
                        text.substr(m.begin, m.end - m.begin)}};
        for (const Token* t : span) {
            if (t->stopword)
                continue;
            std::set<std::string> terms{prefixed(schema::kWordPrefix, t->term)};
            if (span.size() == 1) {
                const std::string stem = analyzer_.stem(t->term);
                terms.insert({prefixed(schema::kStemPrefix, stem),
                              prefixed(schema::kTitleStemPrefix, stem)});
                if (!t->accented.empty())
                    terms.insert(prefixed(schema::kAccentedPrefix, t->accented));
            }
            use.typed_words.push_back(std::move(terms));
        }
        std::vector<Xapian::Query> alternatives;
        const HighlightTerms via_before = highlight;
        expanding_ = true;
        if (widened_once.emplace(facet, m.id).second)
            for (const std::string& label : catalog.concept_labels(facet, m.id)) {
                if (label == typed || alternatives.size() >= kMaxConceptLabels)
                    continue;
                alternatives.push_back(analysed_phrase(label, true));
            }
        expanding_ = false;
        use.expansion_terms.insert(std::string(schema::facet_prefix(facet)) + m.id);
        for (const std::string& w : highlight.via_words)
            if (!via_before.via_words.contains(w))
                use.expansion_terms.insert(prefixed(schema::kWordPrefix, w));
        for (const std::string& s : highlight.via_stems)
            if (!via_before.via_stems.contains(s))
                use.expansion_terms.insert(prefixed(schema::kStemPrefix, s));
        concepts.push_back(std::move(use));
        if (catalog.is_english_only(typed))
            english = true;
        const Xapian::Query tag(std::string(schema::facet_prefix(facet)) + m.id);
        // A tag term has no within-document frequency, so BM25 gives it nothing: the tag's
        // weight is a constant over the tagged records, added to what their words weigh.
        Xapian::Query widened =
            tag_weight_ > 0
                ? Xapian::Query(
                      Xapian::Query::OP_FILTER,
                      Xapian::Query((new Xapian::FixedWeightPostingSource(tag_weight_))->release()),
                      tag)
                : tag;
        if (!alternatives.empty())
            widened =
                Xapian::Query(Xapian::Query::OP_OR, widened,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                            Xapian::Query(Xapian::Query::OP_OR,
                                                          alternatives.begin(), alternatives.end()),
                                            concept_weight_));
        add_content(out, Xapian::Query(Xapian::Query::OP_OR, original, widened), false);
        const FacetEntry* e = catalog.find(facet, m.id);
        const std::string shown =
            text.substr(span.front()->begin, span.back()->end - span.front()->begin);
        expansions.push_back(shown + " \u2192 " + (e ? e->label : m.id) + " (" + facet_name(facet) +
                             ")");
        for (std::size_t k = m.first; k <= m.last; ++k)
            used[k] = true;
    }
}

void Builder::synonym_key_operands(const std::vector<const Token*>& words, std::vector<bool>& used,
                                   bool negated, std::vector<Operand>& out) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        for (std::size_t n = std::min<std::size_t>(kMaxSynonymWords, words.size() - i); n >= 1;
             --n) {
            if (n == 1 && words[i]->stopword)
                break;
            std::string key;
            for (std::size_t k = i; k < i + n; ++k)
                key += (k > i ? " " : "") + words[k]->term;
            std::vector<std::string> values;
            if (db_)
                values.assign(db_->synonyms_begin(key), db_->synonyms_end(key));
            const QueryVocabulary::Synonyms* own =
                concepts_ && vocabulary_ ? vocabulary_->synonyms_of(key) : nullptr;
            if (values.empty() && !own)
                continue;
            std::vector<const Token*> span(words.begin() + i, words.begin() + i + n);
            Xapian::Query original = n == 1 ? word_query(*span[0], !negated)
                                            : phrase(span, schema::kWordPrefix, !negated);
            if (n > 1) {
                // The phrase is exact words; its words by their stems find it written in the
                // plural too (« sociétés d'économie mixte locales »).
                std::vector<Xapian::Query> each;
                for (const Token* t : span)
                    if (!t->stopword)
                        each.push_back(word_query(*t, !negated));
                if (each.size() > 1)
                    original = Xapian::Query(
                        Xapian::Query::OP_OR, original,
                        Xapian::Query(Xapian::Query::OP_AND, each.begin(), each.end()));
            }
            std::vector<Xapian::Query> alternatives;
            expanding_ = true;
            for (const std::string& value : values) {
                alternatives.push_back(analysed_phrase(value, !negated));
                if (!negated)
                    expansions.push_back(AcronymTable::builtin().display(key, analyzer_) + " → " +
                                         AcronymTable::builtin().display(value, analyzer_));
            }
            // The settings' synonyms, shown as they were written.
            if (own)
                for (const std::string& value : own->values) {
                    alternatives.push_back(analysed_phrase(value, !negated));
                    if (!negated)
                        expansions.push_back(own->shown + " → " + value);
                }
            expanding_ = false;
            // Expansions weigh a little less than the words the user typed.
            add_content(out, or_weighted(original, alternatives, kExpansionWeight), negated);
            for (std::size_t k = i; k < i + n; ++k)
                used[k] = true;
            i += n - 1;
            break;
        }
    }
}

void Builder::translation_operands(const std::string& text, const std::vector<const Token*>& words,
                                   std::vector<bool>& used, std::vector<Operand>& out) {
    const TranslationTable& table = TranslationTable::builtin();
    std::vector<std::string> terms;
    terms.reserve(words.size());
    for (const Token* t : words)
        terms.push_back(t->term);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (used[i])
            continue;
        // A phrase never spans a word a concept or an acronym already took.
        std::size_t free = i;
        while (free < words.size() && !used[free])
            ++free;
        const std::vector<std::string> run(terms.begin(), terms.begin() + free);
        const auto match = table.longest(run, i);
        if (!match)
            continue;
        const TranslationTable::Entry& entry = *match->entry;
        for (std::size_t k = i; k < i + match->words; ++k)
            used[k] = true;
        if (entry.function_word)
            continue;
        std::vector<const Token*> span(words.begin() + i, words.begin() + i + match->words);
        Xapian::Query original =
            span.size() == 1 ? word_query(*span[0], true) : phrase(span, schema::kWordPrefix, true);
        if (entry.french.empty()) {
            add_content(out, original, false);
        } else {
            std::vector<Xapian::Query> alternatives;
            expanding_ = true;
            for (const std::string& fr : entry.french)
                alternatives.push_back(analysed_phrase(fr, true));
            // A phrase's French may be worded otherwise in a text ("water utility" → « service
            // de l'eau », but « budgets de ces services … d'eau potable »): its words' own
            // translations count too, at half weight.
            if (match->words > 1) {
                std::vector<Xapian::Query> parts;
                for (std::size_t k = i; k < i + match->words; ++k)
                    if (const auto one = table.longest({terms[k]}, 0);
                        one && !one->entry->function_word)
                        for (const std::string& fr : one->entry->french)
                            parts.push_back(analysed_phrase(fr, true));
                if (!parts.empty())
                    alternatives.emplace_back(
                        Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                        kPhrasePartsWeight);
            }
            expanding_ = false;
            add_content(out, or_weighted(original, alternatives, translation_weight_), false);
            std::string shown;
            for (const std::string& fr : entry.french)
                shown += (shown.empty() ? "" : ", ") + fr;
            expansions.push_back(
                text.substr(span.front()->begin, span.back()->end - span.front()->begin) +
                " \u2192 " + shown + " (traduction)");
        }
        english = true;
        i += match->words - 1;
    }
}

// A word or, weighted lower, any of its general synonyms (their stems; never highlighted,
// so a snippet marks only what the user typed).
Xapian::Query Builder::with_synonyms(const Token& t, const std::string& typed_word) {
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
    return Xapian::Query(
        Xapian::Query::OP_OR, typed,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()),
                      synonym_weight_));
}

// A synonym value ("aide publique au developpement") as a query: one stem or a phrase.
Xapian::Query Builder::analysed_phrase(const std::string& value, bool record) {
    std::vector<Token> tokens = analyzer_.tokenize(value);
    std::vector<const Token*> words;
    for (const Token& t : tokens)
        if (!t.compound && !t.implied)
            words.push_back(&t);
    if (words.size() == 1)
        return word_query(*words[0], record);
    return phrase(words, schema::kWordPrefix, record);
}

} // namespace kb::query

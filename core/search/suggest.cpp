#include "core/search/suggest.h"

#include "core/analysis/word_normalizer.h"
#include "core/facets/facet_catalog.h"
#include "core/record.h"
#include "core/schema/schema.h"
#include "core/search/filters.h"
#include "core/search/lexical.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace kb {
namespace {

// Word forms starting with the typed prefix that are looked at, most frequent first.
constexpr std::size_t kWordCandidates = 24;
// A completion is kept when its phrase with the word before is at least this share of the
// best completion's (the rest are forms the context does not take: "aide publication").
constexpr double kMinContextShare = 0.05;

// Documents `query` finds under the request's filters, one per record and near-duplicate
// cluster as /search counts them, up to kSuggestionCountUpTo (which then means "or more":
// an estimate would differ between a database and its shards).
unsigned long long count_found(const Xapian::Database& db, const Xapian::Query& query,
                               const Xapian::Query& filter) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_collapse_key(collapse_slot(SearchRequest{}));
    enquire.set_query(filtered(query, filter));
    return enquire.get_mset(0, kSuggestionCountUpTo).size();
}

// How often `query` matches at all (for ranking completions; no collapsing, an estimate).
Xapian::doccount frequency(const Xapian::Database& db, const Xapian::Query& query,
                           const Xapian::Query& filter) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_query(filtered(query, filter));
    return enquire.get_mset(0, 0, 100).get_matches_estimated();
}

// Collects suggestions once each (by their folded text), up to a limit.
class Proposals {
public:
    Proposals(const Analyzer& analyzer, unsigned limit) : analyzer_(analyzer), limit_(limit) {}
    bool full() const { return out_.size() >= limit_; }
    bool seen(const std::string& text) const { return seen_.contains(analyzer_.fold_phrase(text)); }
    void add(Suggestion s) {
        std::string key = analyzer_.fold_phrase(s.text);
        if (!full() && seen_.insert(key).second)
            out_.push_back(std::move(s));
    }
    std::size_t size() const { return out_.size(); }
    std::vector<Suggestion> take() { return std::move(out_); }

private:
    const Analyzer& analyzer_;
    unsigned limit_;
    std::vector<Suggestion> out_;
    std::set<std::string> seen_;
};

// Facet values whose label (pass 0), then whose alias (pass 1), starts with the text; pass 2:
// those with a later word that starts with it. Only values that find a document under the
// filters, as the page applies them (the value added as a filter, nothing typed).
void add_facet_values(const Xapian::Database& db, const std::string& folded, int pass,
                      const FacetFilters& filters, Proposals& out) {
    const FacetCatalog& catalog = FacetCatalog::builtin();
    const Xapian::Query records{std::string(schema::kRecordKindTerm)};
    for (const schema::FacetSpec& spec : schema::kFacetTable) {
        if (spec.values_from != schema::FacetValuesFrom::Catalog)
            continue;
        const Facet facet = spec.facet;
        for (const auto& [alias, id] : catalog.aliases(facet)) {
            if (out.full())
                return;
            const FacetEntry* e = catalog.find(facet, id);
            if (!e || out.seen(e->label))
                continue;
            const bool is_label = catalog.is_label(facet, alias);
            const bool starts = alias.compare(0, folded.size(), folded) == 0;
            const bool word_starts = alias.find(" " + folded) != std::string::npos;
            const bool wanted = pass == 0   ? starts && is_label
                                : pass == 1 ? starts && !is_label
                                            : word_starts && !starts;
            if (!wanted)
                continue;
            const std::string term = std::string(schema::facet_prefix(facet)) + id;
            if (!db.term_exists(term))
                continue; // no document at all: skip before counting
            FacetFilters with = filters;
            auto& values = with.include[facet];
            if (std::find(values.begin(), values.end(), id) == values.end())
                values.push_back(id);
            const unsigned long long n = count_found(db, records, filter_query(with));
            if (n == 0)
                continue;
            Suggestion s{e->label, std::string(facet_name(facet)), id};
            // Why it matched, when it is not plain from the label.
            if (!is_label || !starts)
                s.matched = catalog.alias_text(facet, alias);
            s.count = n;
            out.add(std::move(s));
        }
    }
}

// The corpus' word forms that complete `last`, one per stem (the commonest in context),
// after `head` (what was typed before it; `previous` its words from the last content word
// on, "eau et"): each as the page searches it finds a document under the filters.
void add_words(SearchContext& ctx, const std::string& last,
               const std::vector<std::string>& previous, const std::string& head,
               const FacetFilters& filters, unsigned limit, Proposals& out) {
    const Xapian::Database& db = ctx.index.db();
    const Analyzer& analyzer = ctx.analyzer;
    std::vector<std::pair<Xapian::doccount, std::string>> words;
    // Bounded: a two-letter prefix on a large index must stay fast.
    for (auto t = db.allterms_begin(last); t != db.allterms_end(last) && words.size() < 5000; ++t)
        words.emplace_back(t.get_termfreq(), *t);
    std::sort(words.rbegin(), words.rend());
    std::map<std::string, std::string> accented;
    // Accented forms by their first letter: "sen" is completed as "sénat" (an accent in the
    // first letters would hide it from a longer prefix).
    const std::string eprefix = std::string(schema::kAccentedPrefix) + last.substr(0, 1);
    for (auto t = db.allterms_begin(eprefix);
         t != db.allterms_end(eprefix) && accented.size() < 20000; ++t) {
        std::string form = (*t).substr(schema::kAccentedPrefix.size());
        accented.emplace(normalize_word(form).folded, form);
    }
    const Xapian::Query filter = filter_query(filters);
    // One form per stem: the one most often after `previous` (or the most frequent).
    struct Completion {
        std::string word;
        Xapian::doccount context = 0, frequency = 0;
    };
    std::map<std::string, Completion> by_stem;
    std::size_t looked = 0;
    for (const auto& [freq, word] : words) {
        if (analyzer.stopwords().contains(word) || word.size() < 3)
            continue;
        if (++looked > kWordCandidates)
            break;
        Xapian::doccount context = freq;
        if (!previous.empty()) {
            std::vector<Xapian::Query> words_in_order(previous.begin(), previous.end());
            words_in_order.emplace_back(word);
            context = frequency(db,
                                Xapian::Query(Xapian::Query::OP_PHRASE, words_in_order.begin(),
                                              words_in_order.end(), words_in_order.size()),
                                filter);
            if (context == 0)
                continue;
        }
        Completion& c = by_stem[analyzer.stem(word)];
        if (context > c.context)
            c = {word, context, freq};
    }
    std::vector<Completion> ranked;
    for (auto& [stem, c] : by_stem)
        ranked.push_back(std::move(c));
    std::sort(ranked.begin(), ranked.end(), [](const Completion& a, const Completion& b) {
        return a.context != b.context ? a.context > b.context : a.word < b.word;
    });
    const Xapian::doccount best = ranked.empty() ? 0 : ranked.front().context;
    SearchRequest as_searched;
    as_searched.filters = filters;
    for (const Completion& c : ranked) {
        if (out.size() >= limit - limit / 3)
            break; // leave room for titles
        if (double(c.context) < kMinContextShare * double(best))
            break;
        auto a = accented.find(c.word);
        const std::string text = head + (a == accented.end() ? c.word : a->second);
        // As the page searches it: the query's own words, all of them.
        const ParsedQuery parsed = build_query(ctx, text, as_searched);
        const unsigned long long n = parsed.browse ? 0 : count_found(db, parsed.query, filter);
        if (n == 0)
            continue;
        Suggestion s{text, "term", ""};
        s.count = n;
        out.add(std::move(s));
    }
}

// Titles of the best documents under the filters whose title has the words (`parts`) and a
// word starting with `last`.
void add_titles(const Xapian::Database& db, std::vector<Xapian::Query> parts,
                const std::string& last, const FacetFilters& filters, Proposals& out) {
    parts.emplace_back(Xapian::Query::OP_WILDCARD, std::string(schema::kTitlePrefix) + last, 50,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    Xapian::Enquire enquire(db);
    enquire.set_collapse_key(schema::kParentSlot);
    enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
    enquire.set_query(filtered(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()),
                               filter_query(filters)));
    Xapian::MSet mset = enquire.get_mset(0, 5);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Record r = decode_record(it.get_document().get_data());
        if (r.title.empty())
            continue;
        Suggestion s{r.title, "title", r.id};
        s.count = 1; // choosing it opens the document
        out.add(std::move(s));
    }
}

} // namespace

std::vector<Suggestion> suggest(SearchContext& ctx, std::string_view typed, unsigned limit,
                                const FacetFilters& filters) {
    const Analyzer& analyzer = ctx.analyzer;
    const std::string folded = analyzer.fold_phrase(typed);
    if (folded.empty() || limit == 0)
        return {};
    Proposals out(analyzer, limit);
    ctx.index.with_retry([&] {
        const Xapian::Database& db = ctx.index.db();
        add_facet_values(db, folded, 0, filters, out);
        // After the facet labels, the corpus' own words and titles; then the other facet
        // values.
        // The words typed; the last one is a prefix.
        std::vector<Xapian::Query> parts;
        std::vector<const Token*> words;
        const std::vector<Token> tokens = analyzer.tokenize(typed);
        for (const Token& t : tokens)
            if (!t.compound && !t.implied)
                words.push_back(&t);
        const std::string last = words.empty() ? std::string() : words.back()->term;
        // The context of the completion: the words before it back to the last content word.
        std::vector<std::string> previous;
        for (std::size_t k = words.size() - (words.empty() ? 0 : 1); k-- > 0;) {
            previous.insert(previous.begin(), words[k]->term);
            if (!words[k]->stopword)
                break;
        }
        for (std::size_t k = 0; k + 1 < words.size(); ++k)
            parts.emplace_back(std::string(schema::kTitlePrefix) + words[k]->term);
        if (last.size() >= 2 && !out.full())
            add_words(ctx, last, previous, folded.substr(0, folded.size() - last.size()), filters,
                      limit, out);
        if (last.size() >= 2 && !out.full())
            add_titles(db, std::move(parts), last, filters, out);
        add_facet_values(db, folded, 1, filters, out);
        add_facet_values(db, folded, 2, filters, out);
        return 0;
    });
    return out.take();
}

} // namespace kb

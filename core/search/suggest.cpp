#include "core/search/suggest.h"

#include "core/analysis/word_normalizer.h"
#include "core/facets/facet_catalog.h"
#include "core/record.h"
#include "core/schema/schema.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace kb {
namespace {

// Collects suggestions once each (by their folded text), up to a limit.
class Proposals {
public:
    Proposals(const Analyzer& analyzer, unsigned limit) : analyzer_(analyzer), limit_(limit) {}
    void add(Suggestion s) {
        std::string key = analyzer_.fold_phrase(s.text);
        if (out_.size() < limit_ && seen_.insert(key).second)
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
// those with a later word that starts with it.
void add_facet_values(const Xapian::Database& db, const std::string& folded, int pass,
                      Proposals& out) {
    const FacetCatalog& catalog = FacetCatalog::builtin();
    for (const schema::FacetSpec& spec : schema::kFacetTable) {
        if (spec.values_from != schema::FacetValuesFrom::Catalog)
            continue;
        const Facet facet = spec.facet;
        for (const auto& [alias, id] : catalog.aliases(facet)) {
            const FacetEntry* e = catalog.find(facet, id);
            if (!e)
                continue;
            const bool is_label = catalog.is_label(facet, alias);
            const bool starts = alias.compare(0, folded.size(), folded) == 0;
            const bool word_starts = alias.find(" " + folded) != std::string::npos;
            const bool wanted = pass == 0   ? starts && is_label
                                : pass == 1 ? starts && !is_label
                                            : word_starts && !starts;
            if (!wanted)
                continue;
            if (facet == Facet::Country &&
                !db.term_exists(std::string(schema::kCountryPrefix) + id))
                continue; // only countries the corpus talks about
            out.add({e->label, facet_name(facet), id});
        }
    }
}

// Frequent words of the corpus starting with `last`, shown with their accents after `head`
// (what was typed before the last word).
void add_words(const Xapian::Database& db, const Analyzer& analyzer, const std::string& last,
               const std::string& head, unsigned limit, Proposals& out) {
    std::vector<std::pair<Xapian::doccount, std::string>> words;
    // Bounded: a two-letter prefix on a large index must stay fast.
    for (auto t = db.allterms_begin(last); t != db.allterms_end(last) && words.size() < 5000; ++t)
        words.emplace_back(t.get_termfreq(), *t);
    std::sort(words.rbegin(), words.rend());
    std::map<std::string, std::string> accented;
    const std::string ascii = last.substr(0, std::min<std::size_t>(last.size(), 3));
    const std::string eprefix = std::string(schema::kAccentedPrefix) + ascii;
    for (auto t = db.allterms_begin(eprefix);
         t != db.allterms_end(eprefix) && accented.size() < 5000; ++t) {
        std::string form = (*t).substr(schema::kAccentedPrefix.size());
        accented.emplace(normalize_word(form).folded, form);
    }
    for (const auto& [freq, word] : words) {
        if (analyzer.stopwords().contains(word) || word.size() < 3)
            continue;
        auto a = accented.find(word);
        out.add({head + (a == accented.end() ? word : a->second), "term", ""});
        if (out.size() >= limit - limit / 3)
            break; // leave room for titles
    }
}

// Titles of the best documents whose title has the words (`parts`) and a word starting with
// `last`.
void add_titles(const Xapian::Database& db, std::vector<Xapian::Query> parts,
                const std::string& last, Proposals& out) {
    parts.emplace_back(Xapian::Query::OP_WILDCARD, std::string(schema::kTitlePrefix) + last, 50,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    Xapian::Enquire enquire(db);
    enquire.set_collapse_key(schema::kParentSlot);
    enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
    Xapian::MSet mset = enquire.get_mset(0, 5);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Record r = decode_record(it.get_document().get_data());
        if (!r.title.empty())
            out.add({r.title, "title", r.id});
    }
}

} // namespace

std::vector<Suggestion> suggest(SearchContext& ctx, std::string_view typed, unsigned limit) {
    const Analyzer& analyzer = ctx.analyzer;
    const std::string folded = analyzer.fold_phrase(typed);
    if (folded.empty() || limit == 0)
        return {};
    Proposals out(analyzer, limit);
    add_facet_values(ctx.index.db(), folded, 0, out);
    // After the facet labels, the corpus' own words and titles; then the other facet values.
    ctx.index.with_retry([&] {
        const Xapian::Database& db = ctx.index.db();
        // The words typed; the last one is a prefix.
        std::vector<Xapian::Query> parts;
        std::string last;
        for (const Token& t : analyzer.tokenize(typed)) {
            if (t.compound || t.implied)
                continue;
            if (!last.empty())
                parts.emplace_back(std::string(schema::kTitlePrefix) + last);
            last = t.term;
        }
        if (last.size() >= 2 && out.size() < limit)
            add_words(db, analyzer, last, folded.substr(0, folded.size() - last.size()), limit,
                      out);
        if (last.size() >= 2 && out.size() < limit)
            add_titles(db, std::move(parts), last, out);
        return 0;
    });
    add_facet_values(ctx.index.db(), folded, 1, out);
    add_facet_values(ctx.index.db(), folded, 2, out);
    return out.take();
}

} // namespace kb

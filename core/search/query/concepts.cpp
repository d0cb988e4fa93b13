#include "core/search/query/concepts.h"

#include "core/facets/facet_catalog.h"
#include "core/facets/phrase_matcher.h"
#include "core/schema/schema.h"

#include <set>

namespace kb::query {

std::vector<const Token*> plain_words(const std::vector<Token>& tokens) {
    std::vector<const Token*> words;
    for (const Token& t : tokens)
        if (!t.compound && !t.implied)
            words.push_back(&t);
    return words;
}

std::vector<ConceptSpan> find_concepts(std::string_view text, const std::vector<Token>& tokens,
                                       const Analyzer& analyzer, bool any_case) {
    const FacetCatalog& catalog = FacetCatalog::builtin();
    const std::vector<const Token*> words = plain_words(tokens);
    PhraseMatcher::Words analysed = PhraseMatcher::words_of(text, tokens, analyzer);
    if (analysed.folded.size() != words.size())
        return {}; // defensive: tokens must align
    if (any_case)
        analysed.capitalised.assign(analysed.capitalised.size(), true);
    std::vector<ConceptSpan> found;
    auto add = [&](Facet facet, std::string id, std::size_t first, std::size_t last) {
        if (first == last && words[first]->stopword)
            return;
        found.push_back({facet, std::move(id), first, last, words[first]->begin, words[last]->end});
    };
    for (const auto& m : catalog.theme_concepts().find(analysed))
        add(Facet::Theme, m.id, m.first, m.last);
    for (const auto& m : catalog.named_concepts().find(analysed)) {
        const auto colon = m.id.find(':');
        if (auto f = facet_from_name(m.id.substr(0, colon)))
            add(*f, m.id.substr(colon + 1), m.first, m.last);
    }
    return found;
}

bool is_concept_word(const std::string& folded) {
    static const std::set<std::string> words = [] {
        std::set<std::string> out;
        const FacetCatalog& catalog = FacetCatalog::builtin();
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            for (const auto& [alias, id] : catalog.aliases(spec.facet))
                for (std::size_t at = 0; at < alias.size();) {
                    const std::size_t space = std::min(alias.find(' ', at), alias.size());
                    if (space > at)
                        out.insert(alias.substr(at, space - at));
                    at = space + 1;
                }
        }
        return out;
    }();
    return words.contains(folded);
}

std::string concept_label(const ConceptSpan& c) {
    const FacetEntry* e = FacetCatalog::builtin().find(c.facet, c.id);
    return e ? e->label : c.id;
}

} // namespace kb::query

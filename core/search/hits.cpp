#include "core/search/hits.h"

#include "core/indexing/passages.h"
#include "core/numbers.h"
#include "core/record.h"
#include "core/record_fields.h"
#include "core/schema/schema.h"
#include "core/search/snippet.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kb {
namespace {

// Length of a snippet, in bytes of the original text.
constexpr std::size_t kSnippetBytes = 320;

} // namespace

std::string readable_term(const std::string& term) {
    auto starts = [&](std::string_view p) { return term.compare(0, p.size(), p) == 0; };
    if (starts(schema::kTitleStemPrefix))
        return "titre-racine:" + term.substr(schema::kTitleStemPrefix.size());
    if (starts(schema::kStemPrefix))
        return "racine:" + term.substr(schema::kStemPrefix.size());
    if (starts(schema::kAccentedPrefix))
        return "accent:" + term.substr(schema::kAccentedPrefix.size());
    if (starts(schema::kTitlePrefix))
        return "titre:" + term.substr(schema::kTitlePrefix.size());
    if (starts("X"))
        return "filtre:" + term;
    return "mot:" + term;
}

void explain_match(const ParsedQuery& parsed, const std::set<std::string>& matching,
                   const Analyzer& analyzer, bool explain, Hit& hit) {
    auto has = [&](const std::set<std::string>& terms) {
        return std::any_of(terms.begin(), terms.end(),
                           [&](const std::string& t) { return matching.contains(t); });
    };
    for (const ConceptUse& c : parsed.concepts)
        if (!std::all_of(c.typed_words.begin(), c.typed_words.end(), has) && has(c.expansion_terms))
            hit.via.push_back(c.named);
    if (!explain)
        return;
    std::vector<std::string> via;
    const bool typed = std::any_of(matching.begin(), matching.end(), [&](const std::string& t) {
        return parsed.typed_terms.contains(t);
    });
    for (const std::string& t : matching) {
        const bool word = !t.empty() && !std::isupper(static_cast<unsigned char>(t[0]));
        if (word && analyzer.stopwords().contains(t))
            continue;
        if (parsed.typed_terms.contains(t) || t.compare(0, 1, "X") == 0)
            hit.matched_terms.push_back(readable_term(t));
        else if (!hit.via.empty() || !typed) // else a word of a phrase that did not match
            via.push_back("via:" + readable_term(t));
    }
    hit.matched_terms.insert(hit.matched_terms.end(), via.begin(), via.end());
}

Hit make_hit(const Xapian::Document& doc, double weight, const HighlightTerms& highlight,
             const Analyzer& analyzer, const std::string& pre, const std::string& post,
             bool with_snippet) {
    Record r = decode_record(doc.get_data());
    Hit hit;
    copy_listed_fields(r, hit);
    hit.score = weight;
    if (auto author = r.metadata.find("author"); author != r.metadata.end())
        hit.authors = split_authors(author->second);
    hit.docid = doc.get_docid();
    // The facet slots hold the ids joined by kListSeparator, as counting reads them.
    for (const schema::FacetSpec& spec : schema::kFacetTable) {
        const std::string packed = doc.get_value(spec.slot);
        for (std::size_t begin = 0; begin < packed.size();) {
            std::size_t end = packed.find(schema::kListSeparator, begin);
            if (end == std::string::npos)
                end = packed.size();
            if (end > begin)
                hit.facets[spec.facet].push_back(packed.substr(begin, end - begin));
            begin = end + 1;
        }
    }
    std::size_t window = 0;
    if (with_snippet)
        hit.snippet = make_snippet(r.text, highlight, analyzer, kSnippetBytes, pre, post, &window);
    // Stored values are never trusted to parse: a bad one is ignored, not a 500.
    const auto passage = r.metadata.find("passage");
    const auto number = passage == r.metadata.end() ? std::nullopt : parse_count(passage->second);
    if (number && *number <= kMaxStoredCount) {
        hit.passage = static_cast<int>(*number);
        if (auto heading = r.metadata.find("heading"); heading != r.metadata.end())
            hit.heading = heading->second;
        if (auto page = r.metadata.find("page"); page != r.metadata.end())
            if (auto first = parse_count(page->second); first && *first <= kMaxStoredCount)
                hit.page = static_cast<unsigned>(*first) + page_at(r.text, window) - 1;
    } else if (r.text.find('\f') != std::string::npos) {
        hit.page = page_at(r.text, window);
    }
    return hit;
}

} // namespace kb

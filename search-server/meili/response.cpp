#include "search-server/meili/response.h"

#include "core/analysis/analyzer.h"
#include "core/search/snippet.h"
#include "search-server/api/router.h"
#include "search-server/api/search_params.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/facet_values.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <utility>

namespace kb::http::meili {
namespace {

using Writer = JsonWriter;

std::string unescape_html(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            static const std::pair<const char*, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool done = false;
            for (const auto& [e, c] : entities) {
                const std::size_t n = std::char_traits<char>::length(e);
                if (s.compare(i, n, e) == 0) {
                    out += c;
                    i += n - 1;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        out += s[i];
    }
    return out;
}

// The engine's marked text (HTML-escaped, private markers) as Meilisearch gives it: raw text
// with the client's tags, or (plain) without any.
std::string with_tags(const std::string& marked, const std::string& pre, const std::string& post) {
    const std::string raw = unescape_html(marked);
    std::string out;
    out.reserve(raw.size() + 32);
    for (char c : raw) {
        if (c == kPre[0])
            out += pre;
        else if (c == kPost[0])
            out += post;
        else
            out += c;
    }
    return out;
}

// One hit's attributes; `formatted`: with the client's highlight tags where asked.
void write_attributes(Writer& w, const MeiliQuery& m, const Hit& h, const std::string& text,
                      const std::string& title_marked, bool formatted) {
    auto wanted = [&](const char* name) { return m.retrieve_all || m.retrieve.count(name); };
    const bool mark_snippet =
        m.highlight_all || m.highlight.count("snippet") || m.highlight.count("text");
    if (wanted("id"))
        field(w, "id", h.id);
    if (wanted("title"))
        field(w, "title", formatted && !title_marked.empty() ? title_marked : h.title);
    if (wanted("date"))
        field(w, "date", h.date);
    if (wanted("type"))
        field(w, "type", h.type);
    if (wanted("publisher"))
        field(w, "publisher", h.publisher);
    if (wanted("url"))
        field(w, "url", h.url);
    if (wanted("snippet"))
        field(w, "snippet",
              with_tags(h.snippet, formatted && mark_snippet ? m.pre : "",
                        formatted && mark_snippet ? m.post : ""));
    if (m.retrieve.count("text"))
        field(w, "text", text);
}

// Past kMaxResponseBytes an answer is refused rather than built: its hits carry whole texts
// when asked (attributesToRetrieve text), and 1,000 of them can weigh hundreds of megabytes.
void check_size(const rapidjson::StringBuffer& buffer) {
    if (buffer.GetSize() > kMaxResponseBytes)
        bad("response_too_large",
            "the answer would be larger than " + std::to_string(kMaxResponseBytes) +
                " bytes: ask for fewer hits (limit, hitsPerPage) or leave `text` out of "
                "attributesToRetrieve");
}

std::string folded_words_prefix(const std::string& text) {
    thread_local Analyzer analyzer;
    return analyzer.fold_phrase(text);
}

} // namespace

void write_result(Writer& w, const rapidjson::StringBuffer& buffer, const MeiliQuery& m,
                  const Answer& a, Context& context, const std::string* index_uid) {
    const SearchResult& r = a.result;
    w.StartObject();
    if (index_uid)
        field(w, "indexUid", *index_uid);

    // The title is highlighted here with the terms the searcher's snippets mark (those of the
    // query, or of its applied correction).
    thread_local Analyzer analyzer;
    const bool mark_title = m.formatted && (m.highlight_all || m.highlight.count("title"));
    const HighlightTerms none;
    const HighlightTerms& terms = mark_title ? r.highlight : none;

    w.Key("hits");
    w.StartArray();
    for (const Hit& h : r.hits) {
        std::string text;
        if (m.retrieve.count("text")) // the whole text only on request
            if (auto record = context.searcher.document(h.id))
                text = record->text;
        std::string title_marked;
        if (!terms.empty() && !h.title.empty()) {
            const std::string marked =
                make_snippet(h.title, terms, analyzer, h.title.size() + 64, kPre, kPost);
            // Only when the highlighter kept the title whole (it normalises white space).
            if (with_tags(marked, "", "") == h.title)
                title_marked = with_tags(marked, m.pre, m.post);
        }
        w.StartObject();
        write_attributes(w, m, h, text, title_marked, false);
        if (m.formatted) {
            w.Key("_formatted");
            w.StartObject();
            write_attributes(w, m, h, text, title_marked, true);
            w.EndObject();
        }
        w.EndObject();
        check_size(buffer);
    }
    w.EndArray();

    field(w, "query", m.search.q);
    uint_field(w, "processingTimeMs", static_cast<std::uint64_t>(std::llround(a.took_ms)));
    // maxTotalHits caps what the answer says there is, as far as it can be paged.
    const unsigned long long total = std::min<unsigned long long>(r.total, m.max_total_hits);
    if (m.page_mode) {
        uint_field(w, "hitsPerPage", m.hits_per_page);
        uint_field(w, "page", m.page);
        uint_field(w, "totalPages",
                   m.hits_per_page ? (total + m.hits_per_page - 1) / m.hits_per_page : 0);
        uint_field(w, "totalHits", total);
    } else {
        uint_field(w, "limit", m.limit);
        uint_field(w, "offset", m.offset);
        uint_field(w, "estimatedTotalHits", total);
    }
    // Not Meilisearch's: said only when true, so its clients see the shape they know. The time
    // budget ran out (hits are the best found by then, totals estimates) or a shard was down.
    if (r.timed_out || r.shards.partial()) {
        bool_field(w, "partial", true);
    }
    if (!m.facets.empty()) {
        w.Key("facetDistribution");
        w.StartObject();
        for (const FacetAttribute& facet : m.facets) {
            const std::string name = facet.name();
            w.Key(name.c_str());
            w.StartObject();
            for (const ShownValue& v : shown_values(facet, r, m.settings->order_of(name),
                                                    m.settings->max_values_per_facet())) {
                w.Key(v.value.data(), static_cast<rapidjson::SizeType>(v.value.size()));
                w.Uint64(v.count);
            }
            w.EndObject();
        }
        w.EndObject();
        w.Key("facetStats");
        w.StartObject();
        const bool years_asked =
            std::any_of(m.facets.begin(), m.facets.end(),
                        [](const FacetAttribute& a) { return a.facet == Facet::Year; });
        if (const auto years = years_asked ? year_range(r) : std::nullopt) {
            const auto [min, max] = *years;
            w.Key("year");
            w.StartObject();
            w.Key("min");
            w.Int(min);
            w.Key("max");
            w.Int(max);
            w.EndObject();
        }
        w.EndObject();
    }
    w.EndObject();
}

void write_facet_search(JsonWriter& w, const MeiliQuery& m, const FacetAttribute& facet,
                        const Answer& a, const std::string& facet_query, bool has_query) {
    const std::string wanted = folded_words_prefix(facet_query);
    const std::string name = facet.name();
    // Every value of the facet (the query asked the engine for all of them), those that match,
    // then ordered and cut as facetDistribution is.
    std::vector<ShownValue> matching;
    for (ShownValue& v : shown_values(facet, a.result, m.settings->order_of(name),
                                      std::numeric_limits<std::size_t>::max())) {
        // A word of the value (or its id) starts with the query, accents and case aside; under
        // place.lvl1 a word of the country's part.
        std::string own = v.value;
        if (facet.level == FacetAttribute::Level::Lvl1)
            own = own.substr(own.rfind(kLevelSeparator) +
                             std::char_traits<char>::length(kLevelSeparator));
        bool hit = wanted.empty();
        for (const std::string& candidate : {folded_words_prefix(own), folded_words_prefix(v.id)})
            for (std::size_t at = candidate.find(wanted); !hit && at != std::string::npos;
                 at = candidate.find(wanted, at + 1))
                hit = at == 0 || candidate[at - 1] == ' ' || candidate[at - 1] == '-';
        if (hit)
            matching.push_back(std::move(v));
    }
    if (matching.size() > m.settings->max_values_per_facet())
        matching.resize(m.settings->max_values_per_facet());
    w.StartObject();
    w.Key("facetHits");
    w.StartArray();
    for (const ShownValue& v : matching) {
        w.StartObject();
        field(w, "value", v.value);
        uint_field(w, "count", v.count);
        w.EndObject();
    }
    w.EndArray();
    w.Key("facetQuery");
    if (has_query)
        w.String(facet_query.data(), static_cast<rapidjson::SizeType>(facet_query.size()));
    else
        w.Null();
    uint_field(w, "processingTimeMs", static_cast<std::uint64_t>(std::llround(a.took_ms)));
    w.EndObject();
}

} // namespace kb::http::meili

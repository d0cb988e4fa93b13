#include "search-server/meili/response.h"

#include "core/analysis/analyzer.h"
#include "core/search/snippet.h"
#include "search-server/api/router.h"
#include "search-server/api/search_params.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/facet_values.h"
#include "search-server/meili/hit_attributes.h"

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

    w.Key("hits");
    w.StartArray();
    for (const Hit& h : r.hits) {
        std::optional<std::string> text;
        if (needs_text(m)) // the whole text only on request
            if (auto record = context.searcher.document(h.id))
                text = std::move(record->text);
        write_hit(w, m, h, r.highlight, text ? &*text : nullptr);
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

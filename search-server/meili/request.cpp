#include "search-server/meili/request.h"

#include "core/error.h"
#include "core/utf8.h"
#include "search-server/api/router.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_input.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/filter_builder.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kb::http::meili {
namespace {

using Value = rapidjson::Value;

/// The error codes of client JSON in this layer (Meilisearch's for a malformed payload).
constexpr JsonErrorCodes kJsonCodes{"malformed_payload", "The json payload provided is malformed",
                                    "bad_request"};

unsigned whole(const Value& v, const char* field, const char* code) {
    if (!v.IsUint64() &&
        !(v.IsDouble() && v.GetDouble() >= 0 && std::floor(v.GetDouble()) == v.GetDouble()))
        bad(code,
            std::string("Invalid value type at `.") + field + "`: expected a positive integer");
    const double d = v.IsUint64() ? static_cast<double>(v.GetUint64()) : v.GetDouble();
    return d > 4e9 ? 4000000000u : static_cast<unsigned>(d);
}

std::vector<std::string> string_list(const Value& v, const char* field, const char* code) {
    std::vector<std::string> out;
    if (v.IsString()) {
        out.push_back(str(v));
        return out;
    }
    if (!v.IsArray())
        bad(code,
            std::string("Invalid value type at `.") + field + "`: expected an array of strings");
    for (const Value& item : v.GetArray()) {
        if (!item.IsString())
            bad(code, std::string("Invalid value type at `.") + field +
                          "`: expected an array of strings");
        out.push_back(str(item));
    }
    return out;
}

std::string tag(const Value& v, const char* field) {
    if (!v.IsString())
        bad(std::string("invalid_search_") + (std::string(field) == "highlightPreTag"
                                                  ? "highlight_pre_tag"
                                                  : "highlight_post_tag"),
            std::string("Invalid value type at `.") + field + "`: expected a string");
    if (v.GetStringLength() > kMaxHighlightTagBytes)
        bad("invalid_search_highlight_tag", std::string("`") + field + "` is longer than " +
                                                std::to_string(kMaxHighlightTagBytes) + " bytes");
    return str(v);
}

} // namespace

// hybrid: {semanticRatio, embedder} → the engine's mode and vector weight. The one embedder is
// the index's fastText vectors: `embedder` is read as a string and not used.
void read_hybrid(const Value& v, SearchRequest& search) {
    if (!v.IsObject())
        bad("invalid_search_hybrid_query",
            "Invalid value type at `.hybrid`: expected an object with `semanticRatio`");
    double ratio = 0.5; // Meilisearch's default
    if (const Value* r = member(v, "semanticRatio")) {
        if (!r->IsNumber() || r->GetDouble() < 0 || r->GetDouble() > 1)
            bad("invalid_search_semantic_ratio",
                "Invalid value at `.hybrid.semanticRatio`: expected a number from 0.0 to 1.0");
        ratio = r->GetDouble();
    }
    if (const Value* e = member(v, "embedder"); e && !e->IsString())
        bad("invalid_search_embedder",
            "Invalid value type at `.hybrid.embedder`: expected a string");
    if (ratio == 0) {
        search.mode = SearchMode::Lexical;
    } else if (ratio == 1) {
        search.mode = SearchMode::Semantic;
    } else {
        search.mode = SearchMode::Hybrid;
        search.vector_weight = ratio;
    }
}

// matchingStrategy → how many words a match needs. "last" (Meilisearch's default: all words,
// then fewer) is the engine's default: a short query needs all its words, relaxed to any
// when fewer than RankingParams::few_all_terms records have them all; "all" never relaxes;
// "frequency" ranks by any word, the rare ones weighing more (BM25), rather than dropping the most
// frequent first.
WordMatching read_matching(const Value& v) {
    const std::string s = v.IsString() ? str(v) : "";
    if (s == "last")
        return WordMatching::Default;
    if (s == "all")
        return WordMatching::All;
    if (s == "frequency")
        return WordMatching::Any;
    bad("invalid_search_matching_strategy",
        "Invalid value at `.matchingStrategy`: expected one of `last`, `all`, `frequency`");
}

void read_crop(const Value& body, MeiliQuery& m) {
    if (const Value* v = member(body, "cropLength"))
        m.crop_length = std::min(whole(*v, "cropLength", "invalid_search_crop_length"), kMaxLimit);
    if (const Value* v = member(body, "cropMarker")) {
        if (!v->IsString())
            bad("invalid_search_crop_marker",
                "Invalid value type at `.cropMarker`: expected a string");
        if (v->GetStringLength() > kMaxHighlightTagBytes)
            bad("invalid_search_crop_marker",
                "`cropMarker` is longer than " + std::to_string(kMaxHighlightTagBytes) + " bytes");
        m.crop_marker = str(*v);
    }
    const Value* v = member(body, "attributesToCrop");
    if (!v)
        return;
    for (const std::string& item :
         string_list(*v, "attributesToCrop", "invalid_search_attributes_to_crop")) {
        // "attribute:N" crops that attribute to N words.
        const std::size_t colon = item.rfind(':');
        unsigned length = m.crop_length;
        std::string name = item;
        if (colon != std::string::npos) {
            const std::string n = item.substr(colon + 1);
            if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos)
                bad("invalid_search_attributes_to_crop",
                    "Invalid value at `.attributesToCrop`: `" + item.substr(0, 80) +
                        "`: expected `attribute` or `attribute:length`");
            length = static_cast<unsigned>(std::stoul(n));
            name = item.substr(0, colon);
        }
        m.crop[name] = length;
    }
    m.formatted = m.formatted || !m.crop.empty();
}

// Fields we read; the others are accepted and ignored.
MeiliQuery parse_query_object(const Value& body, const Budget& budget) {
    if (!body.IsObject())
        bad("bad_request", "a search query must be a JSON object");
    MeiliQuery m;
    if (const Value* q = member(body, "q")) {
        if (!q->IsString())
            bad("invalid_search_q", "Invalid value type at `.q`: expected a string");
        m.search.q = str(*q);
        if (!is_valid_utf8(m.search.q))
            bad("invalid_search_q", "`q` is not valid UTF-8");
        std::size_t cps = 0;
        for (unsigned char c : m.search.q)
            cps += (c & 0xC0) != 0x80;
        if (cps > kMaxQueryChars)
            bad("invalid_search_q",
                "`q` is longer than " + std::to_string(kMaxQueryChars) + " characters");
    }
    if (const Value* f = member(body, "filter"))
        m.search.filters = build_filters(*f, m.nothing, budget);
    if (const Value* f = member(body, "facets")) {
        for (const std::string& name : string_list(*f, "facets", "invalid_search_facets")) {
            if (name == "*") {
                m.facets = facet_attributes();
                continue;
            }
            auto facet = facet_attribute(name);
            if (!facet)
                bad("invalid_search_facets", "Invalid facet `" + name.substr(0, 80) +
                                                 "`: available facets are " +
                                                 facet_attribute_list() + ".");
            if (std::find(m.facets.begin(), m.facets.end(), *facet) == m.facets.end())
                m.facets.push_back(*facet);
        }
    }
    if (const Value* v = member(body, "attributesToRetrieve")) {
        const auto list =
            string_list(*v, "attributesToRetrieve", "invalid_search_attributes_to_retrieve");
        m.retrieve_all = std::find(list.begin(), list.end(), "*") != list.end();
        m.retrieve.insert(list.begin(), list.end());
    }
    if (const Value* v = member(body, "attributesToHighlight")) {
        const auto list =
            string_list(*v, "attributesToHighlight", "invalid_search_attributes_to_highlight");
        m.highlight_all = std::find(list.begin(), list.end(), "*") != list.end();
        m.highlight.insert(list.begin(), list.end());
        m.formatted = m.formatted || !list.empty();
    }
    read_crop(body, m);
    if (const Value* v = member(body, "showRankingScore")) {
        if (!v->IsBool())
            bad("invalid_search_show_ranking_score",
                "Invalid value type at `.showRankingScore`: expected a boolean");
        m.show_ranking_score = v->GetBool();
    }
    if (const Value* v = member(body, "matchingStrategy"))
        m.search.matching = read_matching(*v);
    if (const Value* v = member(body, "hybrid"))
        read_hybrid(*v, m.search);
    if (const Value* v = member(body, "highlightPreTag"))
        m.pre = tag(*v, "highlightPreTag");
    if (const Value* v = member(body, "highlightPostTag"))
        m.post = tag(*v, "highlightPostTag");
    const Value* page = member(body, "page");
    const Value* hpp = member(body, "hitsPerPage");
    if (page || hpp) {
        m.page_mode = true;
        if (page)
            m.page = whole(*page, "page", "invalid_search_page");
        if (hpp)
            m.hits_per_page =
                std::min(whole(*hpp, "hitsPerPage", "invalid_search_hits_per_page"), kMaxLimit);
        m.offset = m.page == 0 ? 0
                               : static_cast<unsigned>(std::min<unsigned long long>(
                                     (m.page - 1ULL) * m.hits_per_page, kMaxResultDepth));
        m.limit = m.page == 0 ? 0 : m.hits_per_page;
    } else {
        if (const Value* v = member(body, "offset"))
            m.offset = whole(*v, "offset", "invalid_search_offset");
        if (const Value* v = member(body, "limit"))
            m.limit = std::min(whole(*v, "limit", "invalid_search_limit"), kMaxLimit);
    }
    if (const Value* v = member(body, "sort")) {
        const auto rules = string_list(*v, "sort", "invalid_search_sort");
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const std::string& rule = rules[i];
            const auto colon = rule.rfind(':');
            const std::string attr = colon == std::string::npos ? rule : rule.substr(0, colon);
            const std::string dir = colon == std::string::npos ? "" : rule.substr(colon + 1);
            if ((attr != "date" && attr != "year") || (dir != "asc" && dir != "desc"))
                bad("invalid_search_sort",
                    "Invalid sort rule `" + rule.substr(0, 80) +
                        "`: sortable attributes are date and year, as `date:desc` or `date:asc`");
            if (i == 0)
                m.search.sort = dir == "desc" ? SortOrder::DateNewest : SortOrder::DateOldest;
        }
    }
    // Counting facets makes the engine look at every match: the total is then exact, as
    // Meilisearch's totalHits is in page mode (offset/limit give estimatedTotalHits).
    m.search.facets = !m.facets.empty() || m.page_mode;
    m.search.highlight_pre = kPre;
    m.search.highlight_post = kPost;
    return m;
}

void prepare(MeiliQuery& m, const Request& request, Context& context) {
    apply_scope(request, m.search.filters);
    m.settings = context.index_settings.current();
    m.search.vocabulary = m.settings->vocabulary;
    m.max_total_hits = m.settings->max_total_hits();
    // The engine counts the most frequent values; ordered by label, or under place.lvl0
    // (primary regions only), the values to show may be any of them, and facetStats needs
    // every year.
    bool every_value = false;
    for (const FacetAttribute& a : m.facets)
        every_value = every_value || a.level == FacetAttribute::Level::Lvl0 ||
                      a.facet == Facet::Year || m.settings->order_of(a.name()) == FacetOrder::Alpha;
    m.search.facet_values = every_value ? 0 : std::max(1u, m.settings->max_values_per_facet());
}

// The hits of [offset, offset + limit) the engine can reach (maxTotalHits).
unsigned reachable_limit(const MeiliQuery& m) {
    return m.offset >= m.max_total_hits ? 0 : std::min(m.limit, m.max_total_hits - m.offset);
}

// Runs the query: the (page, size) window of the engine that covers [offset, offset + limit).
Answer run(MeiliQuery& m, Context& context) {
    const auto start = std::chrono::steady_clock::now();
    Answer a;
    context.searcher.refresh();
    require_known_types(m.search.filters, context.searcher);
    const unsigned offset = m.offset, limit = reachable_limit(m);
    if (!m.nothing) {
        unsigned page = 1, size = 0;
        if (limit > 0) {
            const unsigned last = offset + limit - 1;
            for (size = limit; size < last + 1; ++size)
                if (offset / size == last / size)
                    break;
            page = offset / size + 1;
        }
        m.search.page = page;
        m.search.size = size;
        a.result = context.searcher.search(m.search);
        const unsigned skip = offset - (page - 1) * size;
        auto& hits = a.result.hits;
        if (skip >= hits.size())
            hits.clear();
        else {
            hits.erase(hits.begin(), hits.begin() + skip);
            if (hits.size() > limit)
                hits.resize(limit);
        }
    } else {
        a.result.query = m.search.q;
        a.result.total = 0;
    }
    a.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return a;
}

rapidjson::Document parse_body(const Request& request) {
    rapidjson::Document doc;
    if (request.body.empty())
        bad("missing_payload", "A json payload is missing.");
    parse_client_json(doc, request.body, kJsonCodes);
    if (!doc.IsObject())
        bad("bad_request", "The json payload must be an object.");
    return doc;
}

void check_index(const std::string& uid) {
    if (uid != kIndexUid)
        throw Error(ErrorKind::NotFound, "index_not_found",
                    "Index `" + uid.substr(0, 100) + "` not found. The one index is `" +
                        std::string(kIndexUid) + "`.");
}

} // namespace kb::http::meili

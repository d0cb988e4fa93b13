#include "search-server/api/search_params.h"

#include "core/error.h"
#include "core/facets/facet_catalog.h"
#include "core/search/searcher.h"
#include "search-server/json/json_input.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <tuple>

namespace kb::http {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, "invalid_parameter", message);
}

unsigned parse_positive(const std::string& name, const std::string& value, unsigned max) {
    if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != value.npos)
        invalid("parameter '" + name + "' must be a whole number, got '" + value.substr(0, 40) +
                "'");
    const unsigned long n = std::stoul(value);
    if (n < 1 || n > max)
        invalid("parameter '" + name + "' must be between 1 and " + std::to_string(max) + ", got " +
                value);
    return static_cast<unsigned>(n);
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

} // namespace

namespace {

int parse_year(const std::string& name, const std::string& value) {
    if (value.size() != 4 || value.find_first_not_of("0123456789") != std::string::npos)
        invalid("parameter '" + name + "' must be a year (4 digits), got '" + value.substr(0, 40) +
                "'");
    return std::stoi(value);
}

// "country", "-country" or "country!" (from country!=FR) → the facet and whether it excludes.
std::optional<std::pair<Facet, bool>> facet_parameter(std::string name) {
    bool exclude = false;
    if (!name.empty() && name.front() == '-') {
        exclude = true;
        name.erase(0, 1);
    } else if (!name.empty() && name.back() == '!') {
        exclude = true;
        name.pop_back();
    }
    auto facet = facet_from_name(name);
    if (!facet || *facet == Facet::Year)
        return std::nullopt;
    return std::pair{*facet, exclude};
}

} // namespace

SearchRequest parse_search_params(const std::vector<std::pair<std::string, std::string>>& params) {
    static const std::set<std::string> single = {
        "q",       "page",    "size",          "sort",     "facets",        "year_from",
        "year_to", "explain", "collapse",      "expand",   "highlight_pre", "highlight_post",
        "mode",    "fusion",  "vector_weight", "synonyms", "translate"};
    SearchRequest req;
    std::set<std::string> seen;
    // (facet, exclude?, id) already taken: repeats are dropped in O(log n), not searched for.
    std::set<std::tuple<Facet, bool, std::string>> taken;
    const FacetCatalog& catalog = FacetCatalog::builtin();
    thread_local Analyzer analyzer;
    for (const auto& [name, value] : params) {
        // One rule for every entry (GET parameters, POST /search, the Meilisearch bodies):
        // no text carries a NUL.
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
            invalid("parameter '" + name.substr(0, name.find('\0')).substr(0, 60) +
                    "' contains a NUL character, which no text may contain");
        if (auto fp = facet_parameter(name)) {
            const auto [facet, exclude] = *fp;
            if (value.empty())
                invalid("parameter '" + name + "' is empty");
            std::string id;
            if (facet == Facet::Type) {
                id = analyzer.fold_phrase(value);
            } else if (auto resolved = catalog.resolve(facet, value)) {
                id = *resolved;
            } else {
                throw Error(ErrorKind::InvalidRequest, "unknown_facet_value",
                            std::string("unknown ") + facet_name(facet) + " '" +
                                value.substr(0, 80) + "' (see GET /facets for known values)");
            }
            if (!taken.emplace(facet, exclude, id).second)
                continue;
            if (taken.size() > kMaxFilterValues)
                invalid("the filters name more than " + std::to_string(kMaxFilterValues) +
                        " distinct facet values; narrow the filter instead");
            auto& list = exclude ? req.filters.exclude[facet] : req.filters.include[facet];
            list.push_back(std::move(id));
            continue;
        }
        if (!single.count(name))
            invalid(
                "unknown parameter '" + name.substr(0, 60) +
                "' (accepted: q, page, size, sort, mode, fusion, vector_weight, facets, explain, "
                "collapse, expand, synonyms, translate, highlight_pre, highlight_post, theme, "
                "actor, country, "
                "region, type, year_from, year_to; "
                "prefix a facet with '-' to exclude)");
        if (!seen.insert(name).second)
            invalid("parameter '" + name + "' is given more than once");
        if (name == "q") {
            if (code_points(value) > kMaxQueryChars)
                invalid("parameter 'q' is longer than " + std::to_string(kMaxQueryChars) +
                        " characters");
            req.q = value;
        } else if (name == "page") {
            req.page = parse_positive(name, value, kMaxResultDepth);
        } else if (name == "size") {
            req.size = parse_positive(name, value, kMaxPageSize);
        } else if (name == "year_from") {
            req.filters.year_from = parse_year(name, value);
        } else if (name == "year_to") {
            req.filters.year_to = parse_year(name, value);
        } else if (name == "sort") {
            if (value == "relevance")
                req.sort = SortOrder::Relevance;
            else if (value == "date" || value == "date_desc")
                req.sort = SortOrder::DateNewest;
            else if (value == "date_asc")
                req.sort = SortOrder::DateOldest;
            else
                invalid("parameter 'sort' must be relevance, date (newest first) or date_asc");
        } else if (name == "facets" || name == "explain" || name == "collapse" ||
                   name == "expand" || name == "translate") {
            bool flag = false;
            if (value == "true" || value == "1")
                flag = true;
            else if (value == "false" || value == "0")
                flag = false;
            else
                invalid("parameter '" + name + "' must be true or false");
            (name == "facets"      ? req.facets
             : name == "explain"   ? req.explain
             : name == "expand"    ? req.expand
             : name == "translate" ? req.translate
                                   : req.collapse_duplicates) = flag;
        } else if (name == "synonyms") {
            // Unset: the server's setting (off by default, eval/README.md); true or false wins.
            if (value == "true" || value == "1")
                req.synonyms = true;
            else if (value == "false" || value == "0")
                req.synonyms = false;
            else
                invalid("parameter 'synonyms' must be true or false");
        } else if (name == "mode") {
            req.mode = search_mode_from_name(value);
            if (!req.mode)
                invalid("parameter 'mode' must be lexical, semantic or hybrid");
        } else if (name == "fusion") {
            req.fusion = fusion_from_name(value);
            if (!req.fusion)
                invalid("parameter 'fusion' must be rrf or convex");
        } else if (name == "vector_weight") {
            // A decimal from 0 to 1 ("0.3"); strtod alone would accept "nan", "1e9", hex.
            if (value.empty() || value.size() > 8 ||
                value.find_first_not_of("0123456789.") != std::string::npos)
                invalid("parameter 'vector_weight' must be a number from 0 to 1");
            const double w = std::strtod(value.c_str(), nullptr);
            if (w < 0 || w > 1)
                invalid("parameter 'vector_weight' must be a number from 0 to 1");
            req.vector_weight = w;
        } else if (name == "highlight_pre" || name == "highlight_post") {
            if (value.size() > kMaxHighlightTagBytes)
                invalid("parameter '" + name + "' is longer than " +
                        std::to_string(kMaxHighlightTagBytes) + " bytes");
            (name == "highlight_pre" ? req.highlight_pre : req.highlight_post) = value;
        }
    }
    if (req.filters.year_from && req.filters.year_to && req.filters.year_from > req.filters.year_to)
        invalid("year_from (" + std::to_string(req.filters.year_from) + ") is after year_to (" +
                std::to_string(req.filters.year_to) + ")");
    if (static_cast<unsigned long>(req.page - 1) * req.size >= kMaxResultDepth)
        invalid("page " + std::to_string(req.page) + " is beyond the first " +
                std::to_string(kMaxResultDepth) + " results; refine the query instead");
    return req;
}

FacetFilters parse_filter_params(const std::vector<std::pair<std::string, std::string>>& params,
                                 const std::set<std::string>& own, const std::string& route) {
    std::vector<std::pair<std::string, std::string>> filters;
    for (const auto& [name, value] : params) {
        if (own.contains(name))
            continue;
        if (!facet_parameter(name) && name != "year_from" && name != "year_to") {
            std::string accepted;
            for (const std::string& o : own)
                accepted += o + ", ";
            invalid("unknown parameter '" + name.substr(0, 60) + "' for " + route +
                    " (accepted: " + accepted +
                    "theme, actor, country, region, type, year_from, year_to; prefix a facet "
                    "with '-' to exclude)");
        }
        filters.emplace_back(name, value);
    }
    return parse_search_params(filters).filters;
}

SearchRequest parse_search_request(const Request& request) {
    return parse_search_params(request.params);
}

void require_known_types(const FacetFilters& filters, const Searcher& searcher) {
    for (const auto* selection : {&filters.include, &filters.exclude})
        if (auto it = selection->find(Facet::Type); it != selection->end())
            for (const std::string& id : it->second)
                if (!searcher.knows(Facet::Type, id))
                    throw Error(ErrorKind::InvalidRequest, "unknown_facet_value",
                                "unknown type '" + id + "' (see GET /facets for known values)");
}

namespace {

// A POST body's fields as (name, value) parameters, each field's type checked: what GET would
// have sent. Every type is checked before any value is, so the first error is the same
// whichever field parser would refuse a value later.
std::vector<std::pair<std::string, std::string>> body_params(const std::string& body) {
    rapidjson::Document doc;
    parse_client_json(doc, body,
                      {"invalid_json", "request body is not valid JSON", "invalid_parameter"});
    if (!doc.IsObject())
        throw Error(ErrorKind::InvalidRequest, "invalid_json",
                    "request body must be a JSON object");
    std::vector<std::pair<std::string, std::string>> params;
    auto scalar = [](const std::string& name, const rapidjson::Value& v) -> std::string {
        if (v.IsString())
            return std::string(v.GetString(), v.GetStringLength());
        if (v.IsInt64())
            return std::to_string(v.GetInt64());
        if (v.IsBool())
            return v.GetBool() ? "true" : "false";
        invalid("field '" + name + "' must be a string, a whole number or a boolean");
    };
    auto facet_values = [&](const rapidjson::Value& filters, const std::string& prefix,
                            const char* field) {
        if (!filters.IsObject())
            invalid(std::string("field '") + field + "' must be an object");
        for (auto it = filters.MemberBegin(); it != filters.MemberEnd(); ++it) {
            const std::string facet(it->name.GetString(), it->name.GetStringLength());
            if (it->value.IsArray()) {
                for (const auto& v : it->value.GetArray())
                    params.emplace_back(prefix + facet, scalar(facet, v));
            } else {
                params.emplace_back(prefix + facet, scalar(facet, it->value));
            }
        }
    };
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string name(it->name.GetString(), it->name.GetStringLength());
        const rapidjson::Value& v = it->value;
        if (name == "filters") {
            facet_values(v, "", "filters");
        } else if (name == "exclude") {
            facet_values(v, "-", "exclude");
        } else if (name == "highlight") {
            if (!v.IsObject())
                invalid("field 'highlight' must be an object with 'pre' and 'post'");
            for (auto h = v.MemberBegin(); h != v.MemberEnd(); ++h) {
                const std::string key(h->name.GetString(), h->name.GetStringLength());
                if (key != "pre" && key != "post")
                    invalid("field 'highlight' takes only 'pre' and 'post', not '" + key + "'");
                params.emplace_back("highlight_" + key, scalar("highlight." + key, h->value));
            }
        } else if (name == "vector_weight" && v.IsNumber()) {
            // The one numeric field that is not a whole number.
            const double w = v.GetDouble();
            if (!(w >= 0 && w <= 1))
                invalid("field 'vector_weight' must be a number from 0 to 1");
            params.emplace_back(name, std::to_string(w).substr(0, 8));
        } else {
            params.emplace_back(name, scalar(name, v));
        }
    }
    return params;
}

} // namespace

SearchRequest parse_search_body(const std::string& body) {
    return parse_search_params(body_params(body));
}

} // namespace kb::http

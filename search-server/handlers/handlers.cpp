#include "search-server/handlers/handlers.h"

#include "core/error.h"
#include "core/search/snippet.h"
#include "core/utf8.h"
#include "search-server/api/search_params.h"
#include "search-server/builtin_http_data.h"
#include "search-server/handlers/citation.h"
#include "search-server/handlers/write_body.h"
#include "search-server/json/json_input.h"
#include "search-server/json/json_output.h"
#include "search-server/json/json_writer.h"
#include "search-server/transport/compression.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace kb::http {
namespace {

const char* const kJson = "application/json; charset=utf-8";
// The most documents one citation request may name: a selection ticked over a few pages.
constexpr std::size_t kMaxCitedIds = 500;

[[noreturn]] void invalid(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

// Only the named parameters are accepted; returns their values by name.
std::map<std::string, std::string> only_params(const Request& request,
                                               std::initializer_list<const char*> names) {
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : request.params) {
        bool known = false;
        for (const char* n : names)
            known = known || name == n;
        if (!known) {
            std::string list;
            for (const char* n : names)
                list += std::string(list.empty() ? "" : ", ") + n;
            invalid("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'" +
                                             (list.empty() ? " (this endpoint takes none)"
                                                           : " (accepted: " + list + ")"));
        }
        if (!values.emplace(name, value).second)
            invalid("invalid_parameter", "parameter '" + name + "' is given more than once");
    }
    return values;
}

unsigned size_param(const std::map<std::string, std::string>& params, unsigned fallback,
                    unsigned max) {
    auto it = params.find("size");
    if (it == params.end())
        return fallback;
    const std::string& v = it->second;
    if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(v) < 1 || std::stoul(v) > max)
        invalid("invalid_parameter", "parameter 'size' must be between 1 and " +
                                         std::to_string(max) + ", got '" + v.substr(0, 20) + "'");
    return static_cast<unsigned>(std::stoul(v));
}

Response search_with(SearchRequest search, const Request& request, Context& context) {
    apply_scope(request, search.filters);
    // The index settings' synonyms and stop words (PATCH /indexes/documents/settings).
    search.vocabulary = context.index_settings.current()->vocabulary;
    context.searcher.refresh(); // see the latest commit without restarting
    require_known_types(search.filters, context.searcher);
    const SearchResult result = context.searcher.search(search);
    // Whether the page was computed or came from the result cache (search.cache_mb).
    return {
        200, kJson, to_json(result, search.filters), {{"X-Cache", result.cached ? "hit" : "miss"}}};
}

std::string base_url(const Request& request, const Settings& settings) {
    if (!settings.public_url.empty())
        return settings.public_url;
    // A Host header is client input: it names the server only when it is one of its own
    // names (server.allowed_hosts) with a numeric port.
    const std::string host = request.header("host");
    const std::size_t colon = host.rfind(':');
    const bool has_port = colon != std::string::npos && host.find(']', colon) == std::string::npos;
    const std::string name = has_port ? host.substr(0, colon) : host;
    const std::string port = has_port ? host.substr(colon + 1) : "";
    std::string lower = name;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool allowed = std::find(settings.allowed_hosts.begin(), settings.allowed_hosts.end(),
                                   lower) != settings.allowed_hosts.end() &&
                         port.size() <= 5 &&
                         port.find_first_not_of("0123456789") == std::string::npos;
    return allowed ? "http://" + lower + (has_port ? ":" + port : "") : settings.listen_url;
}

Record stored_document(Context& context, const std::string& id) {
    validate_document_id(id);
    context.searcher.refresh();
    auto record = context.searcher.document(id);
    if (!record)
        throw Error(ErrorKind::NotFound, "document_not_found", "no document with id '" + id + "'");
    return *record;
}

CitationFormat format_param(const std::string& format_name) {
    auto format = citation_format(format_name);
    if (!format)
        invalid("invalid_parameter", "parameter 'format' must be bibtex, ris or csl-json, got '" +
                                         format_name.substr(0, 40) + "'");
    return *format;
}

Response citations(const std::vector<Record>& records, const std::string& format_name) {
    const CitationFormat format = format_param(format_name);
    return {200, citation_content_type(format), format_citations(records, format), {}};
}

} // namespace

void validate_document_id(const std::string& id) { validate_record_id(id); }

std::uintmax_t directory_bytes(const std::string& path) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec))
            total += it->file_size(ec);
    return total;
}

Response handle_search(const Request& request, Context& context, const RouteMatch&) {
    return search_with(parse_search_request(request), request, context);
}

Response handle_search_post(const Request& request, Context& context, const RouteMatch&) {
    if (!request.params.empty())
        invalid("invalid_parameter", "POST /search takes its parameters in the JSON body");
    return search_with(parse_search_body(request.body), request, context);
}

Response handle_search_cite(const Request& request, Context& context, const RouteMatch&) {
    std::vector<std::pair<std::string, std::string>> params;
    std::string format = "bibtex";
    for (const auto& p : request.params) {
        if (p.first == "format")
            format = p.second;
        else
            params.push_back(p);
    }
    SearchRequest search = parse_search_params(params);
    apply_scope(request, search.filters);
    search.vocabulary = context.index_settings.current()->vocabulary;
    search.facets = false;
    context.searcher.refresh();
    std::vector<Record> records;
    for (const Hit& hit : context.searcher.search(search).hits)
        if (auto r = context.searcher.document(hit.id))
            records.push_back(std::move(*r));
    return citations(records, format);
}

Response handle_suggest(const Request& request, Context& context, const RouteMatch&) {
    // The page's current filters: each suggestion finds something under them.
    FacetFilters filters = parse_filter_params(request.params, {"q", "size"}, "/suggest");
    apply_scope(request, filters);
    require_known_types(filters, context.searcher);
    std::map<std::string, std::string> params;
    for (const auto& [name, value] : request.params)
        if (name == "q" || name == "size")
            if (!params.emplace(name, value).second)
                invalid("invalid_parameter", "parameter '" + name + "' is given more than once");
    auto q = params.find("q");
    if (q == params.end())
        invalid("invalid_parameter", "parameter 'q' is required");
    if (q->second.size() > 200)
        invalid("invalid_parameter", "parameter 'q' is longer than 200 bytes");
    const unsigned size = size_param(params, 8, 20);
    context.searcher.refresh();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("query");
    w.String(q->second.c_str());
    w.Key("suggestions");
    w.StartArray();
    for (const Suggestion& s : context.searcher.suggest(q->second, size, filters)) {
        w.StartObject();
        w.Key("text");
        w.String(s.text.c_str());
        w.Key("kind");
        w.String(s.kind.c_str());
        if (!s.id.empty()) {
            w.Key("id");
            w.String(s.id.c_str());
        }
        if (!s.matched.empty()) {
            w.Key("matched");
            w.String(s.matched.c_str());
        }
        w.Key("count");
        w.Uint64(s.count);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return {200, kJson, buffer.GetString(), {}};
}

Response handle_facets(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    context.searcher.refresh();
    SearchRequest all;
    apply_scope(request, all.filters);
    all.size = 0;
    return {200, kJson, facets_json(context.searcher.search(all)), {}};
}

Response handle_document(const Request& request, Context& context, const RouteMatch& match) {
    only_params(request, {});
    const Record record = stored_document(context, match.id);
    return {200,
            kJson,
            to_json(record, context.searcher.passages(match.id),
                    context.searcher.duplicates_of(match.id), context.searcher.facets_of(match.id)),
            {}};
}

Response handle_similar(const Request& request, Context& context, const RouteMatch& match) {
    const auto params = only_params(request, {"size", "method"});
    validate_document_id(match.id);
    SimilarMethod method = SimilarMethod::Terms;
    if (auto m = params.find("method"); m != params.end()) {
        auto named = similar_method_from_name(m->second);
        if (!named)
            invalid("invalid_parameter", "parameter 'method' must be terms, vectors or hybrid");
        method = *named;
    }
    context.searcher.refresh();
    return {200,
            kJson,
            to_json(context.searcher.similar(match.id, size_param(params, 10, 100), method)),
            {}};
}

Response handle_cite(const Request& request, Context& context, const RouteMatch& match) {
    const auto params = only_params(request, {"format"});
    auto format = params.find("format");
    return citations({stored_document(context, match.id)},
                     format == params.end() ? "bibtex" : format->second);
}

// The ids of GET /cite (comma-separated) or POST /cite ({"ids": [...], "format": "..."}):
// each document once, in the order given; an unknown id is a 404 that names it.
Response cite_ids(Context& context, const std::vector<std::string>& ids,
                  const std::string& format) {
    format_param(format); // a wrong format is said before any id is looked up
    if (ids.empty())
        invalid("invalid_parameter", "parameter 'ids' must name at least one document");
    if (ids.size() > kMaxCitedIds)
        invalid("invalid_parameter", "parameter 'ids' names " + std::to_string(ids.size()) +
                                         " documents, more than the " +
                                         std::to_string(kMaxCitedIds) + " a request may cite");
    std::vector<Record> records;
    std::set<std::string> seen;
    for (const std::string& id : ids)
        if (seen.insert(id).second)
            records.push_back(stored_document(context, id));
    return citations(records, format);
}

Response handle_cite_ids(const Request& request, Context& context, const RouteMatch&) {
    const auto params = only_params(request, {"ids", "format"});
    auto ids = params.find("ids");
    if (ids == params.end())
        invalid("invalid_parameter",
                "parameter 'ids' is required (document ids separated by commas; POST /cite "
                "takes ids that contain a comma)");
    std::vector<std::string> list;
    std::size_t begin = 0;
    const std::string& joined = ids->second;
    while (begin <= joined.size()) {
        std::size_t end = std::min(joined.find(',', begin), joined.size());
        if (end > begin)
            list.push_back(joined.substr(begin, end - begin));
        begin = end + 1;
    }
    auto format = params.find("format");
    return cite_ids(context, list, format == params.end() ? "bibtex" : format->second);
}

Response handle_cite_ids_post(const Request& request, Context& context, const RouteMatch&) {
    if (!request.params.empty())
        invalid("invalid_parameter", "POST /cite takes its parameters in the JSON body");
    rapidjson::Document doc;
    parse_client_json(doc, request.body,
                      {"invalid_json", "request body is not valid JSON", "invalid_parameter"});
    if (!doc.IsObject())
        invalid("invalid_parameter",
                R"(the body must be an object: {"ids": [...], "format": "bibtex"})");
    std::vector<std::string> ids;
    std::string format = "bibtex";
    for (const auto& m : doc.GetObject()) {
        const std::string name(m.name.GetString(), m.name.GetStringLength());
        if (name == "ids" && m.value.IsArray()) {
            for (const auto& v : m.value.GetArray()) {
                if (!v.IsString())
                    invalid("invalid_parameter", "parameter 'ids' must be an array of strings");
                ids.emplace_back(v.GetString(), v.GetStringLength());
            }
        } else if (name == "format" && m.value.IsString()) {
            format.assign(m.value.GetString(), m.value.GetStringLength());
        } else if (name == "ids" || name == "format") {
            invalid("invalid_parameter", "parameter '" + name + "' must be " +
                                             (name == "ids" ? "an array of strings" : "a string"));
        } else {
            invalid("invalid_parameter",
                    "unknown parameter '" + name.substr(0, 60) + "' (accepted: ids, format)");
        }
    }
    return cite_ids(context, ids, format);
}

Response handle_add_documents(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    const std::vector<Record> records = records_from_body(request);
    const WriteSummary s = context.writer.write(records);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    uint_field(w, "added", s.added);
    uint_field(w, "replaced", s.replaced);
    uint_field(w, "unchanged", s.unchanged);
    w.Key("vectors");
    w.String(s.vectors.c_str());
    w.EndObject();
    return {200, kJson, buffer.GetString(), {}};
}

Response handle_delete_document(const Request& request, Context& context, const RouteMatch& match) {
    only_params(request, {});
    validate_document_id(match.id);
    if (!context.writer.remove(match.id))
        throw Error(ErrorKind::NotFound, "document_not_found",
                    "no document with id '" + match.id + "'");
    return {200, kJson, "{\"deleted\":" + std::string("true") + "}", {}};
}

Response handle_health(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    context.searcher.refresh();
    // A shard down is "degraded" with a 200: the server still answers (from the other
    // shards, flagged partial), so a load balancer should keep it; monitoring alerts on it.
    // "available" is Meilisearch's word for a server that answers: its clients' isHealthy()
    // reads this field, on this route.
    const ShardStatus shards = context.searcher.shard_status();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("status");
    w.String(shards.available == 0 ? "unavailable" : shards.partial() ? "degraded" : "available");
    write_shards(w, shards);
    uint_field(w, "documents", context.searcher.document_count());
    const std::string commit = context.searcher.last_commit();
    w.Key("last_commit");
    w.String(commit.c_str());
    // "ready", "none" or "stale": whether semantic and hybrid modes can answer.
    w.Key("vectors");
    w.String(context.searcher.vector_status().c_str());
    // The background rebuild after a write: "idle", "pending" or "running", and its last error.
    w.Key("vectors_refresh");
    w.String(context.writer.vectors().state().c_str());
    const std::string refresh_error = context.writer.vectors().last_error();
    if (!refresh_error.empty()) {
        w.Key("vectors_refresh_error");
        w.String(refresh_error.c_str());
    }
    w.EndObject();
    return {shards.available == 0 ? 503 : 200, kJson, buffer.GetString(), {}};
}

Response handle_metrics(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    context.searcher.refresh();
    return {200,
            "text/plain; version=0.0.4; charset=utf-8",
            context.metrics.render(context.searcher.document_count(),
                                   directory_bytes(context.writer.index_path()),
                                   context.searcher.shard_status()),
            {}};
}

Response handle_openapi(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    std::string doc = builtin_http_data::kOpenApi;
    const std::string marker = "\"url\": \"/\"";
    if (auto at = doc.find(marker); at != std::string::npos)
        doc.replace(at, marker.size(), "\"url\": \"" + base_url(request, context.settings) + "/\"");
    return {200, kJson, doc, {}};
}

Response handle_opensearch(const Request& request, Context& context, const RouteMatch&) {
    only_params(request, {});
    // A host name has no white space, so html_escape's folding of it never applies.
    const std::string base = html_escape(base_url(request, context.settings));
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
        "  <ShortName>Passerelle</ShortName>\n"
        "  <Description>Recherche dans la base documentaire sur l’action internationale des "
        "collectivités territoriales</Description>\n"
        "  <Language>fr-FR</Language>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n"
        "  <OutputEncoding>UTF-8</OutputEncoding>\n"
        "  <Url type=\"text/html\" method=\"get\" template=\"" +
        base +
        "/?q={searchTerms}\"/>\n"
        "  <Url type=\"application/json\" method=\"get\" template=\"" +
        base +
        "/search?q={searchTerms}&amp;page={startPage?}&amp;size={count?}\"/>\n"
        "</OpenSearchDescription>\n";
    return {200, "application/opensearchdescription+xml; charset=utf-8", xml, {}};
}

Response handle_static(const Request& request, Context& context, const RouteMatch&) {
    const StaticFiles::File* file = context.files.find(request.path);
    if (!file)
        throw Error(ErrorKind::NotFound, "not_found", "no such page: " + request.path);
    // The page's files keep their names from one release to the next: a browser keeps them
    // but asks each time (no-cache) whether they changed, and a 304 saves the body.
    const bool gzipped = accepts_gzip(request.header("accept-encoding"));
    const std::string etag =
        gzipped ? file->etag.substr(0, file->etag.size() - 1) + "-gz\"" : file->etag;
    const std::string tag = file->etag.substr(1, file->etag.size() - 2);
    Response r{200, file->content_type, {}, {}};
    if (request.header("if-none-match").find(tag) != std::string::npos)
        r.status = 304;
    else
        r.body = gzipped ? file->gzipped : file->body;
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("ETag", etag);
    vary_on_encoding(r);
    if (gzipped && r.status == 200)
        r.headers.emplace_back("Content-Encoding", "gzip");
    return r;
}

} // namespace kb::http

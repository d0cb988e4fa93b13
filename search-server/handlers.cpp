#include "handlers.h"

#include "error.h"
#include "json_output.h"
#include "search_params.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kb::http {

Response handle_search(const Request& request, Context& context, const std::string&) {
    const SearchRequest search = parse_search_request(request);
    context.searcher.refresh(); // see the latest commit without restarting
    for (const auto* selection : {&search.filters.include, &search.filters.exclude})
        if (auto it = selection->find(Facet::Type); it != selection->end())
            for (const std::string& id : it->second)
                if (!context.searcher.knows(Facet::Type, id))
                    throw Error(ErrorKind::InvalidRequest, "unknown_facet_value",
                                "unknown type '" + id + "' (see GET /facets for known values)");
    return {200, "application/json; charset=utf-8", to_json(context.searcher.search(search)), {}};
}

void validate_document_id(const std::string& id) {
    if (id.empty())
        throw Error(ErrorKind::InvalidRequest, "invalid_id", "document id is empty");
    if (id.size() > 512)
        throw Error(ErrorKind::InvalidRequest, "invalid_id", "document id is longer than 512 bytes");
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f)
            throw Error(ErrorKind::InvalidRequest, "invalid_id",
                        "document id contains a control character");
    const std::string padded = "/" + id + "/";
    if (padded.find("/../") != std::string::npos || padded.find("/./") != std::string::npos)
        throw Error(ErrorKind::InvalidRequest, "invalid_id",
                    "document id contains a '.' or '..' path segment");
}

Response handle_document(const Request& request, Context& context, const std::string& id) {
    if (!request.params.empty())
        throw Error(ErrorKind::InvalidRequest, "invalid_parameter",
                    "unknown parameter '" + request.params.front().first.substr(0, 60) +
                        "' (this endpoint takes none)");
    validate_document_id(id);
    context.searcher.refresh();
    auto record = context.searcher.document(id);
    if (!record)
        throw Error(ErrorKind::NotFound, "document_not_found", "no document with id '" + id + "'");
    return {200, "application/json; charset=utf-8", to_json(*record), {}};
}

Response handle_facets(const Request& request, Context& context, const std::string&) {
    if (!request.params.empty())
        throw Error(ErrorKind::InvalidRequest, "invalid_parameter",
                    "unknown parameter '" + request.params.front().first.substr(0, 60) +
                        "' (this endpoint takes none; use /search for filtered counts)");
    context.searcher.refresh();
    SearchRequest all;
    all.size = 0;
    return {200, "application/json; charset=utf-8", facets_json(context.searcher.search(all)), {}};
}

Response handle_health(const Request&, Context& context, const std::string&) {
    context.searcher.refresh();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("status");
    w.String("ok");
    w.Key("documents");
    w.Uint(context.searcher.document_count());
    const std::string commit = context.searcher.last_commit();
    w.Key("last_commit");
    w.String(commit.c_str());
    w.EndObject();
    return {200, "application/json; charset=utf-8", buffer.GetString(), {}};
}

Response handle_static(const Request& request, Context& context, const std::string&) {
    const StaticFiles::File* file = context.files.find(request.path);
    if (!file) throw Error(ErrorKind::NotFound, "not_found", "no such page: " + request.path);
    Response r{200, file->content_type, file->body, {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

} // namespace kb::http

#include "search-server/meili/meili_documents.h"

#include "core/error.h"
#include "search-server/api/search_params.h"
#include "search-server/handlers/write_body.h"
#include "search-server/meili/answer.h"
#include "search-server/meili/body_access.h"
#include "search-server/meili/filter_builder.h"
#include "search-server/meili/request.h"

#include <rapidjson/document.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb::http {
namespace {

using namespace meili;
using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

/// What a browse asks: a window of the records a filter keeps, and which fields to show.
struct Browse {
    unsigned offset = 0, limit = 20;
    std::optional<std::set<std::string>> fields; ///< nothing: all of them
    FacetFilters filters;
    bool nothing = false; ///< the filter is contradictory
};

// The index uid of "/indexes/{uid}/documents/{id}", whose {id} is the document's.
const std::string& uid_segment(const Request& request) { return request.segments.at(1); }

// A record as a Meilisearch document: the fields of record_from_json, so that what is read
// here and sent back (a partial update) is the same record.
Value record_value(const Record& r, Allocator& a) {
    Value v(rapidjson::kObjectType);
    auto add = [&](const char* name, const std::string& value, bool always = false) {
        if (!value.empty() || always)
            v.AddMember(rapidjson::StringRef(name), Value(value.data(), value.size(), a), a);
    };
    add("id", r.id, true);
    add("title", r.title);
    add("date", r.date);
    add("type", r.type);
    add("publisher", r.publisher);
    add("language", r.language);
    add("url", r.url);
    add("source_file", r.source_file);
    for (const auto& [k, value] : r.metadata)
        v.AddMember(Value(k.data(), k.size(), a), Value(value.data(), value.size(), a), a);
    add("text", r.text, true);
    return v;
}

void write_document(JsonWriter& w, const Record& r, const std::optional<std::set<std::string>>& f) {
    rapidjson::Document holder;
    Value v = record_value(r, holder.GetAllocator());
    if (f && !f->count("*"))
        for (auto it = v.MemberBegin(); it != v.MemberEnd();)
            it = f->count(str(it->name)) ? it + 1 : v.EraseMember(it);
    v.Accept(w);
}

// A browse answer carries whole texts: past kMaxResponseBytes it is refused, not built.
void check_size(const rapidjson::StringBuffer& buffer) {
    if (buffer.GetSize() > kMaxResponseBytes)
        bad("response_too_large", "the answer would be larger than " +
                                      std::to_string(kMaxResponseBytes) +
                                      " bytes: ask for fewer documents (limit) or fewer fields "
                                      "(fields, without text)");
}

unsigned whole(const Value& v, const char* name, const std::string& code) {
    if (!v.IsUint64())
        bad(code,
            std::string("Invalid value type at `.") + name + "`: expected a positive integer");
    return static_cast<unsigned>(std::min<std::uint64_t>(v.GetUint64(), 4000000000u));
}

// Filter errors under the document routes' code.
FacetFilters document_filter(const Value& filter, bool& nothing, Context& context) {
    try {
        return build_filters(filter, nothing, Budget::of(context.settings.ranking.time_limit_ms));
    } catch (const Error& e) {
        if (e.code().rfind("invalid_search_filter", 0) == 0)
            bad("invalid_document_filter", e.message());
        throw;
    }
}

// POST /documents/fetch's body, or GET /documents's parameters made into one.
Browse parse_browse(const Value& body, Context& context) {
    Browse b;
    for (const auto& m : body.GetObject()) {
        const std::string name = str(m.name);
        if (m.value.IsNull())
            continue;
        if (name == "offset") {
            b.offset = whole(m.value, "offset", "invalid_document_offset");
        } else if (name == "limit") {
            b.limit = std::min(whole(m.value, "limit", "invalid_document_limit"), kMaxLimit);
        } else if (name == "fields") {
            if (!m.value.IsArray())
                bad("invalid_document_fields",
                    "Invalid value type at `.fields`: expected an array of strings");
            b.fields.emplace();
            for (const Value& f : m.value.GetArray()) {
                if (!f.IsString())
                    bad("invalid_document_fields",
                        "Invalid value type at `.fields`: expected an array of strings");
                b.fields->insert(str(f));
            }
        } else if (name == "filter") {
            b.filters = document_filter(m.value, b.nothing, context);
        } else if (name == "retrieveVectors") { // documents carry no _vectors: nothing to add
            if (!m.value.IsBool())
                bad("invalid_document_retrieve_vectors",
                    "Invalid value type at `.retrieveVectors`: expected a boolean");
        } else {
            bad("bad_request", "Unknown field `" + name.substr(0, 60) +
                                   "`: expected one of `offset`, `limit`, `fields`, `filter`, "
                                   "`retrieveVectors`");
        }
    }
    return b;
}

// Query parameters as the JSON body they stand for: numbers, comma lists, strings.
rapidjson::Document params_body(const Request& request, const std::set<std::string>& numbers) {
    rapidjson::Document body;
    body.SetObject();
    auto& a = body.GetAllocator();
    for (const auto& [name, value] : request.params) {
        if (body.HasMember(name.c_str()))
            bad("bad_request", "parameter `" + name.substr(0, 60) + "` is given more than once");
        Value v;
        if (numbers.count(name)) {
            if (value.empty() || value.size() > 10 ||
                value.find_first_not_of("0123456789") != std::string::npos)
                bad("invalid_document_" + name, "Invalid value in parameter `" + name +
                                                    "`: could not parse `" + value.substr(0, 20) +
                                                    "` as a positive integer");
            v.SetUint64(std::stoull(value));
        } else if (name == "fields") {
            v.SetArray();
            for (std::size_t begin = 0; begin <= value.size();) {
                const std::size_t end = std::min(value.find(',', begin), value.size());
                if (end > begin)
                    v.PushBack(Value(value.data() + begin, end - begin, a), a);
                begin = end + 1;
            }
        } else if (name == "retrieveVectors") {
            v.SetBool(value == "true");
        } else {
            v.SetString(value.data(), static_cast<rapidjson::SizeType>(value.size()), a);
        }
        body.AddMember(Value(name.data(), name.size(), a), v, a);
    }
    return body;
}

// Every record, newest first as an empty query lists them: no snippets, no facets, no
// collapsing of near-duplicates (each record is a document of its own here).
SearchRequest browse_request(const FacetFilters& filters) {
    SearchRequest s;
    s.filters = filters;
    s.facets = false;
    s.snippets = false;
    s.collapse_duplicates = false;
    s.expand = false;
    s.translate = false;
    s.mode = SearchMode::Lexical;
    return s;
}

Response browse(const Browse& b, Context& context) {
    MeiliQuery m;
    m.search = browse_request(b.filters);
    m.nothing = b.nothing;
    m.offset = b.offset;
    m.limit = b.limit;
    const Answer a = run(m, context); // refreshes; types checked; capped at kMaxResultDepth
    // Without a filter the count is the index's; with one it is the engine's, exact up to a
    // few thousand matches and a lower bound beyond (lexical.cpp).
    const std::uint64_t total = b.nothing           ? 0
                                : b.filters.empty() ? context.searcher.document_count()
                                                    : a.result.total;
    if (total > kMaxResultDepth && std::uint64_t{b.offset} + b.limit > kMaxResultDepth)
        bad("invalid_document_offset",
            "browsing reaches the first " + std::to_string(kMaxResultDepth) + " of the " +
                std::to_string(total) + " documents (offset + limit); narrow it with a filter");
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("results");
    w.StartArray();
    for (const Hit& h : a.result.hits)
        if (auto record = context.searcher.document(h.id)) {
            write_document(w, *record, b.fields);
            check_size(buffer);
        }
    w.EndArray();
    uint_field(w, "offset", b.offset);
    uint_field(w, "limit", b.limit);
    uint_field(w, "total", total);
    w.EndObject();
    return json_answer(buffer);
}

// The ids of every record the filters keep, as the write lock holder sees the index.
std::vector<std::string> matching_ids(Context& context, const FacetFilters& filters) {
    context.searcher.refresh();
    SearchRequest s = browse_request(filters);
    s.size = static_cast<unsigned>(context.searcher.document_count());
    if (s.size == 0)
        return {};
    const SearchResult r = context.searcher.search(s);
    if (r.timed_out || r.shards.partial())
        throw Error(ErrorKind::Unavailable, "incomplete_match",
                    "the documents to delete could not all be found (a shard is down or the "
                    "search took longer than search.time_limit_ms): nothing was deleted");
    std::vector<std::string> ids;
    for (const Hit& h : r.hits)
        ids.push_back(h.id);
    return ids;
}

// A write's body as JSON values; what cannot be read at all is a 400, as Meilisearch says it.
rapidjson::Document body_values(const Request& request) {
    try {
        return values_from_body(request);
    } catch (const Error& e) {
        if (e.code() == "empty_body")
            bad("missing_payload", "A json payload is missing.");
        if (e.code() == "invalid_json")
            bad("malformed_payload", e.message());
        throw;
    }
}

// The one primary key: `primaryKey` may only repeat it.
void check_write_params(const Request& request) {
    for (const auto& [name, value] : request.params) {
        if (name != "primaryKey")
            bad("bad_request",
                "Unknown parameter `" + name.substr(0, 60) + "`: expected `primaryKey`");
        if (value != "id")
            bad("index_primary_key_already_exists",
                "the primary key of `documents` is `id`, not `" + value.substr(0, 60) + "`");
    }
}

// PUT: the stored record with the fields `given` names replaced; a new id is added as given.
Record merged_record(const Value& given, std::size_t index, Searcher& searcher) {
    const Value* id = given.IsObject() ? member(given, "id") : nullptr;
    std::string key;
    if (id && id->IsString())
        key = str(*id);
    else if (id && id->IsUint64())
        key = std::to_string(id->GetUint64());
    std::optional<Record> stored;
    try {
        validate_record_id(key);
        stored = searcher.document(key);
    } catch (const Error&) { // record_at says what is wrong with it
    }
    if (!stored)
        return record_at(given, index);
    rapidjson::Document holder;
    auto& a = holder.GetAllocator();
    Value merged = record_value(*stored, a);
    for (const auto& m : given.GetObject()) {
        Value copy(m.value, a);
        if (auto it = merged.FindMember(m.name); it != merged.MemberEnd())
            it->value = copy;
        else
            merged.AddMember(Value(m.name, a), copy, a);
    }
    Record r = record_at(merged, index);
    if (!given.HasMember("text")) // the same text: its headings still start where they did
        r.sections = stored->sections;
    return r;
}

Response add_or_update(const Request& request, Context& context, const RouteMatch& match,
                       bool partial) {
    const auto enqueued = TaskClock::now();
    check_index(match.id);
    check_write_params(request);
    const rapidjson::Document values = body_values(request);
    TaskDetails asked;
    asked.received_documents = values.Size();
    const Task task = run_task(
        context.tasks, TaskType::DocumentAdditionOrUpdate, asked, enqueued, [&](TaskDetails& d) {
            WriteSummary s;
            if (partial) { // merged under the write lock, with the latest commit's records
                s = context.writer.write_built([&] {
                    context.searcher.refresh();
                    std::vector<Record> records;
                    for (rapidjson::SizeType i = 0; i < values.Size(); ++i)
                        records.push_back(merged_record(values[i], i, context.searcher));
                    return records;
                });
            } else {
                std::vector<Record> records;
                for (rapidjson::SizeType i = 0; i < values.Size(); ++i)
                    records.push_back(record_at(values[i], i));
                s = context.writer.write(records);
            }
            d.indexed_documents = s.added + s.replaced + s.unchanged;
        });
    return task_response(task);
}

Response delete_task(Context& context, TaskClock::time_point enqueued, TaskDetails asked,
                     const std::function<std::vector<std::string>()>& find) {
    const Task task =
        run_task(context.tasks, TaskType::DocumentDeletion, asked, enqueued,
                 [&](TaskDetails& d) { d.deleted_documents = context.writer.remove_found(find); });
    return task_response(task);
}

} // namespace

Response handle_meili_documents(const Request& request, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        const rapidjson::Document body = params_body(request, {"offset", "limit"});
        return browse(parse_browse(body, context), context);
    });
}

Response handle_meili_fetch_documents(const Request& request, Context& context,
                                      const RouteMatch& match) {
    return meili_answer([&] {
        check_index(match.id);
        no_params(request);
        const rapidjson::Document body = parse_body(request);
        return browse(parse_browse(body, context), context);
    });
}

Response handle_meili_document(const Request& request, Context& context, const RouteMatch& match) {
    return meili_answer([&] {
        check_index(uid_segment(request));
        for (const auto& [name, value] : request.params)
            if (name != "fields" && name != "retrieveVectors")
                bad("bad_request", "Unknown parameter `" + name.substr(0, 60) +
                                       "`: expected one of `fields`, `retrieveVectors`");
        const Browse b = parse_browse(params_body(request, {}), context);
        try {
            validate_record_id(match.id);
        } catch (const Error& e) {
            bad("invalid_document_id", e.message());
        }
        context.searcher.refresh();
        const std::optional<Record> record = context.searcher.document(match.id);
        if (!record)
            throw Error(ErrorKind::NotFound, "document_not_found",
                        "Document `" + match.id.substr(0, 200) + "` not found.");
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        write_document(w, *record, b.fields);
        return json_answer(buffer);
    });
}

Response handle_meili_add_documents(const Request& request, Context& context,
                                    const RouteMatch& match) {
    return meili_answer([&] { return add_or_update(request, context, match, false); });
}

Response handle_meili_update_documents(const Request& request, Context& context,
                                       const RouteMatch& match) {
    return meili_answer([&] { return add_or_update(request, context, match, true); });
}

Response handle_meili_delete_document(const Request& request, Context& context,
                                      const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(uid_segment(request));
        no_params(request);
        TaskDetails asked;
        asked.provided_ids = 1;
        return delete_task(context, enqueued, asked, [&] {
            validate_record_id(match.id);
            return std::vector<std::string>{match.id};
        });
    });
}

Response handle_meili_delete_batch(const Request& request, Context& context,
                                   const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(match.id);
        no_params(request);
        if (request.body.empty())
            bad("missing_payload", "A json payload is missing.");
        rapidjson::Document body;
        parse_client_json(body, request.body, kJsonCodes);
        const char* expected = "expected an array of document ids (strings or integers)";
        if (!body.IsArray())
            bad("bad_request", std::string("Invalid value type: ") + expected);
        std::vector<std::string> ids;
        for (const Value& v : body.GetArray()) {
            if (v.IsString())
                ids.push_back(str(v));
            else if (v.IsUint64())
                ids.push_back(std::to_string(v.GetUint64()));
            else
                bad("bad_request", std::string("Invalid value in the array: ") + expected);
        }
        TaskDetails asked;
        asked.provided_ids = ids.size();
        return delete_task(context, enqueued, asked, [&] {
            for (const std::string& id : ids)
                validate_record_id(id);
            return ids;
        });
    });
}

Response handle_meili_delete_by_filter(const Request& request, Context& context,
                                       const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(match.id);
        no_params(request);
        const rapidjson::Document body = parse_body(request);
        for (const auto& m : body.GetObject())
            if (str(m.name) != "filter")
                bad("bad_request",
                    "Unknown field `" + str(m.name).substr(0, 60) + "`: expected `filter`");
        const Value* filter = member(body, "filter");
        if (!filter)
            bad("missing_document_filter", "Missing field `filter`");
        bool nothing = false;
        const FacetFilters filters = document_filter(*filter, nothing, context);
        context.searcher.refresh();
        require_known_types(filters, context.searcher);
        rapidjson::StringBuffer shown; // the filter as Meilisearch reports it: its JSON
        JsonWriter fw(shown);
        filter->Accept(fw);
        TaskDetails asked;
        asked.original_filter = json_text(shown);
        return delete_task(context, enqueued, asked, [&] {
            return nothing ? std::vector<std::string>{} : matching_ids(context, filters);
        });
    });
}

Response handle_meili_delete_all(const Request& request, Context& context,
                                 const RouteMatch& match) {
    return meili_answer([&] {
        const auto enqueued = TaskClock::now();
        check_index(match.id);
        no_params(request);
        return delete_task(context, enqueued, TaskDetails{},
                           [&] { return matching_ids(context, FacetFilters{}); });
    });
}

} // namespace kb::http

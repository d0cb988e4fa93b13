#include "indexer/readers/jsonl_reader.h"

#include "core/error.h"
#include "core/record_fields.h"
#include "core/utf8.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <charconv>

namespace kb {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, "invalid_record", message);
}

std::string scalar_to_string(const rapidjson::Value& v) {
    if (v.IsString())
        return std::string(v.GetString(), v.GetStringLength());
    if (v.IsInt64())
        return std::to_string(v.GetInt64());
    if (v.IsUint64())
        return std::to_string(v.GetUint64());
    if (v.IsDouble()) { // the shortest form that reads back the same: 1.5, not 1.500000
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.GetDouble());
        return std::string(buf, r.ptr);
    }
    if (v.IsBool())
        return v.GetBool() ? "true" : "false";
    return {};
}

} // namespace

Record parse_json_record(std::string_view json) {
    rapidjson::Document doc;
    // kParseStopWhenDoneFlag is not set: trailing garbage after the object is an error.
    // The iterative parser keeps its own stack: rapidjson's default one recurses once per
    // nesting level, and a line of a million '[' would overflow the call stack.
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                      json.size());
    if (doc.HasParseError())
        invalid(std::string("invalid JSON at offset ") + std::to_string(doc.GetErrorOffset()) +
                ": " + rapidjson::GetParseError_En(doc.GetParseError()));
    return record_from_json(doc);
}

Record record_from_json(const rapidjson::Value& doc) {
    if (!doc.IsObject())
        invalid("expected a JSON object");

    Record r;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        const rapidjson::Value& v = it->value;
        if (v.IsNull())
            continue;
        if (v.IsObject() || v.IsArray()) {
            if (v.IsArray()) { // lists of strings are kept, joined, as metadata
                std::string joined;
                for (const auto& item : v.GetArray()) {
                    if (!item.IsString())
                        invalid("field '" + key + "' must be a list of strings");
                    if (!joined.empty())
                        joined += "; ";
                    joined.append(item.GetString(), item.GetStringLength()); // NULs kept:
                                                                             // refused below
                }
                r.metadata[key] = joined;
                continue;
            }
            invalid("field '" + key + "' must not be an object");
        }
        if (key == "id" && !(v.IsString() || v.IsInt64() || v.IsUint64()))
            invalid("field 'id' must be a string or a whole number");
        const std::string value = scalar_to_string(v);
        if (std::string* field = named_field(r, key))
            *field = value;
        else
            r.metadata[key] = value;
    }
    if (r.id.empty())
        invalid("missing required field 'id'");
    if (!doc.HasMember("text") || !doc["text"].IsString())
        invalid("missing required string field 'text'");
    try {
        validate_record(r);
    } catch (const Error& e) {
        invalid(e.what());
    }
    return r;
}

void parse_jsonl(std::string_view content, const std::string& source,
                 const std::function<void(Record&&)>& on_record,
                 const std::function<void(ReadProblem&&)>& on_problem) {
    std::size_t start = 0, line_no = 0;
    while (start < content.size()) {
        ++line_no;
        std::size_t nl = content.find('\n', start);
        std::string_view line =
            content.substr(start, nl == content.npos ? content.npos : nl - start);
        start = nl == content.npos ? content.size() : nl + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        try {
            // A record's text is bounded (kMaxTextBytes) before its JSON is parsed: a 20 MB
            // line would take over half a gigabyte through the DOM and the analysis.
            if (line.size() > kMaxTextBytes + std::size_t{64} * 1024)
                invalid("line is " + std::to_string(line.size()) + " bytes, over the limit of " +
                        std::to_string(kMaxTextBytes + std::size_t{64} * 1024) + " for one record");
            if (!is_valid_utf8(line))
                invalid("line is not valid UTF-8");
            on_record(parse_json_record(line));
        } catch (const Error& e) {
            on_problem({source, line_no, e.what()});
        }
    }
}

} // namespace kb

#include "search-server/handlers/write_body.h"

#include "core/error.h"
#include "indexer/readers/jsonl_reader.h"
#include "search-server/json/json_input.h"

#include <rapidjson/error/en.h>

#include <string>
#include <string_view>

namespace kb::http {
namespace {

[[noreturn]] void invalid(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

bool is_json_lines(const Request& request) {
    const std::string type = request.header("content-type");
    return type.find("ndjson") != std::string::npos || type.find("jsonl") != std::string::npos;
}

void require_body(const Request& request) {
    if (request.body.empty())
        invalid("empty_body", "send a JSON object, a JSON array or JSON Lines");
}

// The iterative parser: a body of a million '[' must not overflow the stack.
void parse_json(rapidjson::Document& doc, std::string_view text, const std::string& where) {
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(),
                                                                                      text.size());
    if (doc.HasParseError())
        invalid("invalid_json", where + " is not valid JSON (offset " +
                                    std::to_string(doc.GetErrorOffset()) +
                                    "): " + rapidjson::GetParseError_En(doc.GetParseError()));
}

void finish(Record& r) {
    validate_record_id(r.id);
    if (r.source_file.empty())
        r.source_file = "api";
}

} // namespace

Record record_at(const rapidjson::Value& value, std::size_t index) {
    Record r;
    try {
        r = record_from_json(value);
    } catch (const Error& e) {
        invalid("invalid_record",
                "nothing was written: record " + std::to_string(index) + ": " + e.what());
    }
    finish(r);
    return r;
}

std::vector<Record> records_from_body(const Request& request) {
    require_body(request);
    std::vector<Record> records;
    if (is_json_lines(request)) {
        std::vector<std::string> problems;
        parse_jsonl(
            request.body, "body", [&](Record&& r) { records.push_back(std::move(r)); },
            [&](ReadProblem&& p) { problems.push_back(p.to_string()); });
        if (!problems.empty())
            invalid("invalid_record",
                    "nothing was written: " + problems.front() +
                        (problems.size() > 1
                             ? " (and " + std::to_string(problems.size() - 1) + " more)"
                             : ""));
        for (Record& r : records)
            finish(r);
    } else {
        rapidjson::Document doc;
        parse_json(doc, request.body, "request body");
        if (doc.IsArray()) {
            std::size_t i = 0;
            for (const auto& v : doc.GetArray())
                records.push_back(record_at(v, i++));
        } else {
            records.push_back(record_at(doc, 0));
        }
    }
    if (records.empty())
        invalid("empty_body", "no record in the body");
    return records;
}

rapidjson::Document values_from_body(const Request& request) {
    require_body(request);
    rapidjson::Document out;
    out.SetArray();
    auto add = [&](const rapidjson::Value& v) {
        // Copying recurses: the depth is bounded first (no record nests more than 2 levels).
        check_client_json(v, "invalid_record");
        out.PushBack(rapidjson::Value(v, out.GetAllocator()), out.GetAllocator());
    };
    if (is_json_lines(request)) {
        std::size_t start = 0, line = 0;
        const std::string_view body = request.body;
        while (start < body.size()) {
            ++line;
            const std::size_t nl = std::min(body.find('\n', start), body.size());
            const std::string_view text = body.substr(start, nl - start);
            start = nl + 1;
            if (text.find_first_not_of(" \t\r") == std::string_view::npos)
                continue;
            rapidjson::Document doc;
            parse_json(doc, text, "line " + std::to_string(line));
            add(doc);
        }
    } else {
        rapidjson::Document doc;
        parse_json(doc, request.body, "request body");
        if (doc.IsArray())
            for (const auto& v : doc.GetArray())
                add(v);
        else
            add(doc);
    }
    if (out.Empty())
        invalid("empty_body", "no record in the body");
    return out;
}

} // namespace kb::http

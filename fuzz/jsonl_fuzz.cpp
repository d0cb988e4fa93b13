// kb::parse_jsonl on arbitrary bytes: a malformed line is reported through on_problem with its
// line number and skipped, "never stopping the file", so nothing may escape; every record has
// an id. The whole input also goes to kb::parse_json_record (POST /documents), which may only
// throw kb::Error.

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "indexer/readers/jsonl_reader.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view content(reinterpret_cast<const char*>(data), size);
    const std::size_t lines = std::count(content.begin(), content.end(), '\n') + 1;
    try {
        kb::parse_jsonl(
            content, "fuzz.jsonl",
            [](kb::Record&& r) {
                if (r.id.empty())
                    kb::fuzz::fail("parse_jsonl produced a record without an id");
            },
            [&](kb::ReadProblem&& p) {
                if (p.line == 0 || p.line > lines)
                    kb::fuzz::fail("problem on line " + std::to_string(p.line) + " of " +
                                   std::to_string(lines) + ": " + p.reason);
            });
    } catch (...) {
        kb::fuzz::unexpected_exception("parse_jsonl");
    }
    try {
        (void)kb::parse_json_record(content);
    } catch (const kb::Error&) {
    } catch (...) {
        kb::fuzz::unexpected_exception("parse_json_record");
    }
    return 0;
}

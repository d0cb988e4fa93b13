// kb::parse_markdown (front matter: YAML by yaml-cpp, TOML by toml++) and kb::parse_plain_text on
// arbitrary bytes. A malformed front matter is kb::Error("malformed_front_matter"); nothing else
// may escape, and a parsed record always has an id.

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "indexer/readers/markdown_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view content(reinterpret_cast<const char*>(data), size);
    try {
        const kb::Record r = kb::parse_markdown(content, "fuzz.md", "fuzz-default-id");
        if (r.id.empty())
            kb::fuzz::fail("parse_markdown returned a record without an id");
    } catch (const kb::Error&) {
    } catch (...) {
        kb::fuzz::unexpected_exception("parse_markdown");
    }
    try {
        const kb::Record r = kb::parse_plain_text(content, "fuzz-default-id");
        if (r.id.empty())
            kb::fuzz::fail("parse_plain_text returned a record without an id");
    } catch (...) {
        kb::fuzz::unexpected_exception("parse_plain_text");
    }
    return 0;
}

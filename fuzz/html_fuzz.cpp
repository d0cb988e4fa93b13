// kb::parse_html on arbitrary bytes (any encoding, <meta charset> honoured, jusText-style
// boilerplate removal). "Never throws on malformed markup": the only exception accepted is an
// InvalidRequest kb::Error (input the reader refuses, such as text too large to convert).

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "indexer/readers/html_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view content(reinterpret_cast<const char*>(data), size);
    try {
        const kb::Record r = kb::parse_html(content, "fuzz-default-id");
        if (r.id.empty())
            kb::fuzz::fail("parse_html returned a record without an id");
    } catch (const kb::Error& e) {
        if (e.kind() != kb::ErrorKind::InvalidRequest)
            kb::fuzz::fail("parse_html threw kb::Error " + e.code() + ": " + e.what());
    } catch (...) {
        kb::fuzz::unexpected_exception("parse_html");
    }
    return 0;
}

#pragma once

#include <string>
#include <string_view>

namespace kb {

/// Text converted to UTF-8 and the name of the encoding it was read in.
struct DecodedText {
    std::string text;
    std::string encoding; ///< "UTF-8", "windows-1252", "ISO-8859-1", "ISO-8859-15", "UTF-16LE"...
};

/// Converts text in a common encoding to UTF-8. Valid UTF-8 is returned as is (a BOM is
/// removed). Otherwise `declared` (e.g. an HTML <meta charset>) is used when it names a
/// supported encoding, else ICU's detector picks among UTF-16 (with a BOM), windows-1252,
/// ISO-8859-1 and ISO-8859-15 — windows-1252 when bytes 0x80–0x9F occur, because in
/// ISO-8859-x they are control characters while Windows puts ’ “ ” – € there. Whatever the
/// detector says, single-byte text falls back to windows-1252, which decodes any byte.
/// Throws kb::Error(Internal) only when ICU itself fails.
DecodedText to_utf8(std::string_view bytes, std::string_view declared = {});

/// True when the first 8 KiB contain a NUL byte and no UTF-16 byte order mark: a binary file.
bool looks_binary(std::string_view bytes);

} // namespace kb

#include "indexer/readers/charset.h"

#include "core/ascii.h"
#include "core/error.h"
#include "core/utf8.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace kb {
namespace {

constexpr std::size_t kSniffBytes = std::size_t{8} * 1024;

bool has_c1_bytes(std::string_view bytes) {
    return std::any_of(bytes.begin(), bytes.end(), [](char c) {
        auto b = static_cast<unsigned char>(c);
        return b >= 0x80 && b <= 0x9F;
    });
}

// The encodings we accept, by the names ICU and HTML use; "" when not one of them.
std::string canonical(std::string_view name) {
    const std::string n = ascii_lower(name);
    if (n == "utf-8" || n == "utf8")
        return "UTF-8";
    if (n == "windows-1252" || n == "cp1252" || n == "x-cp1252")
        return "windows-1252";
    // HTML5 reads a declared latin1 as windows-1252 for the same reason we do.
    if (n == "iso-8859-1" || n == "latin1" || n == "iso8859-1" || n == "latin-1")
        return "ISO-8859-1";
    if (n == "iso-8859-15" || n == "latin9" || n == "iso8859-15")
        return "ISO-8859-15";
    if (n == "utf-16le")
        return "UTF-16LE";
    if (n == "utf-16be")
        return "UTF-16BE";
    return {};
}

std::string detect(std::string_view bytes) {
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
        static_cast<unsigned char>(bytes[1]) == 0xFE)
        return "UTF-16LE";
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
        static_cast<unsigned char>(bytes[1]) == 0xFF)
        return "UTF-16BE";
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                        &ucsdet_close);
    if (U_FAILURE(status))
        return "windows-1252";
    // The detector only needs a sample; it is statistical and costs time on big files.
    const auto sample =
        static_cast<int32_t>(std::min<std::size_t>(bytes.size(), std::size_t{64} * 1024));
    ucsdet_setText(detector.get(), bytes.data(), sample, &status);
    int32_t count = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
    if (U_FAILURE(status))
        return "windows-1252";
    for (int32_t i = 0; i < count; ++i) {
        UErrorCode s = U_ZERO_ERROR;
        const char* name = ucsdet_getName(matches[i], &s);
        if (U_FAILURE(s) || !name)
            continue;
        std::string c = canonical(name);
        // UTF-8 was already ruled out by the validity check; UTF-16 needs a BOM here.
        if (c == "windows-1252" || c == "ISO-8859-1" || c == "ISO-8859-15")
            return c;
    }
    return "windows-1252";
}

} // namespace

bool looks_binary(std::string_view bytes) {
    if (bytes.size() >= 2 && ((static_cast<unsigned char>(bytes[0]) == 0xFF &&
                               static_cast<unsigned char>(bytes[1]) == 0xFE) ||
                              (static_cast<unsigned char>(bytes[0]) == 0xFE &&
                               static_cast<unsigned char>(bytes[1]) == 0xFF)))
        return false;
    return bytes.substr(0, kSniffBytes).find('\0') != std::string_view::npos;
}

DecodedText to_utf8(std::string_view bytes, std::string_view declared) {
    if (is_valid_utf8(bytes)) {
        if (bytes.rfind("\xEF\xBB\xBF", 0) == 0)
            bytes.remove_prefix(3);
        return {std::string(bytes), "UTF-8"};
    }
    std::string encoding = canonical(declared);
    if (encoding.empty() || encoding == "UTF-8")
        encoding = detect(bytes);
    if ((encoding == "ISO-8859-1" || encoding == "ISO-8859-15") && has_c1_bytes(bytes))
        encoding = "windows-1252";
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        throw Error(ErrorKind::InvalidRequest, "too_large", "text too large to convert");
    icu::UnicodeString unicode(bytes.data(), static_cast<int32_t>(bytes.size()), encoding.c_str());
    if (unicode.isBogus())
        throw Error(ErrorKind::Internal, "icu_error", "ICU cannot convert from " + encoding);
    if (!unicode.isEmpty() && unicode.charAt(0) == 0xFEFF)
        unicode.remove(0, 1);
    DecodedText out;
    unicode.toUTF8String(out.text);
    out.encoding = encoding;
    return out;
}

} // namespace kb

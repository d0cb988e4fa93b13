#pragma once

// The writer every JSON answer is built with, and the one way a string member is written.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>

namespace kb::http {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// `"name": "value"`, the value whole (even past a NUL).
inline void field(JsonWriter& w, const char* name, const std::string& value) {
    w.Key(name);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

/// `"name": n`, a whole number.
inline void uint_field(JsonWriter& w, const char* name, std::uint64_t n) {
    w.Key(name);
    w.Uint64(n);
}

/// `"name": true|false`.
inline void bool_field(JsonWriter& w, const char* name, bool b) {
    w.Key(name);
    w.Bool(b);
}

/// The text the writer built.
inline std::string json_text(const rapidjson::StringBuffer& buffer) {
    return std::string(buffer.GetString(), buffer.GetSize());
}

} // namespace kb::http

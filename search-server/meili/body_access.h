#pragma once

// What every part of the Meilisearch layer needs to read a body: refusing it (kb::Error
// InvalidRequest with Meilisearch's error code) and reaching its members.

#include "core/error.h"

#include <rapidjson/document.h>

#include <string>

namespace kb::http::meili {

/// Refuses the request with Meilisearch's error `code` (answered as a 400).
[[noreturn]] inline void bad(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

/// A JSON string value, whole (even past a NUL).
inline std::string str(const rapidjson::Value& v) {
    return std::string(v.GetString(), v.GetStringLength());
}

/// The member `name` of an object, or nullptr when it is absent or null (Meilisearch reads a
/// null field as an absent one).
inline const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull())
        return nullptr;
    return &it->value;
}

} // namespace kb::http::meili

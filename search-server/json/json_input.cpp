#include "search-server/json/json_input.h"

#include "core/error.h"

#include <rapidjson/error/en.h>

#include <string>
#include <vector>

namespace kb::http {
namespace {

struct Frame {
    const rapidjson::Value* value;
    rapidjson::SizeType next = 0; ///< the next member or element to visit
};

// A member name as shown in a path: shortened, and a NUL spelled out (a message must not carry
// the very byte it refuses).
std::string shown(const char* s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && out.size() < 60; ++i)
        out += s[i] == '\0' ? std::string("\\u0000") : std::string(1, s[i]);
    return out;
}

// ".queries[2].q": where the walk stands. Each frame's `next` has already moved past the child
// being looked at.
std::string path(const std::vector<Frame>& stack) {
    std::string out;
    for (const Frame& f : stack) {
        const rapidjson::Value& v = *f.value;
        const rapidjson::SizeType at = f.next - 1;
        if (v.IsObject()) {
            const auto m = v.MemberBegin() + at;
            out += "." + shown(m->name.GetString(), m->name.GetStringLength());
        } else {
            out += "[" + std::to_string(at) + "]";
        }
    }
    return out.empty() ? "the body" : "`" + out + "`";
}

bool has_nul(const rapidjson::Value& s) {
    return std::string_view(s.GetString(), s.GetStringLength()).find('\0') !=
           std::string_view::npos;
}

} // namespace

void check_client_json(const rapidjson::Value& root, const char* invalid_code) {
    auto refuse = [&](const std::string& message) {
        throw Error(ErrorKind::InvalidRequest, invalid_code, message);
    };
    if (root.IsString() && has_nul(root))
        refuse("the body contains a NUL character (\\u0000), which no text may contain");
    if (!root.IsObject() && !root.IsArray())
        return;
    std::vector<Frame> stack{{&root}};
    while (!stack.empty()) {
        Frame& f = stack.back();
        const rapidjson::Value& v = *f.value;
        const rapidjson::Value* child = nullptr;
        bool name_has_nul = false;
        if (v.IsObject()) {
            if (f.next < v.MemberCount()) {
                const auto m = v.MemberBegin() + f.next;
                name_has_nul = has_nul(m->name);
                child = &m->value;
            }
        } else if (f.next < v.Size()) {
            child = &v[f.next];
        }
        if (!child) {
            stack.pop_back();
            continue;
        }
        ++f.next; // before push_back, which may move the frames
        if (name_has_nul)
            refuse("a member name at " + path(stack) +
                   " contains a NUL character (\\u0000), which no text may contain");
        if (child->IsString() && has_nul(*child))
            refuse(path(stack) + " contains a NUL character (\\u0000), which no text may contain");
        if (child->IsObject() || child->IsArray()) {
            if (stack.size() >= kMaxJsonDepth)
                refuse("the body nests arrays and objects deeper than " +
                       std::to_string(kMaxJsonDepth) + " levels (at " + path(stack) + ")");
            stack.push_back({child});
        }
    }
}

void parse_client_json(rapidjson::Document& doc, std::string_view body, JsonErrorCodes codes) {
    // Iterative parsing: deeply nested input cannot exhaust the stack while parsing.
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                      body.size());
    if (doc.HasParseError())
        throw Error(ErrorKind::InvalidRequest, codes.malformed,
                    std::string(codes.malformed_message) + " (offset " +
                        std::to_string(doc.GetErrorOffset()) +
                        "): " + rapidjson::GetParseError_En(doc.GetParseError()));
    check_client_json(doc, codes.invalid);
}

} // namespace kb::http

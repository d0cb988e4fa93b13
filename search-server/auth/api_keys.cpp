#include "search-server/auth/api_keys.h"

#include "core/error.h"
#include "search-server/json/json_writer.h"

#include <Poco/UUIDGenerator.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace kb::http {
namespace {

constexpr std::size_t kMaxKeys = 10000;
constexpr std::size_t kMaxTextBytes = 1000;

[[noreturn]] void bad(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

std::string random_secret() {
    std::random_device device; // getrandom(2) on Linux
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i) { // 8 × 32 random bits: 64 hex digits, as Meilisearch's keys
        const unsigned v = device();
        for (int k = 0; k < 4; ++k)
            out += hex[(v >> (k * 8)) & 0xF], out += hex[(v >> (k * 8 + 4)) & 0xF];
    }
    return out;
}

std::vector<std::string> string_list(const rapidjson::Value& v, const std::string& field,
                                     const std::string& code) {
    if (!v.IsArray())
        bad(code, "Invalid value type at `." + field + "`: expected an array");
    std::vector<std::string> out;
    for (const auto& item : v.GetArray()) {
        if (!item.IsString())
            bad(code, "Invalid value type at `." + field + "[" + std::to_string(out.size()) +
                          "]`: expected a string");
        out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

std::string text_field(const rapidjson::Value& body, const char* name, const std::string& code) {
    auto it = body.FindMember(name);
    if (it == body.MemberEnd() || it->value.IsNull())
        return "";
    if (!it->value.IsString())
        bad(code, std::string("Invalid value type at `.") + name + "`: expected a string");
    if (it->value.GetStringLength() > kMaxTextBytes)
        bad(code, std::string("`.") + name + "` is longer than " + std::to_string(kMaxTextBytes) +
                      " bytes");
    return {it->value.GetString(), it->value.GetStringLength()};
}

rapidjson::Document parse_object(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str(), json.size());
    if (doc.HasParseError())
        bad("bad_request", std::string("the body is not valid JSON: ") +
                               rapidjson::GetParseError_En(doc.GetParseError()));
    if (!doc.IsObject())
        bad("bad_request", "the body must be a JSON object");
    return doc;
}

ApiKey key_from_json(const rapidjson::Value& v) {
    ApiKey k;
    auto str = [&](const char* name) {
        auto it = v.FindMember(name);
        return it != v.MemberEnd() && it->value.IsString()
                   ? std::string(it->value.GetString(), it->value.GetStringLength())
                   : std::string();
    };
    k.uid = str("uid");
    k.key = str("key");
    k.name = str("name");
    k.description = str("description");
    k.expires_at = str("expiresAt");
    k.created_at = str("createdAt");
    k.updated_at = str("updatedAt");
    for (const char* list : {"actions", "indexes"})
        if (auto it = v.FindMember(list); it != v.MemberEnd() && it->value.IsArray())
            for (const auto& a : it->value.GetArray())
                if (a.IsString())
                    (std::string(list) == "actions" ? k.actions : k.indexes)
                        .emplace_back(a.GetString());
    return k;
}

void write_key(JsonWriter& w, const ApiKey& k) {
    auto text_or_null = [&w](const char* name, const std::string& v) {
        w.Key(name);
        v.empty() ? w.Null() : w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    };
    w.StartObject();
    text_or_null("name", k.name);
    text_or_null("description", k.description);
    w.Key("key");
    w.String(k.key.c_str());
    w.Key("uid");
    w.String(k.uid.c_str());
    for (const auto* list : {&k.actions, &k.indexes}) {
        w.Key(list == &k.actions ? "actions" : "indexes");
        w.StartArray();
        for (const std::string& a : *list)
            w.String(a.c_str());
        w.EndArray();
    }
    text_or_null("expiresAt", k.expires_at);
    w.Key("createdAt");
    w.String(k.created_at.c_str());
    w.Key("updatedAt");
    w.String(k.updated_at.c_str());
    w.EndObject();
}

} // namespace

const std::vector<std::string>& known_actions() {
    static const std::vector<std::string> actions = {"*",
                                                     "search",
                                                     "documents.*",
                                                     "documents.add",
                                                     "documents.get",
                                                     "documents.delete",
                                                     "indexes.*",
                                                     "indexes.create",
                                                     "indexes.get",
                                                     "indexes.update",
                                                     "indexes.delete",
                                                     "indexes.swap",
                                                     "tasks.*",
                                                     "tasks.get",
                                                     "tasks.cancel",
                                                     "tasks.delete",
                                                     "settings.*",
                                                     "settings.get",
                                                     "settings.update",
                                                     "stats.*",
                                                     "stats.get",
                                                     "dumps.*",
                                                     "dumps.create",
                                                     "snapshots.*",
                                                     "snapshots.create",
                                                     "version",
                                                     "keys.get",
                                                     "keys.create",
                                                     "keys.update",
                                                     "keys.delete"};
    return actions;
}

bool ApiKey::allows(const std::string& action, const std::string& index) const {
    const bool index_ok = std::any_of(indexes.begin(), indexes.end(),
                                      [&](const std::string& i) { return i == "*" || i == index; });
    if (!index_ok)
        return false;
    const std::string group = action.substr(0, action.find('.')) + ".*";
    return std::any_of(actions.begin(), actions.end(), [&](const std::string& a) {
        return a == "*" || a == action || (action.find('.') != std::string::npos && a == group);
    });
}

bool ApiKey::expired(std::chrono::system_clock::time_point now) const {
    if (expires_at.empty())
        return false;
    const auto at = parse_rfc3339(expires_at);
    return !at || *at <= now;
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail[16] = {0};
    const int n =
        std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &y, &mo, &d, &h, &mi, &s, tail);
    if (n == 3 && text.size() == 10) {
        h = mi = s = 0;
    } else if (n < 6) {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    // Fractions are dropped; the zone is Z or ±hh:mm.
    std::string zone = tail;
    if (!zone.empty() && zone[0] == '.') {
        std::size_t k = 1;
        while (k < zone.size() && std::isdigit(static_cast<unsigned char>(zone[k])))
            ++k;
        zone = zone.substr(k);
    }
    long offset = 0;
    if (n >= 6) {
        if (zone == "Z" || zone == "z") {
            offset = 0;
        } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
            offset = (std::stol(zone.substr(1, 2)) * 60 + std::stol(zone.substr(4, 2))) * 60;
            if (zone[0] == '-')
                offset = -offset;
        } else {
            return std::nullopt;
        }
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::time_t t = timegm(&tm);
    return std::chrono::system_clock::from_time_t(t - offset);
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool same_secret(const std::string& presented, const std::string& known) {
    unsigned diff = presented.size() == known.size() ? 0 : 1;
    for (std::size_t i = 0; i < known.size(); ++i) {
        const unsigned char p = i < presented.size() ? presented[i] : 0;
        diff |= p ^ static_cast<unsigned char>(known[i]);
    }
    return diff == 0;
}

std::string key_json(const ApiKey& key) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    write_key(w, key);
    return {buffer.GetString(), buffer.GetSize()};
}

KeyStore::KeyStore(std::string path) : path_(std::move(path)) {
    if (path_.empty() || !std::filesystem::exists(path_))
        return;
    std::ifstream in(path_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str());
    if (!in || doc.HasParseError() || !doc.IsObject() || !doc.HasMember("keys") ||
        !doc["keys"].IsArray())
        throw Error(ErrorKind::Internal, "keys_file",
                    "cannot read the API keys file " + path_ +
                        " (expected {\"keys\": […]}): fix or remove it");
    for (const auto& k : doc["keys"].GetArray())
        if (k.IsObject())
            keys_.push_back(key_from_json(k));
}

void KeyStore::save() const {
    if (path_.empty())
        return;
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("keys");
    w.StartArray();
    for (const ApiKey& k : keys_)
        write_key(w, k);
    w.EndArray();
    w.EndObject();
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
        out.flush();
        if (!out)
            throw Error(ErrorKind::Unavailable, "keys_file",
                        "cannot write the API keys file " + tmp + "; nothing was changed");
    }
    std::filesystem::permissions(tmp, std::filesystem::perms::owner_read |
                                          std::filesystem::perms::owner_write);
    std::error_code ec;
    std::filesystem::rename(tmp, path_, ec);
    if (ec)
        throw Error(ErrorKind::Unavailable, "keys_file",
                    "cannot replace the API keys file " + path_ + ": " + ec.message());
}

std::optional<ApiKey> KeyStore::find_by_secret(const std::string& secret) const {
    std::shared_lock lock(mutex_);
    std::optional<ApiKey> found;
    for (const ApiKey& k : keys_) // every key compared: the time does not tell which matched
        if (same_secret(secret, k.key) && !found)
            found = k;
    return found;
}

std::optional<ApiKey> KeyStore::find(const std::string& uid_or_key) const {
    std::shared_lock lock(mutex_);
    for (const ApiKey& k : keys_)
        if (k.uid == uid_or_key || same_secret(uid_or_key, k.key))
            return k;
    return std::nullopt;
}

std::vector<ApiKey> KeyStore::list() const {
    std::shared_lock lock(mutex_);
    return {keys_.rbegin(), keys_.rend()};
}

ApiKey KeyStore::create(const std::string& json_body) {
    const rapidjson::Document body = parse_object(json_body);
    ApiKey k;
    auto actions = body.FindMember("actions");
    if (actions == body.MemberEnd())
        bad("missing_api_key_actions", "Missing field `actions`");
    k.actions = string_list(actions->value, "actions", "invalid_api_key_actions");
    for (const std::string& a : k.actions)
        if (std::find(known_actions().begin(), known_actions().end(), a) == known_actions().end())
            bad("invalid_api_key_actions",
                "Unknown value `" + a.substr(0, 60) +
                    "` at `.actions`: see the list of actions in "
                    "the README (search, documents.add, keys.get, *, …)");
    auto indexes = body.FindMember("indexes");
    if (indexes == body.MemberEnd())
        bad("missing_api_key_indexes", "Missing field `indexes`");
    k.indexes = string_list(indexes->value, "indexes", "invalid_api_key_indexes");
    auto expires = body.FindMember("expiresAt");
    if (expires == body.MemberEnd())
        bad("missing_api_key_expires_at", "Missing field `expiresAt`");
    const auto now = std::chrono::system_clock::now();
    if (!expires->value.IsNull()) {
        if (!expires->value.IsString())
            bad("invalid_api_key_expires_at",
                "Invalid value type at `.expiresAt`: expected a string or null");
        const auto at = parse_rfc3339(expires->value.GetString());
        if (!at)
            bad("invalid_api_key_expires_at",
                "`.expiresAt` is not an RFC 3339 date-time (2030-01-01T00:00:00Z)");
        if (*at <= now)
            bad("invalid_api_key_expires_at", "`.expiresAt` is in the past");
        k.expires_at = format_rfc3339(*at);
    }
    k.name = text_field(body, "name", "invalid_api_key_name");
    k.description = text_field(body, "description", "invalid_api_key_description");
    k.uid = text_field(body, "uid", "invalid_api_key_uid");
    if (k.uid.empty())
        k.uid = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    else if (k.uid.size() != 36 ||
             k.uid.find_first_not_of("0123456789abcdef-") != std::string::npos)
        bad("invalid_api_key_uid", "`.uid` must be a UUID v4 in lower case");
    k.key = random_secret();
    k.created_at = k.updated_at = format_rfc3339(now);
    std::unique_lock lock(mutex_);
    if (keys_.size() >= kMaxKeys)
        bad("too_many_api_keys", "this server keeps at most " + std::to_string(kMaxKeys) +
                                     " keys; delete unused ones first");
    for (const ApiKey& other : keys_)
        if (other.uid == k.uid)
            throw Error(ErrorKind::Conflict, "api_key_already_exists",
                        "`uid` field value `" + k.uid + "` is already an existing API key");
    keys_.push_back(k);
    try {
        save();
    } catch (...) {
        keys_.pop_back(); // nothing acknowledged that is not on disk
        throw;
    }
    return k;
}

ApiKey KeyStore::update(const std::string& uid_or_key, const std::string& json_body) {
    const rapidjson::Document body = parse_object(json_body);
    for (const auto& m : body.GetObject()) {
        const std::string name = m.name.GetString();
        if (name != "name" && name != "description")
            bad("immutable_api_key_" + std::string(name == "expiresAt"   ? "expires_at"
                                                   : name == "createdAt" ? "created_at"
                                                   : name == "updatedAt" ? "updated_at"
                                                                         : name.substr(0, 30)),
                "The `" + name.substr(0, 30) + "` field cannot be modified for the given resource");
    }
    const std::string name = text_field(body, "name", "invalid_api_key_name");
    const std::string description = text_field(body, "description", "invalid_api_key_description");
    std::unique_lock lock(mutex_);
    for (ApiKey& k : keys_) {
        if (k.uid != uid_or_key && !same_secret(uid_or_key, k.key))
            continue;
        const ApiKey before = k;
        if (body.HasMember("name"))
            k.name = name;
        if (body.HasMember("description"))
            k.description = description;
        k.updated_at = format_rfc3339(std::chrono::system_clock::now());
        try {
            save();
        } catch (...) {
            k = before;
            throw;
        }
        return k;
    }
    throw Error(ErrorKind::NotFound, "api_key_not_found",
                "API key `" + uid_or_key.substr(0, 80) + "` not found");
}

bool KeyStore::remove(const std::string& uid_or_key) {
    std::unique_lock lock(mutex_);
    auto it = std::find_if(keys_.begin(), keys_.end(), [&](const ApiKey& k) {
        return k.uid == uid_or_key || same_secret(uid_or_key, k.key);
    });
    if (it == keys_.end())
        return false;
    const ApiKey gone = *it;
    const auto at = it - keys_.begin();
    keys_.erase(it);
    try {
        save();
    } catch (...) {
        keys_.insert(keys_.begin() + at, gone);
        throw;
    }
    return true;
}

} // namespace kb::http

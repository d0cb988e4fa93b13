#include "search-server/auth/authorisation.h"

#include "core/error.h"
#include "search-server/meili/filter_builder.h"

#include <Poco/JSON/Stringifier.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <sstream>

namespace kb::http {
namespace {

constexpr const char* kIndex = "documents"; // the one index's Meilisearch uid
constexpr std::size_t kMaxTokenBytes = std::size_t{16} * 1024;
constexpr double kFilterBudgetMs = 50;

[[noreturn]] void refuse(const std::string& why) {
    throw Error(ErrorKind::InvalidRequest, "invalid_api_key", "the tenant token " + why);
}

Authorisation denied(int status, std::string code, std::string message) {
    return {status, std::move(code), std::move(message), nullptr};
}

bool looks_like_jwt(const std::string& s) { return std::count(s.begin(), s.end(), '.') == 2; }

// The rules for our index: {"documents": {...}} before {"*": {...}}; ["*"] or ["documents"]
// (no filter). Nothing: the token does not cover the index.
std::optional<std::string> filter_for_index(const rapidjson::Value& rules) {
    if (rules.IsArray()) {
        for (const auto& r : rules.GetArray())
            if (r.IsString() &&
                (std::string(r.GetString()) == kIndex || std::string(r.GetString()) == "*"))
                return std::string();
        return std::nullopt;
    }
    if (!rules.IsObject())
        refuse("has `searchRules` that are neither an object nor an array");
    for (const char* name : {kIndex, "*"}) {
        auto it = rules.FindMember(name);
        if (it == rules.MemberEnd())
            continue;
        if (it->value.IsNull())
            return std::string();
        if (!it->value.IsObject())
            refuse(std::string("has a rule for `") + name + "` that is not an object");
        auto f = it->value.FindMember("filter");
        if (f == it->value.MemberEnd() || f->value.IsNull())
            return std::string();
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        f->value.Accept(w);
        return std::string(buffer.GetString(), buffer.GetSize());
    }
    return std::nullopt;
}

} // namespace

std::shared_ptr<const FacetFilters> verify_tenant_token(const std::string& jwt,
                                                        const KeyStore& keys) {
    if (jwt.size() > kMaxTokenBytes)
        refuse("is longer than " + std::to_string(kMaxTokenBytes) + " bytes");
    std::string uid;
    try {
        const Poco::JWT::Token unverified(jwt);
        const auto& claims = unverified.payload();
        if (!claims.has("apiKeyUid") || !claims.get("apiKeyUid").isString())
            refuse("has no `apiKeyUid` claim naming the key that signed it");
        uid = claims.getValue<std::string>("apiKeyUid");
    } catch (const Poco::Exception&) {
        refuse("is not a well-formed JWT");
    }
    const std::optional<ApiKey> key = keys.find(uid);
    if (!key || key->uid != uid)
        refuse("names a key (`apiKeyUid`) this server does not have");
    const auto now = std::chrono::system_clock::now();
    if (key->expired(now))
        refuse("was signed with a key that has expired");
    if (!key->allows("search", kIndex))
        refuse("was signed with a key that does not allow `search` on `documents`");
    Poco::JWT::Token token;
    try {
        Poco::JWT::Signer signer(key->key);
        signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256, Poco::JWT::Signer::ALGO_HS384,
                              Poco::JWT::Signer::ALGO_HS512});
        if (!signer.tryVerify(jwt, token))
            refuse("has a signature that does not match its key");
    } catch (const Poco::Exception&) {
        refuse("has a signature that does not match its key");
    }
    const auto& claims = token.payload();
    if (claims.has("exp")) {
        const auto exp = claims.get("exp");
        if (!exp.isNumeric())
            refuse("has an `exp` claim that is not a number of seconds");
        if (exp.convert<double>() <= std::chrono::duration<double>(now.time_since_epoch()).count())
            refuse("has expired (`exp`)");
    }
    if (!claims.has("searchRules"))
        refuse("has no `searchRules` claim");
    std::ostringstream rules_json;
    Poco::JSON::Stringifier::stringify(claims.get("searchRules"), rules_json);
    rapidjson::Document rules;
    rules.Parse(rules_json.str().c_str());
    if (rules.HasParseError())
        refuse("has `searchRules` that are not JSON");
    const auto filter = filter_for_index(rules);
    if (!filter)
        refuse("does not give access to the index `documents`");
    if (filter->empty())
        return nullptr;
    rapidjson::Document value;
    value.Parse(filter->c_str());
    bool nothing = false;
    FacetFilters built;
    try {
        built = meili::build_filters(value, nothing, meili::Budget::of(kFilterBudgetMs));
    } catch (const Error& e) {
        refuse("has a filter Passerelle cannot apply: " + e.message());
    }
    if (nothing)
        refuse("has a filter that no document can match");
    return std::make_shared<const FacetFilters>(std::move(built));
}

Authorisation authorise(const Request& request, const Settings& settings, const KeyStore& keys,
                        Access access, const std::string& action, bool scoped_route) {
    if (access == Access::Public)
        return {};
    const std::string header = request.header("authorization");
    const std::string prefix = "Bearer ";
    const bool needed = access == Access::Keyed || settings.read_requires_key;
    if (header.empty()) {
        if (!needed)
            return {};
        const bool any_key =
            !settings.api_keys.empty() || !settings.master_key.empty() || !keys.list().empty();
        return denied(401, "unauthorized",
                      any_key ? "this endpoint needs an API key: send 'Authorization: Bearer <key>'"
                              : "this endpoint is disabled: the server has no API key configured");
    }
    if (header.compare(0, prefix.size(), prefix) != 0 || header.size() == prefix.size()) {
        if (!needed)
            return {};
        return denied(401, "unauthorized",
                      "the Authorization header must be 'Bearer <key>' (an API key or a tenant "
                      "token)");
    }
    const std::string secret = header.substr(prefix.size());
    // The server's own keys: every action, every route.
    bool full = !settings.master_key.empty() && same_secret(secret, settings.master_key);
    for (const std::string& k : settings.api_keys)
        full = same_secret(secret, k) || full;
    if (full)
        return {};
    if (const std::optional<ApiKey> key = keys.find_by_secret(secret)) {
        if (!needed) // a public read: allowed whatever the key says
            return {};
        if (key->expired(std::chrono::system_clock::now()))
            return denied(401, "api_key_expired",
                          "this API key expired at " + key->expires_at + "; ask for a new one");
        if (!key->allows(action, kIndex))
            return denied(403, "invalid_api_key",
                          "this API key does not allow `" + action + "` (its actions: see GET " +
                              "/keys/" + key->uid + ")");
        return {};
    }
    if (looks_like_jwt(secret)) {
        try {
            auto scope = verify_tenant_token(secret, keys);
            // Refused even where reads are public: a partner's visitor holding a token is
            // kept to its searches, whichever route a client sends it to.
            if (!scoped_route)
                return denied(403, "invalid_api_key",
                              "a tenant token authorises searches only (GET/POST /search, "
                              "/suggest, /facets, /indexes/documents/search, /multi-search)");
            return {0, "", "", std::move(scope)};
        } catch (const Error& e) {
            return denied(401, e.code(), e.message());
        }
    }
    // On a public read an unknown key changes nothing (clients such as the meilisearch SDKs
    // always send one, as Meilisearch without a master key ignores it); a tenant token, which
    // a partner sends to restrict its searches, is never ignored (and refused on the routes
    // that are no searches, above).
    if (!needed)
        return {};
    return denied(401, "unauthorized", "the API key is not valid");
}

} // namespace kb::http

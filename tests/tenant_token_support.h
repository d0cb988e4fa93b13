#pragma once

// Tenant tokens as the Meilisearch SDKs make them, written out by hand (not with the library
// the server verifies with), for the tests of scoped keys and tenant tokens.

#include <Poco/Base64Encoder.h>

#include <chrono>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sstream>
#include <string>

namespace kb::test {

inline std::string base64url(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// HS256 over base64url({"alg","typ"}).base64url({searchRules, apiKeyUid, exp}), expiring
/// `exp_offset_s` seconds from now.
inline std::string tenant_token(const std::string& uid, const std::string& secret,
                                const std::string& rules_json, long exp_offset_s = 3600) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const long long exp =
        std::chrono::duration_cast<std::chrono::seconds>(now).count() + exp_offset_s;
    const std::string signed_part =
        base64url(R"({"alg":"HS256","typ":"JWT"})") + "." +
        base64url(R"({"searchRules":)" + rules_json + R"(,"apiKeyUid":")" + uid + R"(","exp":)" +
                  std::to_string(exp) + "}");
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
         &length);
    return signed_part + "." + base64url(std::string(reinterpret_cast<char*>(mac), length));
}

} // namespace kb::test

#pragma once

// API keys with Meilisearch's actions and index scopes (https://www.meilisearch.com/docs/
// reference/api/keys), created, listed, updated and deleted through /keys, stored in a JSON
// file beside the index so they survive restarts. The keys of the server's settings
// (api.keys, KB_API_KEYS) and the master key keep working as full-access keys; they are never
// listed or stored.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace kb::http {

/// One key as Meilisearch describes it.
struct ApiKey {
    std::string uid; ///< UUID v4
    std::string key; ///< the secret sent as "Authorization: Bearer …" (64 hex digits)
    std::string name, description;
    std::vector<std::string> actions; ///< "search", "documents.add", "keys.*", "*", …
    std::vector<std::string> indexes; ///< "documents" or "*"
    /// RFC 3339 ("2030-01-01T00:00:00Z"); empty: never expires.
    std::string expires_at, created_at, updated_at;

    /// Whether the key allows `action` on the index `index` (an action group "documents.*"
    /// and "*" included).
    bool allows(const std::string& action, const std::string& index = "documents") const;
    /// Whether the key has expired at `now`.
    bool expired(std::chrono::system_clock::time_point now) const;
};

/// The actions Meilisearch defines (POST /keys refuses any other).
const std::vector<std::string>& known_actions();

/// RFC 3339 date-time ("2030-01-01T00:00:00Z", "2030-01-01T00:00:00.5+01:00", or a date
/// alone) → time point; nothing when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text);
/// `t` as RFC 3339 in UTC, to the second.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

/// The stored keys: thread-safe, each change written to the file (atomically: a temporary file
/// renamed over it) before it is acknowledged.
class KeyStore {
public:
    /// `path`: the JSON file ("" keeps the keys in memory only: tests, a remote index). Throws
    /// kb::Error naming the file when it exists and cannot be read.
    explicit KeyStore(std::string path);

    /// The key whose secret is `secret`, compared in constant time against every key.
    std::optional<ApiKey> find_by_secret(const std::string& secret) const;
    /// The key with this uid or this secret.
    std::optional<ApiKey> find(const std::string& uid_or_key) const;
    /// All keys, newest first.
    std::vector<ApiKey> list() const;
    /// Creates a key from a POST /keys body (validated: actions, indexes, expiresAt, name,
    /// description, uid); throws kb::Error(InvalidRequest) with Meilisearch's codes.
    ApiKey create(const std::string& json_body);
    /// PATCH /keys/{key}: only name and description may change (Meilisearch's rule).
    ApiKey update(const std::string& uid_or_key, const std::string& json_body);
    /// Deletes; false when no key has this uid or secret.
    bool remove(const std::string& uid_or_key);
    const std::string& path() const { return path_; }

private:
    void save() const; // callers hold the lock exclusively
    std::string path_;
    mutable std::shared_mutex mutex_;
    std::vector<ApiKey> keys_;
};

/// A key as Meilisearch answers it: {name, description, key, uid, actions, indexes,
/// expiresAt, createdAt, updatedAt}.
std::string key_json(const ApiKey& key);

/// Constant-time comparison of a presented secret with a known one (time depends only on the
/// known one's length).
bool same_secret(const std::string& presented, const std::string& known);

} // namespace kb::http

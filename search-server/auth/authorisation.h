#pragma once

// Who may call a route: no credentials, the server's full-access keys (master key, api.keys),
// a stored key with its actions and expiry (api_keys.h), or a tenant token — a JWT signed with
// a search key's secret whose searchRules become a scope every search of the request stays
// inside (FacetFilters::scope), whatever the request asks.

#include "core/search_types.h"
#include "search-server/api/http_types.h"
#include "search-server/auth/api_keys.h"
#include "search-server/settings.h"

#include <memory>
#include <string>

namespace kb::http {

/// How a route is reached: Public never needs credentials; Read needs them only with
/// api.read_requires_key; Keyed always does.
enum class Access { Public, Read, Keyed };

/// What authorisation decided. `status` 0: allowed; else 401 (no or unknown credentials) or
/// 403 (valid credentials that do not allow this), with a code and a message a user can act on.
struct Authorisation {
    int status = 0;
    std::string code, message;
    /// A tenant token's search rules: the request's searches stay inside them.
    std::shared_ptr<const FacetFilters> scope;
};

/// Decides for a request on a route needing `action` ("search", "documents.add", …);
/// `scoped_route`: the route's answers are searches that apply a scope (a tenant token is
/// accepted there only).
Authorisation authorise(const Request& request, const Settings& settings, const KeyStore& keys,
                        Access access, const std::string& action, bool scoped_route);

/// A tenant token's claims checked and its searchRules built into filters: HS256/384/512
/// signed with the secret of the key `apiKeyUid` names, that key allows "search" and has not
/// expired, `exp` (when present) is in the future. Throws kb::Error(InvalidRequest) saying
/// what is wrong; a null result: rules without a filter (the whole index).
std::shared_ptr<const FacetFilters> verify_tenant_token(const std::string& jwt,
                                                        const KeyStore& keys);

} // namespace kb::http

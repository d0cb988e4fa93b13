#pragma once

// The Meilisearch settings routes (https://www.meilisearch.com/docs/reference/api/settings):
// what Passerelle's engine does, in Meilisearch's terms — searchable fields, facets, ranking
// rules, the acronyms as synonyms, the French stop words, typo tolerance, facet and paging
// limits. They are fixed: a change or a reset is refused (400, invalid_settings_<name>),
// naming the setting. The table in meili_settings.cpp says how one could become writable.
//
//   GET                 /indexes/{uid}/settings         every setting
//   PATCH, DELETE       /indexes/{uid}/settings         change or reset some or all of them
//   GET                 /indexes/{uid}/settings/{name}  one ("ranking-rules", "synonyms", …)
//   PUT, PATCH, DELETE  /indexes/{uid}/settings/{name}  change or reset one

#include "search-server/api/router.h"

namespace kb::http {

Response handle_meili_settings(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_settings_update(const Request& request, Context& context,
                                      const RouteMatch& match);
Response handle_meili_setting(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_setting_update(const Request& request, Context& context,
                                     const RouteMatch& match);

} // namespace kb::http

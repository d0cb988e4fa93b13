#pragma once

// The Meilisearch settings routes (https://www.meilisearch.com/docs/reference/api/settings):
// what Passerelle's engine does, in Meilisearch's terms — searchable fields, facets, ranking
// rules, synonyms (the acronyms and the settings' own), stop words (the French list and the
// settings' own), typo tolerance, facet and paging limits. synonyms, stopWords, faceting and
// pagination can be changed and reset (settings_store.h keeps and applies them), answered as
// an already finished settingsUpdate task; a change of any other setting is refused (400,
// invalid_settings_<name>, naming it) and the whole request with it: nothing is changed. A
// fixed setting's reset is accepted and keeps it as it is.
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

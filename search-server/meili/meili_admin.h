#pragma once

// The Meilisearch routes around the search ones, answering with what Passerelle does:
//
//   GET /version                          {commitSha, commitDate, pkgVersion} of this build
//   GET /stats, /indexes/{uid}/stats      index size on disk, last commit, document count
//   GET /indexes                          the one index, uid "documents"
//   GET /tasks, /tasks/{uid}              the task log of the writes (task_log.h)
//
// The settings routes are in meili_settings.h.

#include "search-server/api/router.h"
#include "search-server/json/json_writer.h"

namespace kb::http {

Response handle_meili_version(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_stats(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_index_stats(const Request& request, Context& context,
                                  const RouteMatch& match);
Response handle_meili_indexes(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_tasks(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_task(const Request& request, Context& context, const RouteMatch& match);

/// The index object: {uid, primaryKey, createdAt, updatedAt} (both dates: the last commit).
void write_index(JsonWriter& w, Context& context);

} // namespace kb::http

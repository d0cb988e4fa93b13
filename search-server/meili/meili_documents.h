#pragma once

// The Meilisearch document routes (https://www.meilisearch.com/docs/reference/api/documents)
// on the one index, uid "documents", primary key "id":
//
//   GET    /indexes/{uid}/documents               browse: offset, limit (20, at most 1000),
//   POST   /indexes/{uid}/documents/fetch         fields, filter; newest first, as an empty
//                                                 query lists them
//   GET    /indexes/{uid}/documents/{id}          one record
//   POST   /indexes/{uid}/documents               add or replace (as POST /documents)
//   PUT    /indexes/{uid}/documents               add or update: the fields given replace the
//                                                 stored record's, the others are kept
//   DELETE /indexes/{uid}/documents/{id}          delete one
//   POST   /indexes/{uid}/documents/delete-batch  delete an array of ids
//   POST   /indexes/{uid}/documents/delete        delete what {"filter": …} matches
//   DELETE /indexes/{uid}/documents               delete every record
//
// A document is its record: id, title, text, date, type, publisher, language, url,
// source_file (empty ones left out, but id and text) and its metadata as strings. Writes go
// through the WriteGate, synchronous and atomic, and answer 202 with a task that has already
// succeeded or failed (task_log.h); a body that is not JSON at all is a 400, as Meilisearch
// answers.

#include "search-server/api/router.h"

namespace kb::http {

Response handle_meili_documents(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_fetch_documents(const Request& request, Context& context,
                                      const RouteMatch& match);
Response handle_meili_document(const Request& request, Context& context, const RouteMatch& match);
Response handle_meili_add_documents(const Request& request, Context& context,
                                    const RouteMatch& match);
Response handle_meili_update_documents(const Request& request, Context& context,
                                       const RouteMatch& match);
Response handle_meili_delete_document(const Request& request, Context& context,
                                      const RouteMatch& match);
Response handle_meili_delete_batch(const Request& request, Context& context,
                                   const RouteMatch& match);
Response handle_meili_delete_by_filter(const Request& request, Context& context,
                                       const RouteMatch& match);
Response handle_meili_delete_all(const Request& request, Context& context, const RouteMatch& match);

} // namespace kb::http

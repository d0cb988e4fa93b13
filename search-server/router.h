#pragma once

#include "http_types.h"
#include "searcher.h"
#include "static_files.h"

#include <string>

namespace kb::http {

/// What a handler may use: this thread's searcher and the shared, read-only web files.
struct Context {
    Searcher& searcher;
    const StaticFiles& files;
};

/// Finds the route for a request and runs its handler. Every failure becomes a JSON error with
/// the status of the one table in router.cpp; user input never produces a 500.
Response dispatch(const Request& request, Context& context);

} // namespace kb::http

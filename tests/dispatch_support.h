#pragma once

// The router without sockets: dispatch() over one index with the real web files, the default
// settings, no rate limit and no write access, for the tests of the HTTP layer.

#include "search-server/api/router.h"

#include <xapian.h>

#include <string>
#include <utility>

namespace kb::test {

struct DispatchFixture {
    explicit DispatchFixture(Xapian::Database db)
        : files(KB_SOURCE_DIR "/web"), searcher(std::move(db)), limiter(0), writer("/nonexistent"),
          keys(""), index_settings(""), context{searcher, files, settings, metrics,       limiter,
                                                writer,   keys,  tasks,    index_settings} {}
    /// Over the index at `path`, with its vectors.
    explicit DispatchFixture(const std::string& path)
        : files(KB_SOURCE_DIR "/web"), searcher(path), limiter(0), writer("/nonexistent"), keys(""),
          index_settings(""), context{searcher, files, settings, metrics,       limiter,
                                      writer,   keys,  tasks,    index_settings} {}

    /// The request as the server would route it: its path split, sent from 127.0.0.1.
    http::Response send(http::Request r) {
        r.segments = http::split_path(r.path);
        r.client = "127.0.0.1";
        return http::dispatch(r, context);
    }

    http::StaticFiles files;
    Searcher searcher;
    http::Settings settings;
    http::Metrics metrics;
    http::RateLimiter limiter;
    http::WriteGate writer;
    http::KeyStore keys;
    http::meili::TaskLog tasks;
    http::meili::SettingsStore index_settings;
    http::Context context;
};

} // namespace kb::test

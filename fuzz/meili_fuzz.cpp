// The Meilisearch-compatible routes (search-server/meili/) on arbitrary input: the input less
// its first byte as a request body goes through dispatch() to the route the first byte picks
// (search, multi-search, facet-search), on a small in-memory index, so the body parser, the
// caps and the output run as the server runs them. The filter grammar alone is
// meili_filter_fuzz's. The routes must never answer a status other than 200, 400 or 404 (a 404
// only for an unknown index), and their errors are Meilisearch-shaped JSON.

#include "core/indexing/document_builder.h"
#include "fuzz/fuzz_support.h"
#include "search-server/api/router.h"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace {

// Records with facets the filters can name: countries in the text, types, years.
Xapian::Database make_db() {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    kb::Analyzer analyzer;
    const char* countries[] = {"Sénégal", "Mali", "Liban", "Tunisie"};
    for (int i = 0; i < 8; ++i) {
        kb::Record r;
        r.id = "fuzz/" + std::to_string(i);
        r.title = std::string("L’eau au ") + countries[i % 4];
        r.text = std::string("Coopération décentralisée, eau et assainissement au ") +
                 countries[i % 4] + ".";
        r.date = std::to_string(2005 + i) + "-06-01";
        r.type = i % 2 ? "étude" : "rapport";
        db.add_document(kb::build_document(r, analyzer));
    }
    return db;
}

struct Server {
    kb::http::StaticFiles files{KB_SOURCE_DIR "/web"};
    kb::Searcher searcher{make_db()};
    kb::http::Settings settings;
    kb::http::Metrics metrics;
    kb::http::RateLimiter limiter{0};
    kb::http::WriteGate writer{"/nonexistent"};
    kb::http::KeyStore keys{""};
    kb::http::meili::TaskLog tasks;
    kb::http::meili::SettingsStore index_settings{""};
    kb::http::Context context{searcher, files, settings, metrics,       limiter,
                              writer,   keys,  tasks,    index_settings};
};

Server& server() {
    static Server* s = new Server; // never destroyed: libFuzzer exits without unwinding
    return *s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    if (input.empty())
        return 0;
    static const char* const paths[] = {"/indexes/documents/search", "/multi-search",
                                        "/indexes/documents/facet-search"};
    kb::http::Request r;
    r.method = "POST";
    r.path = paths[static_cast<unsigned char>(input[0]) % 3];
    r.segments = kb::http::split_path(r.path);
    r.headers["content-type"] = "application/json";
    r.body = input.substr(1);
    r.client = "127.0.0.1";
    try {
        const kb::http::Response response = kb::http::dispatch(r, server().context);
        if (response.status != 200 && response.status != 400 && response.status != 404)
            kb::fuzz::fail(r.path + " answered " + std::to_string(response.status) + ": " +
                           response.body.substr(0, 300));
        if (response.status != 200 &&
            response.body.find("\"type\":\"invalid_request\"") == std::string::npos)
            kb::fuzz::fail(r.path + " answered an error not shaped as Meilisearch's: " +
                           response.body.substr(0, 300));
    } catch (...) {
        kb::fuzz::unexpected_exception("dispatch");
    }
    return 0;
}

#pragma once
// The corpus server of the quality e2e tests, apart from e2e_support.h because it holds an
// HTTP client: only executables that link cpprest include it.

#include "tests/e2e_support.h"

#include <cpprest/http_client.h>

#include <memory>
#include <string>
#include <vector>

namespace kb::test {

/// corpus/ (seeds and CGCT) indexed without vectors and served without a rate limit (the
/// quality tests send thousands of requests from one address), with one HTTP client. One
/// per test executable: `corpus_server()`.
struct CorpusServer {
    TempDir dir;
    std::string index = (dir.path() / "index").string();
    std::unique_ptr<ServerProcess> process;
    std::unique_ptr<web::http::client::http_client> client;

    CorpusServer() {
        BOOST_TEST_REQUIRE(run_indexer(index, {"--no-vectors", kCorpusDir}) == 0);
        process =
            std::make_unique<ServerProcess>(index, std::vector<std::string>{"--rate-limit", "0"});
        client = std::make_unique<web::http::client::http_client>(
            utility::conversions::to_string_t(process->url()));
    }
};

inline CorpusServer& corpus_server() {
    static CorpusServer instance;
    return instance;
}

} // namespace kb::test

#pragma once

#include "indexer/readers/source_reader.h"
#include "indexer/remote/robots.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kb {

/// The User-Agent every request carries; its product token is what robots.txt groups name.
inline constexpr const char* kUserAgent =
    "Passerelle/0.1 (+https://github.com/passerelle; indexer)";
inline constexpr const char* kRobotsAgent = "Passerelle";

/// How pages are fetched. The defaults suit a crawl of real sites; tests shorten the delays.
struct FetchOptions {
    std::chrono::milliseconds timeout{10'000};             ///< connect and each read
    std::size_t max_bytes = std::size_t{50} * 1024 * 1024; ///< a larger body is refused
    int max_redirects = 5;
    int tries = 3;                              ///< on a 5xx answer or a connection error
    std::chrono::milliseconds retry_delay{500}; ///< before the 2nd try, doubled for each next one
    bool respect_robots = true;
    std::string user_agent = kUserAgent;
};

/// A document fetched with a 2xx answer.
struct FetchedDocument {
    std::string url;          ///< the final URL, after redirects
    std::string content_type; ///< media type, lower case, without parameters ("text/html")
    std::string body;
};

/// The media types read_url() accepts: HTML, XHTML, PDF, plain text, DOCX, ODT.
const std::vector<std::string>& page_content_types();

/// Fetches http(s) URLs politely: robots.txt (fetched once per host), redirects followed by
/// hand (up to max_redirects, loops detected), a body size cap, retries with exponential
/// backoff on 5xx answers and connection errors. Not thread-safe: one per thread.
class RemoteFetcher {
public:
    explicit RemoteFetcher(FetchOptions options = {});
    ~RemoteFetcher();
    RemoteFetcher(const RemoteFetcher&) = delete;
    RemoteFetcher& operator=(const RemoteFetcher&) = delete;

    /// Fetches `url`. `accepted_types` lists the media types taken (empty: any). Throws
    /// kb::Error with a reason a user can act on ("HTTP 404 Not Found", "disallowed by
    /// robots.txt", "redirect loop: …", "timed out after 10 s", "response over N bytes",
    /// "unsupported content type image/png", "HTTP 503 … (after 3 tries)", …).
    FetchedDocument fetch(const std::string& url, const std::vector<std::string>& accepted_types);

    /// Fetches a page and reads it with the file readers (read_bytes). The record's id and url
    /// are the final URL, its source_file the URL asked for. Every failure goes to
    /// sink.on_problem with the URL as path.
    void read_url(const std::string& url, const ReadSink& sink);

private:
    struct Clients;
    struct Response;
    struct RobotsEntry;

    FetchedDocument follow(const std::string& url, const std::vector<std::string>& accepted_types,
                           bool check_robots, std::size_t max_bytes, bool truncate);
    Response get_with_retries(const std::string& url,
                              const std::vector<std::string>& accepted_types, std::size_t max_bytes,
                              bool truncate);
    Response get_once(const std::string& url, const std::vector<std::string>& accepted_types,
                      std::size_t max_bytes, bool truncate);
    const RobotsEntry& robots_for(const std::string& origin);

    FetchOptions options_;
    std::unique_ptr<Clients> clients_;
    std::map<std::string, std::unique_ptr<RobotsEntry>> robots_; ///< by scheme://host:port
};

} // namespace kb

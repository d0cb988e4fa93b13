#include "indexer/remote/remote_fetcher.h"

#include "core/error.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/URI.h>
#include <cpprest/http_client.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <sstream>
#include <thread>

namespace kb {

namespace http = web::http;

namespace {

// Google reads the first 500 KiB of a robots.txt and ignores the rest; so do we.
constexpr std::size_t kMaxRobotsBytes = std::size_t{500} * 1024;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// "text/html; charset=UTF-8" → "text/html".
std::string media_type(const std::string& content_type) {
    std::string type = content_type.substr(0, content_type.find(';'));
    const auto first = type.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    type = type.substr(first, type.find_last_not_of(" \t") - first + 1);
    return lower(type);
}

std::string seconds_text(std::chrono::milliseconds d) {
    std::ostringstream out;
    out << static_cast<double>(d.count()) / 1000.0 << " s";
    return out.str();
}

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Parses and checks an absolute http(s) URL; drops the fragment, which is never sent.
Poco::URI http_uri(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw Error(ErrorKind::InvalidRequest, "bad_url", "malformed URL (" + e.message() + ")");
    }
    const std::string scheme = lower(uri.getScheme());
    if (scheme != "http" && scheme != "https")
        throw Error(ErrorKind::InvalidRequest, "bad_url", "not an http(s) URL");
    if (uri.getHost().empty())
        throw Error(ErrorKind::InvalidRequest, "bad_url", "URL without a host");
    uri.setFragment("");
    return uri;
}

// scheme://host[:port], the unit robots.txt and connections are per.
std::string origin_of(const Poco::URI& uri) {
    return lower(uri.getScheme()) + "://" + lower(uri.getAuthority());
}

std::string path_and_query(const Poco::URI& uri) {
    std::string p = uri.getPathAndQuery();
    return p.empty() ? "/" : p;
}

std::string accept_header(const std::vector<std::string>& accepted_types) {
    if (accepted_types.empty())
        return "*/*";
    std::string header;
    for (const auto& t : accepted_types)
        header += (header.empty() ? "" : ",") + t;
    return header;
}

// The file name the readers dispatch on (they look at the bytes first, then the extension).
std::string name_hint_for(const std::string& content_type, const Poco::URI& uri) {
    if (content_type == "text/html" || content_type == "application/xhtml+xml")
        return "page.html";
    if (content_type == "application/pdf")
        return "document.pdf";
    if (content_type == "text/plain")
        return "document.txt";
    if (content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return "document.docx";
    if (content_type == "application/vnd.oasis.opendocument.text")
        return "document.odt";
    // No Content-Type: the URL's own file name, if it has one.
    return Poco::Path(uri.getPath(), Poco::Path::PATH_UNIX).getFileName();
}

} // namespace

const std::vector<std::string>& page_content_types() {
    static const std::vector<std::string> types = {
        "text/html",
        "application/xhtml+xml",
        "application/pdf",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    };
    return types;
}

// One cpprest client per origin, so that connections are kept alive across pages of a site.
struct RemoteFetcher::Clients {
    std::map<std::string, std::unique_ptr<http::client::http_client>> by_origin;

    http::client::http_client& get(const Poco::URI& uri, const FetchOptions& options) {
        const std::string origin = origin_of(uri);
        auto& client = by_origin[origin];
        if (!client) {
            http::client::http_client_config config;
            config.set_timeout(options.timeout);
            // Redirects are followed here, not by cpprest (which only does it on some
            // platforms), so that each hop is checked against robots.txt and loops are caught.
            config.set_max_redirects(0);
            client = std::make_unique<http::client::http_client>(origin, config);
        }
        return *client;
    }
};

struct RemoteFetcher::Response {
    int status = 0;
    std::string reason;
    std::string location;
    std::string content_type;
    std::string body;
};

struct RemoteFetcher::RobotsEntry {
    RobotsRules rules;
    std::string error; ///< when set, every URL of the host fails with this reason
};

RemoteFetcher::RemoteFetcher(FetchOptions options)
    : options_(std::move(options)), clients_(std::make_unique<Clients>()) {}

RemoteFetcher::~RemoteFetcher() = default;

FetchedDocument RemoteFetcher::fetch(const std::string& url,
                                     const std::vector<std::string>& accepted_types) {
    return follow(url, accepted_types, options_.respect_robots, options_.max_bytes, false);
}

void RemoteFetcher::read_url(const std::string& url, const ReadSink& sink) {
    FetchedDocument doc;
    try {
        doc = fetch(url, page_content_types());
    } catch (const Error& e) {
        sink.on_problem({url, 0, e.what()});
        return;
    } catch (const std::exception& e) {
        sink.on_problem({url, 0, std::string("cannot fetch: ") + e.what()});
        return;
    }
    ReadSink as_url;
    as_url.on_record = [&](Record&& r) {
        // The page's own canonical URL is kept, but the record points where it was found.
        if (!r.url.empty() && r.url != doc.url)
            r.metadata["canonical_url"] = r.url;
        r.url = doc.url;
        r.id = doc.url;
        r.source_file = url;
        sink.on_record(std::move(r));
    };
    as_url.on_problem = [&](ReadProblem&& p) {
        p.path = url;
        sink.on_problem(std::move(p));
    };
    const std::string hint = name_hint_for(doc.content_type, Poco::URI(doc.url));
    read_bytes(std::move(doc.body), hint, doc.url, as_url);
}

FetchedDocument RemoteFetcher::follow(const std::string& url,
                                      const std::vector<std::string>& accepted_types,
                                      bool check_robots, std::size_t max_bytes, bool truncate) {
    Poco::URI current = http_uri(url);
    std::set<std::string> seen = {current.toString()};
    for (int redirects = 0;;) {
        if (check_robots) {
            const RobotsEntry& robots = robots_for(origin_of(current));
            if (!robots.error.empty())
                throw Error(ErrorKind::Unavailable, "robots_unavailable", robots.error);
            if (!robots.rules.allowed(path_and_query(current)))
                throw Error(ErrorKind::InvalidRequest, "robots_disallowed",
                            "disallowed by robots.txt");
        }
        Response r = get_with_retries(current.toString(), accepted_types, max_bytes, truncate);
        if (is_redirect(r.status)) {
            if (r.location.empty())
                throw Error(ErrorKind::InvalidRequest, "bad_redirect",
                            "HTTP " + std::to_string(r.status) + " redirect without a Location");
            Poco::URI next = current;
            try {
                next.resolve(r.location);
                next = http_uri(next.toString());
            } catch (const std::exception&) { // kb::Error and Poco::Exception alike
                throw Error(ErrorKind::InvalidRequest, "bad_redirect",
                            "redirect to an unusable URL " + r.location);
            }
            if (!seen.insert(next.toString()).second)
                throw Error(ErrorKind::InvalidRequest, "redirect_loop",
                            "redirect loop: " + current.toString() + " redirects back to " +
                                next.toString());
            if (++redirects > options_.max_redirects)
                throw Error(ErrorKind::InvalidRequest, "too_many_redirects",
                            "too many redirects (more than " +
                                std::to_string(options_.max_redirects) + ")");
            current = next;
            continue;
        }
        const std::string status =
            "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
        if (r.status >= 500)
            throw Error(ErrorKind::Unavailable, "server_error",
                        status + " (after " + std::to_string(std::max(options_.tries, 1)) +
                            " tries)");
        if (r.status >= 400)
            throw Error(ErrorKind::NotFound, "client_error", status);
        if (r.status < 200 || r.status >= 300)
            throw Error(ErrorKind::InvalidRequest, "unexpected_status", "unexpected " + status);
        return {current.toString(), r.content_type, std::move(r.body)};
    }
}

RemoteFetcher::Response
RemoteFetcher::get_with_retries(const std::string& url,
                                const std::vector<std::string>& accepted_types,
                                std::size_t max_bytes, bool truncate) {
    const int tries = std::max(options_.tries, 1);
    auto delay = options_.retry_delay;
    for (int attempt = 1;; ++attempt) {
        try {
            Response r = get_once(url, accepted_types, max_bytes, truncate);
            if (r.status < 500 || attempt == tries)
                return r;
        } catch (const http::http_exception& e) {
            if (e.error_code() == std::errc::timed_out)
                throw Error(ErrorKind::Unavailable, "timeout",
                            "timed out after " + seconds_text(options_.timeout));
            if (attempt == tries)
                throw Error(ErrorKind::Unavailable, "connection",
                            std::string("cannot connect: ") + e.what() + " (after " +
                                std::to_string(tries) + " tries)");
        }
        std::this_thread::sleep_for(delay);
        delay *= 2;
    }
}

RemoteFetcher::Response RemoteFetcher::get_once(const std::string& url,
                                                const std::vector<std::string>& accepted_types,
                                                std::size_t max_bytes, bool truncate) {
    const Poco::URI uri(url);
    http::client::http_client& client = clients_->get(uri, options_);
    http::http_request request(http::methods::GET);
    request.set_request_uri(path_and_query(uri));
    request.headers().add("User-Agent", options_.user_agent);
    request.headers().add("Accept", accept_header(accepted_types));

    // Cancelling drops the connection: how a body we do not want is left unread.
    pplx::cancellation_token_source cancel;
    http::http_response response = client.request(request, cancel.get_token()).get();
    Response r;
    r.status = response.status_code();
    r.reason = response.reason_phrase();
    if (r.status < 200 || r.status >= 300) {
        if (auto it = response.headers().find("Location"); it != response.headers().end())
            r.location = it->second;
        cancel.cancel();
        return r;
    }
    r.content_type = media_type(response.headers().content_type());
    if (!accepted_types.empty() && !r.content_type.empty() &&
        std::find(accepted_types.begin(), accepted_types.end(), r.content_type) ==
            accepted_types.end()) {
        cancel.cancel();
        throw Error(ErrorKind::InvalidRequest, "unsupported_content_type",
                    "unsupported content type " + r.content_type);
    }
    const std::string too_large = "response over " + std::to_string(max_bytes) + " bytes";
    if (!truncate && response.headers().has("Content-Length") &&
        response.headers().content_length() > max_bytes) {
        cancel.cancel();
        throw Error(ErrorKind::InvalidRequest, "too_large", too_large);
    }
    // Read as a stream and stop past the cap, whatever Content-Length said (or did not say).
    auto body = response.body().streambuf();
    std::vector<std::uint8_t> chunk(std::size_t{64} * 1024);
    for (;;) {
        const std::size_t n = body.getn(chunk.data(), chunk.size()).get();
        if (n == 0)
            break;
        if (r.body.size() + n > max_bytes) {
            cancel.cancel();
            if (!truncate)
                throw Error(ErrorKind::InvalidRequest, "too_large", too_large);
            r.body.append(reinterpret_cast<const char*>(chunk.data()), max_bytes - r.body.size());
            break;
        }
        r.body.append(reinterpret_cast<const char*>(chunk.data()), n);
    }
    return r;
}

const RemoteFetcher::RobotsEntry& RemoteFetcher::robots_for(const std::string& origin) {
    auto& entry = robots_[origin];
    if (entry)
        return *entry;
    entry = std::make_unique<RobotsEntry>();
    try {
        const FetchedDocument robots = follow(origin + "/robots.txt", {}, false,
                                              std::min(kMaxRobotsBytes, options_.max_bytes), true);
        entry->rules = RobotsRules::parse(robots.body, kRobotsAgent);
    } catch (const Error& e) {
        // As Google does: no robots.txt (4xx, or redirects that lead nowhere) allows
        // everything; a server error means the site may be struggling: crawl nothing of it.
        if (e.code() == "client_error" || e.code() == "redirect_loop" ||
            e.code() == "too_many_redirects" || e.code() == "bad_redirect")
            entry->rules = RobotsRules::allow_all();
        else if (e.code() == "server_error")
            entry->error = std::string("robots.txt answered ") + e.what() +
                           ": the whole host is treated as disallowed";
        else
            entry->error = e.what();
    }
    return *entry;
}

} // namespace kb

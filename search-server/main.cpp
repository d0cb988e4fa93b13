// kb-search-server: serves the search API and page over one Xapian index.
//
// Settings come, by increasing precedence, from built-in defaults, a configuration file
// (--config, Poco properties or INI), environment variables (KB_*) and command-line options.

#include "core/error.h"
#include "core/schema/schema.h"
#include "core/search/searcher.h"
#include "search-server/json/json_output.h"
#include "search-server/transport/http_listener.h"
#include "search-server/transport/request_processor.h"

#include <Poco/Environment.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <xapian.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

using Poco::Util::Option;

namespace {

// One table: option ↔ config key, with its default. A setting's environment variable is its
// option's name in capitals after KB_ (--cache-mb: KB_CACHE_MB); see env_name.
struct SettingSpec {
    const char* option;
    const char* config_key;
    const char* fallback;
    const char* help;
    bool on_command_line = true;
};

const std::vector<SettingSpec>& specs() {
    static const std::vector<SettingSpec> table = {
        {"port", "server.port", "8080", "TCP port (0 picks a free one)"},
        {"host", "server.host", "127.0.0.1", "address to listen on"},
        {"index", "index.path", "var/index",
         "index: a directory (one database, or a sharded index), a Xapian stub file, or a "
         "comma-separated list of shards (paths and tcp:HOST:PORT xapian-tcpsrv endpoints)"},
        {"remote-timeout", "index.remote_timeout_ms", "5000",
         "milliseconds to wait for a remote shard to connect or answer before leaving it out"},
        {"shard-retry", "index.shard_retry_ms", "5000",
         "milliseconds between attempts to reach a shard that is down"},
        {"web-root", "web.root", KB_DEFAULT_WEB_ROOT, "folder with index.html, app.js, style.css"},
        {"threads", "server.threads", "", "worker threads (default: 2 per core, at least 4)"},
        {"timeout", "server.timeout_seconds", "15",
         "seconds a client may take to send a request (slow clients are cut off)"},
        {"keep-alive", "server.keep_alive_seconds", "5",
         "seconds an idle connection is kept open for its next request"},
        {"max-connections-per-client", "server.max_connections_per_client", "256",
         "open connections from one address; past it, its longest idle one is closed"},
        {"cors-origins", "cors.origins", "*",
         "comma-separated origins allowed to call the API from browsers ('*' for reads)"},
        {"rate-limit", "limits.requests_per_minute", "1200",
         "requests per minute and client address (0: no limit)"},
        {"max-body", "limits.max_body_bytes", "1048576", "largest request body"},
        {"public-url", "server.public_url", "",
         "base URL in OpenSearch/OpenAPI documents (default: the Host header when it is an "
         "allowed host, else the listening address)"},
        {"allowed-hosts", "server.allowed_hosts", "localhost,127.0.0.1,[::1]",
         "comma-separated host names a Host header may give in those documents"},
        {"read-requires-key", "api.read_requires_key", "false",
         "require an API key for read endpoints too"},
        {"keys-file", "api.keys_file", "",
         "JSON file where /keys stores API keys (default: keys.json in the index directory; "
         "'memory' keeps them until the server stops)"},
        {"settings-file", "index.settings_file", "",
         "JSON file where the Meilisearch settings routes store synonyms, stop words, faceting "
         "and pagination (default: settings.json in the index directory; 'memory' keeps them "
         "until the server stops)"},
        {"trusted-proxies", "server.trusted_proxies", "",
         "comma-separated addresses of reverse proxies whose X-Forwarded-For names the client "
         "(rate limiting); any other peer's header is ignored"},
        {"search-mode", "search.default_mode", "lexical",
         "ranking when a request gives no mode: lexical, semantic or hybrid"},
        {"fusion", "search.fusion", "convex",
         "hybrid fusion: convex (normalised scores) or rrf (reciprocal rank fusion)"},
        {"vector-weight", "search.vector_weight", "0.1",
         "weight of the vector ranking in hybrid mode, 0-1 (lexical: 1 - this)"},
        {"rrf-k", "search.rrf_k", "60", "k of reciprocal rank fusion"},
        {"fusion-depth", "search.fusion_depth", "100",
         "records taken from each ranking before fusing"},
        {"facet-sample", "search.facet_sample", "10000",
         "most matching documents examined to count facets; larger match sets get counts "
         "scaled from them (facets_exact: false); 0: count every match"},
        {"cache-mb", "search.cache_mb", "64",
         "megabytes of memory for result pages already computed (repeated lexical searches "
         "answered without matching; a new index commit is never answered from older pages); "
         "0: no cache"},
        {"time-limit", "search.time_limit_ms", "2000",
         "milliseconds of matching one request may take; past it totals and facet counts are "
         "estimates and the answer says \"partial\": true (0: no limit)"},
        // Keys are not taken on the command line, where other users could see them (ps).
        {"api-keys", "api.keys", "", "", false},
        {"master-key", "api.master_key", "", "", false},
    };
    return table;
}

std::string env_name(const SettingSpec& s) {
    std::string env = "KB_";
    for (const char* c = s.option; *c; ++c)
        env += *c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    return env;
}

// --- Start-up index check -----------------------------------------------------------------
//
// Opening a Xapian database reads little more than its version file and the tables' roots, so
// a damaged index would open and then answer garbage or 500s. The cheap check touches every
// table the searches use; Xapian::Database::check walks every B-tree block and cross-checks
// the tables. Measured on the corpus/ index (32 MB, 5,367 records): 0.22 s warm, 0.30 s with
// a cold page cache, about 10 ms per MB; so it runs at every start-up for indexes up to
// kFullCheckMaxBytes (about 1 s), and above that only with --check-index.
constexpr std::uintmax_t kFullCheckMaxBytes = 100ull * 1024 * 1024;

std::uintmax_t index_bytes(const std::string& path) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec))
        if (entry.is_regular_file(ec))
            total += entry.file_size(ec);
    return total;
}

// Throws kb::Error (Internal, "index_corrupt") naming the index when a table cannot be read.
void check_index(const std::string& path, bool full) {
    const auto corrupt = [&](const std::string& why) {
        return kb::Error(kb::ErrorKind::Internal, "index_corrupt",
                         "index " + path + " is corrupt (" + why + "): rebuild it with ./kb index");
    };
    try {
        Xapian::Database db(path);
        if (db.get_doccount() > 0 && db.get_lastdocid() == 0)
            throw corrupt("no document ids");
        (void)db.get_metadata(std::string(kb::schema::kLastCommitKey));
        const std::string common(kb::schema::kRecordKindTerm);
        int seen = 0;
        for (auto it = db.postlist_begin(common); it != db.postlist_end(common) && seen < 8;
             ++it, ++seen) {
            Xapian::Document doc = db.get_document(*it);
            (void)doc.get_data();
            for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
                (void)*v;
            int terms = 0;
            for (auto t = doc.termlist_begin(); t != doc.termlist_end() && terms < 16; ++t, ++terms)
                (void)*t;
            (void)db.get_doclength(*it);
        }
        if (db.get_doccount() > 0 && seen == 0 && db.get_termfreq(common) > 0)
            throw corrupt("the postings of " + common + " are unreadable");
        (void)db.get_spelling_suggestion("cooperation");
        (void)db.synonyms_begin("apd");
        if (full) {
            std::ostringstream details;
            const std::size_t errors = Xapian::Database::check(path, 0, &details);
            if (errors > 0)
                throw corrupt(std::to_string(errors) + " errors found by Xapian's check");
        }
    } catch (const Xapian::DatabaseOpeningError&) {
        return; // no index there (or not one): kb::Searcher says so, with the way out
    } catch (const Xapian::Error& e) {
        throw corrupt(e.get_type() + std::string(": ") + e.get_msg());
    }
}

class SearchServerApp : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("help", "h", "show this help and exit"));
        options.addOption(
            Option("config", "c", "configuration file (.properties or .ini)").argument("FILE"));
        options.addOption(
            Option("no-access-log", "", "do not write the JSON access log to stderr"));
        options.addOption(Option("check-index", "",
                                 "run Xapian's full consistency check at start-up whatever the "
                                 "index's size (by default only up to 100 MB)"));
        for (const SettingSpec& s : specs())
            if (s.on_command_line)
                options.addOption(
                    Option(s.option, "",
                           std::string(s.help) + " [" + s.config_key + ", $" + env_name(s) + "]")
                        .argument("VALUE"));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        ServerApplication::handleOption(name, value);
        if (name == "help") {
            help_ = true;
            stopOptionsProcessing();
        } else if (name == "config") {
            loadConfiguration(value); // throws with the file name when unreadable
        } else if (name == "no-access-log") {
            access_log_ = false;
        } else if (name == "check-index") {
            check_index_ = true;
        } else {
            cli_[name] = value;
        }
    }

    int main(const std::vector<std::string>&) override {
        if (help_) {
            Poco::Util::HelpFormatter help(options());
            help.setCommand(commandName());
            help.setUsage("[options]");
            help.setHeader("Serves the Passerelle search API and page over a Xapian index.");
            help.setFooter("API keys for the write endpoints come from api.keys in the config file "
                           "or $KB_API_KEYS (comma-separated), the master key (every action, "
                           "/keys included) from api.master_key or $KB_MASTER_KEY; never from "
                           "the command line.");
            help.format(std::cout);
            return EXIT_OK;
        }
        try {
            kb::http::ServerConfig config;
            config.index_path = setting("index");
            config.access_log = access_log_;
            config.settings.cors_origins = list(setting("cors-origins"));
            config.settings.api_keys = list(setting("api.keys"));
            config.settings.rate_limit_per_minute =
                static_cast<unsigned>(number("rate-limit", 0, 1000000));
            config.settings.max_body_bytes =
                static_cast<std::size_t>(number("max-body", 1024, 64 * 1024 * 1024));
            config.settings.public_url = setting("public-url");
            config.settings.allowed_hosts.clear();
            for (std::string h : list(setting("allowed-hosts"))) {
                for (char& c : h)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                config.settings.allowed_hosts.push_back(h);
            }
            config.settings.read_requires_key = setting("read-requires-key") == "true";
            config.settings.master_key = setting("api.master_key");
            config.settings.trusted_proxies = list(setting("trusted-proxies"));
            // Keys beside a local index (they survive restarts); in memory for a remote one.
            config.keys_path = setting("keys-file");
            if (config.keys_path == "memory")
                config.keys_path.clear();
            else if (config.keys_path.empty() && std::filesystem::is_directory(config.index_path))
                config.keys_path =
                    (std::filesystem::path(config.index_path) / "keys.json").string();
            config.settings_path = setting("settings-file");
            if (config.settings_path == "memory")
                config.settings_path.clear();
            else if (config.settings_path.empty() &&
                     std::filesystem::is_directory(config.index_path))
                config.settings_path =
                    (std::filesystem::path(config.index_path) / "settings.json").string();
            config.settings.remote_timeout_ms =
                static_cast<unsigned>(number("remote-timeout", 100, 600000));
            config.settings.shard_retry_ms =
                static_cast<unsigned>(number("shard-retry", 100, 3600000));
            auto& ranking = config.settings.ranking;
            if (auto m = kb::search_mode_from_name(setting("search-mode")))
                ranking.default_mode = *m;
            else
                throw Poco::InvalidArgumentException(
                    "--search-mode expects lexical, semantic or hybrid");
            if (auto f = kb::fusion_from_name(setting("fusion")))
                ranking.fusion = *f;
            else
                throw Poco::InvalidArgumentException("--fusion expects convex or rrf");
            ranking.vector_weight = fraction("vector-weight");
            ranking.rrf_k = number("rrf-k", 1, 100000);
            ranking.depth = static_cast<unsigned>(number("fusion-depth", 10, 1000));
            ranking.facet_sample = static_cast<unsigned>(number("facet-sample", 0, 1000000000));
            ranking.time_limit_ms = number("time-limit", 0, 600000);
            config.settings.cache_bytes = static_cast<std::size_t>(number("cache-mb", 0, 65536))
                                          << 20;
            const int port = number("port", 0, 65535);
            const std::string host = setting("host");
            const int timeout = number("timeout", 1, 3600);
            const int threads =
                setting("threads").empty()
                    ? std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()))
                    : number("threads", 1, 1024);

            // Fail at start-up, with the reason, rather than on the first request.
            // Each local database is checked; remote shards are their server's business.
            for (const kb::ShardSpec& shard : kb::parse_index_spec(config.index_path))
                if (!shard.remote())
                    check_index(shard.path,
                                check_index_ || index_bytes(shard.path) <= kFullCheckMaxBytes);
            kb::SearcherOptions searcher_options;
            searcher_options.remote_timeout_ms = config.settings.remote_timeout_ms;
            kb::Searcher probe(config.index_path, searcher_options);
            config.files = std::make_shared<const kb::http::StaticFiles>(setting("web-root"));

            kb::http::ListenerOptions listener;
            listener.workers = static_cast<unsigned>(threads);
            listener.request_timeout = std::chrono::seconds(timeout);
            listener.keep_alive = std::chrono::seconds(number("keep-alive", 1, 3600));
            listener.limits.max_body = config.settings.max_body_bytes;
            listener.max_connections_per_client =
                static_cast<std::size_t>(number("max-connections-per-client", 1, 100000));
            // A backlog for bursts of connections: the event loop accepts them all at once.
            Poco::Net::ServerSocket socket(
                Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), 1024);
            config.settings.listen_url =
                "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                std::to_string(socket.address().port());
            auto processor = std::make_shared<kb::http::RequestProcessor>(config);
            kb::http::HttpListener server(
                socket, listener,
                [processor](kb::http::WireRequest& request, const std::string& client) {
                    return processor->handle(request, client);
                });
            server.start();
            const kb::ShardStatus shards = probe.shard_status();
            if (shards.partial())
                for (const std::string& name : shards.unavailable)
                    std::cerr << "kb-search-server: shard " << name
                              << " is unavailable; answering from the others (partial)\n";
            std::cout << "Passerelle: serving " << config.index_path << " ("
                      << probe.document_count() << " documents"
                      << (shards.total > 1 ? ", " + std::to_string(shards.available) + "/" +
                                                 std::to_string(shards.total) + " shards"
                                           : std::string())
                      << ", vectors " << probe.vector_status() << ", default mode "
                      << kb::to_string(ranking.default_mode) << ") on http://" << host << ":"
                      << socket.address().port() << "/ — Ctrl-C to stop" << std::endl;
            if (config.settings.api_keys.empty() && config.settings.master_key.empty())
                std::cout << "Passerelle: no API key configured, write endpoints are disabled"
                          << std::endl;
            waitForTerminationRequest();
            std::cout << "Passerelle: stopping" << std::endl;
            if (!server.stop(std::chrono::seconds(3))) {
                // A request still running (a pathological query): do not wait for it, and do
                // not run destructors under its feet.
                std::cout << "Passerelle: stopped with a request still running" << std::endl;
                std::cerr.flush();
                std::_Exit(EXIT_OK);
            }
            return EXIT_OK;
        } catch (const kb::Error& e) {
            std::cerr << "kb-search-server: " << e.what() << "\n";
            return EXIT_CONFIG;
        } catch (const Poco::Exception& e) {
            std::cerr << "kb-search-server: " << e.displayText() << "\n";
            return EXIT_CONFIG;
        }
    }

private:
    // Command line, then environment, then configuration file, then default.
    std::string setting(const std::string& name) {
        for (const SettingSpec& s : specs()) {
            if (name != s.option && name != s.config_key)
                continue;
            if (auto it = cli_.find(s.option); s.on_command_line && it != cli_.end())
                return it->second;
            if (const std::string env = env_name(s); Poco::Environment::has(env))
                return Poco::Environment::get(env);
            return config().getString(s.config_key, s.fallback);
        }
        throw Poco::InvalidArgumentException("unknown setting " + name);
    }

    int number(const std::string& name, int min, int max) {
        const std::string value = setting(name);
        try {
            std::size_t used = 0;
            const int n = std::stoi(value, &used);
            if (used == value.size() && n >= min && n <= max)
                return n;
        } catch (...) {
        }
        throw Poco::InvalidArgumentException("--" + name + " expects a number from " +
                                             std::to_string(min) + " to " + std::to_string(max) +
                                             ", got '" + value + "'");
    }

    double fraction(const std::string& name) {
        const std::string value = setting(name);
        char* end = nullptr;
        const double x = std::strtod(value.c_str(), &end);
        if (value.empty() || *end || !(x >= 0 && x <= 1))
            throw Poco::InvalidArgumentException(
                "--" + name + " expects a number from 0 to 1, got '" + value + "'");
        return x;
    }

    static std::vector<std::string> list(const std::string& value) {
        std::vector<std::string> items;
        Poco::StringTokenizer tokens(
            value, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
        for (const std::string& t : tokens)
            items.push_back(t);
        return items;
    }

    bool help_ = false, access_log_ = true, check_index_ = false;
    std::map<std::string, std::string> cli_;
};

} // namespace

POCO_SERVER_MAIN(SearchServerApp)

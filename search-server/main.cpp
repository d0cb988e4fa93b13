// kb-search-server: serves the search API and page over one Xapian index.
//
// Settings come, by increasing precedence, from built-in defaults, a configuration file
// (--config, Poco properties or INI), environment variables (KB_*) and command-line options.

#include "error.h"
#include "poco_server.h"
#include "searcher.h"

#include <Poco/Environment.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>
#include <map>
#include <thread>

using Poco::Util::Option;

namespace {

// One table: setting name ↔ config key ↔ environment variable ↔ option, with its default.
struct SettingSpec {
    const char* option;
    const char* config_key;
    const char* env;
    const char* fallback;
    const char* help;
};

const std::vector<SettingSpec>& specs() {
    static const std::vector<SettingSpec> table = {
        {"port", "server.port", "KB_PORT", "8080", "TCP port (0 picks a free one)"},
        {"host", "server.host", "KB_HOST", "127.0.0.1", "address to listen on"},
        {"index", "index.path", "KB_INDEX", "var/index", "index directory"},
        {"web-root", "web.root", "KB_WEB_ROOT", KB_DEFAULT_WEB_ROOT,
         "folder with index.html, app.js, style.css"},
        {"threads", "server.threads", "KB_THREADS", "", "worker threads (default: 2 per core, at least 4)"},
        {"timeout", "server.timeout_seconds", "KB_TIMEOUT", "15",
         "seconds a client may take to send a request (slow clients are cut off)"},
        {"cors-origins", "cors.origins", "KB_CORS_ORIGINS", "*",
         "comma-separated origins allowed to call the API from browsers ('*' for reads)"},
        {"rate-limit", "limits.requests_per_minute", "KB_RATE_LIMIT", "1200",
         "requests per minute and client address (0: no limit)"},
        {"max-body", "limits.max_body_bytes", "KB_MAX_BODY", "1048576", "largest request body"},
        {"public-url", "server.public_url", "KB_PUBLIC_URL", "",
         "base URL in OpenSearch/OpenAPI documents (default: from the Host header)"},
        {"read-requires-key", "api.read_requires_key", "KB_READ_REQUIRES_KEY", "false",
         "require an API key for read endpoints too"},
        // Keys are not taken on the command line, where other users could see them (ps).
        {"", "api.keys", "KB_API_KEYS", "", ""},
    };
    return table;
}

class SearchServerApp : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("help", "h", "show this help and exit"));
        options.addOption(Option("config", "c", "configuration file (.properties or .ini)").argument("FILE"));
        options.addOption(Option("no-access-log", "", "do not write the JSON access log to stderr"));
        for (const SettingSpec& s : specs())
            if (*s.option)
                options.addOption(Option(s.option, "", std::string(s.help) + " [" + s.config_key +
                                                           ", $" + s.env + "]")
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
                           "or $KB_API_KEYS (comma-separated), never from the command line.");
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
            config.settings.read_requires_key = setting("read-requires-key") == "true";
            const int port = number("port", 0, 65535);
            const std::string host = setting("host");
            const int timeout = number("timeout", 1, 3600);
            const int threads = setting("threads").empty()
                                    ? std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()))
                                    : number("threads", 1, 1024);

            // Fail at start-up, with the reason, rather than on the first request.
            kb::Searcher probe(config.index_path);
            config.files = std::make_shared<const kb::http::StaticFiles>(setting("web-root"));

            auto params = new Poco::Net::HTTPServerParams; // reference-counted by Poco
            params->setMaxThreads(threads);
            params->setMaxQueued(256);
            params->setKeepAlive(true);
            params->setKeepAliveTimeout(Poco::Timespan(10, 0));
            params->setTimeout(Poco::Timespan(timeout, 0));
            Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)));
            Poco::Net::HTTPServer server(new kb::http::HandlerFactory(config), socket, params);
            server.start();
            std::cout << "Passerelle: serving " << config.index_path << " ("
                      << probe.document_count() << " documents) on http://" << host << ":"
                      << socket.address().port() << "/ — Ctrl-C to stop" << std::endl;
            if (config.settings.api_keys.empty())
                std::cout << "Passerelle: no API key configured, write endpoints are disabled"
                          << std::endl;
            waitForTerminationRequest();
            std::cout << "Passerelle: stopping" << std::endl;
            server.stopAll(true);
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
            if (name != s.option && name != s.config_key) continue;
            if (auto it = cli_.find(s.option); *s.option && it != cli_.end()) return it->second;
            if (Poco::Environment::has(s.env)) return Poco::Environment::get(s.env);
            return config().getString(s.config_key, s.fallback);
        }
        throw Poco::InvalidArgumentException("unknown setting " + name);
    }

    int number(const std::string& name, int min, int max) {
        const std::string value = setting(name);
        try {
            std::size_t used = 0;
            const int n = std::stoi(value, &used);
            if (used == value.size() && n >= min && n <= max) return n;
        } catch (...) {
        }
        throw Poco::InvalidArgumentException("--" + name + " expects a number from " +
                                             std::to_string(min) + " to " + std::to_string(max) +
                                             ", got '" + value + "'");
    }

    static std::vector<std::string> list(const std::string& value) {
        std::vector<std::string> items;
        Poco::StringTokenizer tokens(value, ",", Poco::StringTokenizer::TOK_TRIM |
                                                     Poco::StringTokenizer::TOK_IGNORE_EMPTY);
        for (const std::string& t : tokens) items.push_back(t);
        return items;
    }

    bool help_ = false, access_log_ = true;
    std::map<std::string, std::string> cli_;
};

} // namespace

POCO_SERVER_MAIN(SearchServerApp)

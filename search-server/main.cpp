// kb-search-server: serves the search API and page over one Xapian index.

#include "error.h"
#include "poco_server.h"
#include "searcher.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>
#include <thread>

using Poco::Util::Option;

namespace {

class SearchServerApp : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("help", "h", "show this help and exit"));
        options.addOption(Option("port", "p", "TCP port (default 8080; 0 picks a free one)").argument("PORT"));
        options.addOption(Option("host", "", "address to listen on (default 127.0.0.1)").argument("HOST"));
        options.addOption(Option("index", "i", "index directory (default var/index)").argument("DIR"));
        options.addOption(Option("web-root", "", "folder with index.html, app.js, style.css").argument("DIR"));
        options.addOption(Option("threads", "t", "worker threads (default: 2 per core, at least 4)").argument("N"));
        options.addOption(Option("no-access-log", "", "do not write the JSON access log to stderr"));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        ServerApplication::handleOption(name, value);
        if (name == "help") {
            help_ = true;
            stopOptionsProcessing();
        } else if (name == "port") port_ = parse_number(name, value, 0, 65535);
        else if (name == "host") host_ = value;
        else if (name == "index") index_ = value;
        else if (name == "web-root") web_root_ = value;
        else if (name == "threads") threads_ = parse_number(name, value, 1, 1024);
        else if (name == "no-access-log") access_log_ = false;
    }

    int main(const std::vector<std::string>&) override {
        if (help_) {
            Poco::Util::HelpFormatter help(options());
            help.setCommand(commandName());
            help.setUsage("[options]");
            help.setHeader("Serves the Passerelle search API and page over a Xapian index.");
            help.format(std::cout);
            return EXIT_OK;
        }
        try {
            // Fail at start-up, with the reason, rather than on the first request.
            kb::Searcher probe(index_);
            auto files = std::make_shared<const kb::http::StaticFiles>(web_root_);

            auto params = new Poco::Net::HTTPServerParams; // reference-counted by Poco
            params->setMaxThreads(threads_);
            params->setMaxQueued(256);
            params->setKeepAlive(true);
            Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host_, static_cast<Poco::UInt16>(port_)));
            Poco::Net::HTTPServer server(
                new kb::http::HandlerFactory({index_, files, access_log_}), socket, params);
            server.start();
            std::cout << "Passerelle: serving " << index_ << " (" << probe.document_count()
                      << " documents) on http://" << host_ << ":" << socket.address().port()
                      << "/ — Ctrl-C to stop" << std::endl;
            waitForTerminationRequest();
            std::cout << "Passerelle: stopping" << std::endl;
            server.stopAll(true);
            return EXIT_OK;
        } catch (const kb::Error& e) {
            std::cerr << "kb-search-server: " << e.what() << "\n";
            return EXIT_CONFIG;
        } catch (const Poco::Exception& e) {
            std::cerr << "kb-search-server: " << e.displayText() << "\n";
            return EXIT_UNAVAILABLE;
        }
    }

private:
    static int parse_number(const std::string& name, const std::string& value, int min, int max) {
        try {
            std::size_t used = 0;
            int n = std::stoi(value, &used);
            if (used == value.size() && n >= min && n <= max) return n;
        } catch (...) {
        }
        throw Poco::InvalidArgumentException("--" + name + " expects a number from " +
                                                   std::to_string(min) + " to " +
                                                   std::to_string(max) + ", got '" + value + "'");
    }

    bool help_ = false, access_log_ = true;
    int port_ = 8080;
    int threads_ = std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
    std::string host_ = "127.0.0.1", index_ = "var/index", web_root_ = KB_DEFAULT_WEB_ROOT;
};

} // namespace

POCO_SERVER_MAIN(SearchServerApp)

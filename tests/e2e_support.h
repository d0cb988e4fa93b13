#pragma once

// Starts the real kb-indexer and kb-search-server for end-to-end tests.

#include "tests/test_support.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <boost/test/unit_test.hpp>

#include <iterator>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace kb::test {

/// Runs kb-indexer; returns its exit status and puts its standard output in `summary`.
inline int run_indexer(const std::string& index, const std::vector<std::string>& sources,
                       std::string* summary = nullptr) {
    std::vector<std::string> args = {"--quiet", "--index", index};
    args.insert(args.end(), sources.begin(), sources.end());
    Poco::Pipe out;
    Poco::ProcessHandle indexer =
        Poco::Process::launch(KB_INDEXER_BIN, args, nullptr, &out, nullptr);
    Poco::PipeInputStream stream(out);
    std::string text((std::istreambuf_iterator<char>(stream)), {});
    if (summary)
        *summary = text;
    return indexer.wait();
}

/// A kb-search-server on a free port, stopped (SIGTERM) when destroyed.
class ServerProcess {
public:
    /// `env`: environment variables given to the server on top of the test's own.
    ServerProcess(const std::string& index, std::vector<std::string> extra_args = {},
                  const Poco::Process::Env& env = {}) {
        std::vector<std::string> args = {"--port", "0", "--index", index, "--no-access-log"};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        // The server's stderr goes to a pipe of ours, not to the test's own stderr: if a test
        // aborts, an orphaned server must not keep ctest waiting on the test's output.
        Poco::Pipe out;
        process_ = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(KB_SERVER_BIN, args, nullptr, &out, &err_, env));
        Poco::PipeInputStream stream(out);
        std::string line;
        std::getline(stream, line); // "Passerelle: serving … on http://127.0.0.1:PORT/ …"
        std::smatch m;
        BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("http://[0-9.]+:[0-9]+")), line);
        url_ = m.str();
    }
    ~ServerProcess() {
        Poco::Process::requestTermination(process_->id());
        process_->wait();
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& url() const { return url_; }

private:
    Poco::Pipe err_;
    std::unique_ptr<Poco::ProcessHandle> process_;
    std::string url_;
};

/// corpus/seeds indexed into a temporary folder and served with a configuration file.
struct SeedServer {
    TempDir dir;
    std::string index = (dir.path() / "index").string();
    std::unique_ptr<ServerProcess> server;

    explicit SeedServer(const std::string& properties) {
        BOOST_TEST_REQUIRE(run_indexer(index, {kSeedsDir}) == 0);
        const auto config = dir.path() / "server.properties";
        write_file(config, properties);
        server = std::make_unique<ServerProcess>(
            index, std::vector<std::string>{"--config", config.string()});
    }
};

} // namespace kb::test

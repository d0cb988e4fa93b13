#define BOOST_TEST_MODULE connections_e2e
// The real server's connection layer under the attacks of issue 23: idle, keep-alive and
// slow-header connections must not hold the (4) workers (#5), and request framing is read one
// way only, so no byte of a body or of a refused request runs as the next request (#8). The
// server runs with its defaults (15 s timeout, 4 workers on this machine); raw sockets send
// what an HTTP client would refuse to.
#include "tests/e2e_support.h"
#include "tests/socket_support.h"

#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <regex>
#include <thread>

namespace {

struct Server : kb::test::SeedServer {
    Poco::UInt16 port = 0;
    Server()
        : SeedServer("limits.requests_per_minute = 0\nserver.threads = 4\n"
                     "api.keys = connections-key\n") {
        port = static_cast<Poco::UInt16>(
            std::stoi(server->url().substr(server->url().rfind(':') + 1)));
    }
};

Server& server() {
    static Server instance;
    return instance;
}

Poco::Net::StreamSocket connect() {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server().port));
    s.setNoDelay(true);
    return s;
}

using kb::test::read_until_closed;
using kb::test::send_all;

// The status of every response in `text`, in order.
std::vector<int> statuses(const std::string& text) {
    std::vector<int> out;
    static const std::regex status_line("HTTP/1\\.1 ([0-9]{3}) ");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), status_line);
         it != std::sregex_iterator(); ++it)
        out.push_back(std::stoi((*it)[1]));
    return out;
}

std::string exchange(const std::string& bytes, int seconds = 10) {
    Poco::Net::StreamSocket s = connect();
    send_all(s, bytes);
    return read_until_closed(s, seconds);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

BOOST_AUTO_TEST_CASE(idle_keep_alive_and_slow_connections_do_not_stall_other_clients) {
    std::vector<Poco::Net::StreamSocket> held;
    held.reserve(300 + 8);
    for (int i = 0; i < 300; ++i) // silent connections, more than one client may keep
        held.push_back(connect());
    for (int i = 0; i < 8; ++i) { // keep-alive clients that made one request each
        Poco::Net::StreamSocket s = connect();
        send_all(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        char buf[4096];
        s.setReceiveTimeout(Poco::Timespan(10, 0));
        BOOST_TEST_REQUIRE(s.receiveBytes(buf, sizeof buf) > 0);
        held.push_back(s);
    }
    for (int i = 0; i < 40; ++i) { // slow headers: a request line and no end
        Poco::Net::StreamSocket s = connect();
        send_all(s, "GET /search?q=eau HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        held.push_back(s);
    }
    // With a thread per connection, 4 of these held every worker: a new client waited for
    // the 15 s timeout. Now each answers at once.
    double slowest = 0;
    for (int i = 0; i < 20; ++i) {
        const auto t = std::chrono::steady_clock::now();
        const std::string reply =
            exchange("GET /search?q=jumelage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 20);
        slowest = std::max(slowest, seconds_since(t));
        BOOST_TEST(statuses(reply) == std::vector<int>{200}, reply.substr(0, 200));
    }
    BOOST_TEST(slowest < 5.0, "slowest normal request: " << slowest << " s");
}

BOOST_AUTO_TEST_CASE(a_request_without_length_has_no_body) {
    // A body-less PUT or PATCH is complete at its blank line (it waited for the timeout).
    for (const char* method : {"PUT", "PATCH", "DELETE"}) {
        const auto t = std::chrono::steady_clock::now();
        const std::string reply =
            exchange(std::string(method) + " /documents/x HTTP/1.1\r\nHost: x\r\n"
                                           "Connection: close\r\n\r\n");
        BOOST_TEST(statuses(reply).size() == 1u, method << ": " << reply.substr(0, 200));
        BOOST_TEST(seconds_since(t) < 5.0, method);
    }
}

BOOST_AUTO_TEST_CASE(a_body_is_never_executed_as_the_next_request) {
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    // A body on a route that takes none is read, and ignored.
    std::string reply = exchange(
        "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(smuggled.size()) +
        "\r\n\r\n" + smuggled + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(statuses(reply) == (std::vector<int>{200, 200}), reply.substr(0, 400));
    // An oversized length: 413, closed, the bytes after it never read as a request.
    reply =
        exchange("POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n" + smuggled);
    BOOST_TEST(statuses(reply) == std::vector<int>{413}, reply.substr(0, 400));
}

BOOST_AUTO_TEST_CASE(ambiguous_framing_is_refused_and_the_connection_closed) {
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::string& headers : {
             std::string("Content-Length: 4\r\nContent-Length: 40\r\n"),
             std::string("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"),
             std::string("Transfer-Encoding: xchunked\r\n"),
             std::string("Transfer-Encoding: chunked, identity\r\n"),
             std::string("Transfer-Encoding : chunked\r\n"),
             std::string("Content-Length: 0x0b\r\n"),
             std::string("Content-Length: 11, 11\r\n"),
         }) {
        const auto t = std::chrono::steady_clock::now();
        const std::string reply = exchange(std::string("POST /search HTTP/1.1\r\nHost: x\r\n")
                                               .append(headers)
                                               .append("\r\n0\r\n\r\n")
                                               .append(smuggled));
        BOOST_TEST(statuses(reply) == std::vector<int>{400}, headers << reply.substr(0, 300));
        BOOST_TEST(reply.find("{\"error\"") != std::string::npos, headers);
        BOOST_TEST(seconds_since(t) < 5.0, headers);
    }
}

BOOST_AUTO_TEST_CASE(chunked_bodies_and_pipelining_work) {
    const std::string body = "{\"q\":\"jumelage\"}";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    const std::string reply =
        exchange("POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n" +
                 std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n" +
                 "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                 "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(statuses(reply) == (std::vector<int>{200, 200, 200}), reply.substr(0, 400));
}

BOOST_AUTO_TEST_CASE(a_client_that_shuts_its_side_still_gets_its_answers) {
    Poco::Net::StreamSocket s = connect();
    send_all(s, "GET /search?q=jumelage HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    s.shutdownSend(); // as `printf … | nc -N` does
    BOOST_TEST(statuses(read_until_closed(s)) == (std::vector<int>{200, 200}));
}

// Issue 23 #6: SIGTERM stops the server within 5 s, whatever its connections are doing.
BOOST_AUTO_TEST_CASE(sigterm_stops_the_server_within_five_seconds) {
    Poco::Pipe out;
    Poco::ProcessHandle process = Poco::Process::launch(
        KB_SERVER_BIN,
        {"--port", "0", "--index", server().index, "--no-access-log", "--rate-limit", "0"}, nullptr,
        &out, nullptr);
    Poco::PipeInputStream stream(out);
    std::string line;
    std::getline(stream, line);
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex(":([0-9]+)/")), line);
    const auto port = static_cast<Poco::UInt16>(std::stoi(m[1]));
    std::vector<Poco::Net::StreamSocket> held;
    for (int i = 0; i < 100; ++i) {
        Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
        if (i % 2)
            send_all(s, "GET /search?q=eau HTTP/1.1\r\nHost: x\r\n"); // never finished
        held.push_back(s);
    }
    std::vector<std::thread> clients; // requests in flight when the signal comes
    clients.reserve(4);
    for (int i = 0; i < 4; ++i)
        clients.emplace_back([port] {
            try {
                Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
                for (int k = 0; k < 50; ++k)
                    send_all(s, "GET /search?q=coop%C3%A9ration+d%C3%A9centralis%C3%A9e+eau "
                                "HTTP/1.1\r\nHost: x\r\n\r\n");
                read_until_closed(s, 6);
            } catch (const Poco::Exception&) {
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto t = std::chrono::steady_clock::now();
    Poco::Process::requestTermination(process.id());
    int status = -1; // tryWait: -1 while it runs (isRunning would see the zombie)
    while ((status = process.tryWait()) == -1 && seconds_since(t) < 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double took = seconds_since(t);
    const bool stopped = status != -1;
    if (!stopped) {
        Poco::Process::kill(process);
        process.wait();
    }
    for (auto& c : clients)
        c.join();
    BOOST_TEST(stopped);
    BOOST_TEST(took < 5.0, "stopped in " << took << " s");
    BOOST_TEST(status == 0);
}

BOOST_AUTO_TEST_CASE(still_serving_after_the_attacks) {
    const std::string reply =
        exchange("GET /search?q=coop%C3%A9ration HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(statuses(reply) == std::vector<int>{200});
}

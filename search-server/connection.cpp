#include "connection.h"

#include "json_output.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <sstream>
#include <thread>

namespace kb::http {
namespace {

// --- Connections -------------------------------------------------------------------------
//
// Poco's HTTPServerConnection, with two differences:
// * a request has `timeout` seconds in all to arrive, from the connection's start (or the end
//   of the previous request plus the keep-alive wait). Poco's own timeout applies to each
//   read, so a client sending one byte every half second (slowloris) would hold a worker
//   thread forever; a watchdog shuts the socket down instead.
// * requests Poco cannot parse get a JSON error like every other error, and the status that
//   says why: 414 for a request line over Poco's 16 KiB (HTTPRequest::MAX_URI_LENGTH), 431 for
//   more than 100 header fields (MessageHeader::DFL_FIELD_LIMIT) or a field over 8 KiB
//   (MessageHeader::MAX_VALUE_LENGTH), 400 otherwise. Poco itself sends a bare 400.
class Watchdog {
public:
    struct Entry {
        // A constructor, not an aggregate: clang 14 (the fuzz build) has no parenthesised
        // aggregate initialisation for emplace.
        Entry(const Poco::Net::StreamSocket& s, std::int64_t deadline)
            : socket(s), deadline_ms(deadline) {}
        Poco::Net::StreamSocket socket;
        std::atomic<std::int64_t> deadline_ms; // 0 while a handler runs
        std::atomic<bool> expired{false};      // cut off by the watchdog
    };

    explicit Watchdog(std::chrono::milliseconds budget, std::chrono::milliseconds keep_alive)
        : budget_(budget), keep_alive_(keep_alive), thread_([this] { loop(); }) {}
    ~Watchdog() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

    std::list<Entry>::iterator add(const Poco::Net::StreamSocket& socket) {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.emplace_front(socket, now_ms() + budget_.count());
        return entries_.begin();
    }
    void remove(std::list<Entry>::iterator it) {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.erase(it);
    }
    void busy(Entry& e) { e.deadline_ms = 0; }
    void idle(Entry& e) { e.deadline_ms = now_ms() + keep_alive_.count() + budget_.count(); }

    /// Shuts every connection down (at server stop).
    void abort_all() {
        std::lock_guard<std::mutex> lock(mutex_);
        for (Entry& e : entries_)
            shut(e.socket);
    }

private:
    static std::int64_t now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
    static void shut(Poco::Net::StreamSocket& s) {
        try {
            s.shutdownReceive(); // the blocked read ends; Poco answers and closes
        } catch (...) {
        }
    }
    void loop() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            wake_.wait_for(lock, std::chrono::milliseconds(200));
            const std::int64_t now = now_ms();
            for (Entry& e : entries_) {
                const std::int64_t d = e.deadline_ms;
                if (d != 0 && now > d) {
                    e.deadline_ms = 0; // once
                    e.expired = true;
                    shut(e.socket);
                }
            }
        }
    }

    std::chrono::milliseconds budget_, keep_alive_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::list<Entry> entries_;
    bool stop_ = false;
    std::thread thread_;
};

class Connection : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
               Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Watchdog& watchdog)
        : TCPServerConnection(socket), params_(std::move(params)), factory_(std::move(factory)),
          watchdog_(watchdog) {}

    void run() override {
        auto entry = watchdog_.add(socket());
        try {
            serve(*entry);
        } catch (...) {
            watchdog_.remove(entry);
            throw;
        }
        watchdog_.remove(entry);
    }

private:
    // Follows Poco 1.11's HTTPServerConnection::run.
    void serve(Watchdog::Entry& entry) {
        using namespace Poco::Net;
        HTTPServerSession session(socket(), params_);
        while (session.hasMoreRequests()) {
            try {
                HTTPServerResponseImpl response(session);
                HTTPServerRequestImpl request(response, session, params_);
                watchdog_.busy(entry);
                if (entry.expired) { // what arrived before the cut is not the whole request
                    send_timeout(session);
                    break;
                }
                response.setDate(Poco::Timestamp());
                response.setVersion(request.getVersion());
                response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                                      session.canKeepAlive());
                std::unique_ptr<HTTPRequestHandler> handler(
                    factory_->createRequestHandler(request));
                if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK)
                    response.sendContinue();
                handler->handleRequest(request, response);
                session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                                     session.canKeepAlive());
                watchdog_.idle(entry);
            } catch (const NoMessageException&) {
                break;
            } catch (const MessageException& e) {
                if (entry.expired)
                    send_timeout(session);
                else
                    send_unreadable(session, e.message());
                break;
            } catch (const Poco::Exception&) {
                if (session.networkException())
                    session.networkException()->rethrow();
                throw;
            }
        }
    }

    void send_timeout(Poco::Net::HTTPServerSession& session) {
        send_error(session, 408, "request_timeout",
                   "the request did not arrive within the server's timeout");
    }

    static void send_unreadable(Poco::Net::HTTPServerSession& session, const std::string& why) {
        if (why.find("URI") != std::string::npos)
            send_error(session, 414, "uri_too_long",
                       "the request could not be read: " + why + " (the limit is 16 KiB)");
        else if (why.find("header fields") != std::string::npos ||
                 why.find("Field") != std::string::npos)
            send_error(session, 431, "headers_too_large",
                       "the request could not be read: " + why +
                           " (up to 100 header fields of up to 8 KiB each)");
        else
            send_error(session, 400, "bad_request", "the request could not be read: " + why);
    }

    static void send_error(Poco::Net::HTTPServerSession& session, int status,
                           const std::string& code, const std::string& message) {
        const std::string body = kb::http::error_json(code, message);
        try {
            Poco::Net::HTTPServerResponseImpl response(session);
            response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
            response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
            response.setKeepAlive(false);
            response.setContentType("application/json; charset=utf-8");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            std::ostream& out = response.send();
            out << body;
            out.flush();
            // Lingering close: a client still sending (a 1 MB header) would otherwise get a
            // connection reset, which can discard the answer before it reads it.
            Poco::Net::StreamSocket& socket = session.socket();
            socket.shutdownSend();
            socket.setReceiveTimeout(Poco::Timespan(0, 500000));
            char sink[16384];
            for (std::size_t drained = 0; drained < (4u << 20);) {
                const int n = socket.receiveBytes(sink, sizeof sink);
                if (n <= 0)
                    break;
                drained += static_cast<std::size_t>(n);
            }
        } catch (...) { // the client is gone, or stopped sending
        }
        session.setKeepAlive(false);
    }

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    Watchdog& watchdog_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Watchdog& watchdog)
        : params_(std::move(params)), factory_(std::move(factory)), watchdog_(watchdog) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override {
        return new Connection(s, params_, factory_, watchdog_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    Watchdog& watchdog_;
};

} // namespace

struct HttpListener::Impl {
    Impl(const Poco::Net::ServerSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
         Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::chrono::seconds timeout,
         std::chrono::seconds keep_alive)
        : watchdog{timeout, keep_alive},
          server(new ConnectionFactory(params, handlers, watchdog), socket, params) {}
    Watchdog watchdog;
    Poco::Net::TCPServer server;
};

HttpListener::HttpListener(const Poco::Net::ServerSocket& socket,
                           Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           std::chrono::seconds timeout, std::chrono::seconds keep_alive)
    : impl_(std::make_unique<Impl>(socket, params, handlers, timeout, keep_alive)) {}

HttpListener::~HttpListener() = default;

void HttpListener::start() { impl_->server.start(); }

void HttpListener::stop() {
    impl_->server.stop();
    impl_->watchdog.abort_all(); // keep-alive connections too; then let them end
    for (int i = 0; i < 50 && impl_->server.currentConnections() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

} // namespace kb::http

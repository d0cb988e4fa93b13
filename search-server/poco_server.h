#pragma once

#include "static_files.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <memory>
#include <string>

namespace kb::http {

/// Settings shared by every worker thread.
struct ServerConfig {
    std::string index_path;
    std::shared_ptr<const StaticFiles> files;
    bool access_log = true;
};

/// Poco's router: wraps each request into kb::http::Request, dispatches it on this thread's
/// own Searcher (Xapian databases are not thread-safe) and writes the Response.
class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(ServerConfig config) : config_(std::move(config)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    ServerConfig config_;
};

} // namespace kb::http

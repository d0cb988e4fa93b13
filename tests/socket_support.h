#pragma once

// Raw-socket helpers for the tests that send what an HTTP client would refuse to send.
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <string>

namespace kb::test {

/// Sends `bytes` as they are; a reset while sending (the server stopped reading) ends it.
inline void send_all(Poco::Net::StreamSocket& s, const std::string& bytes) {
    try {
        for (std::size_t sent = 0; sent < bytes.size();) {
            const int n =
                s.sendBytes(bytes.data() + sent,
                            static_cast<int>(std::min<std::size_t>(65536, bytes.size() - sent)));
            if (n <= 0)
                return;
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception&) {
    }
}

/// Everything the server sends until it closes the connection (or `seconds` pass).
inline std::string read_until_closed(Poco::Net::StreamSocket& s, int seconds = 10) {
    s.setReceiveTimeout(Poco::Timespan(seconds, 0));
    std::string text;
    char buf[65536];
    try {
        for (;;) {
            const int n = s.receiveBytes(buf, sizeof buf);
            if (n <= 0)
                break;
            text.append(buf, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception&) {
    }
    return text;
}

} // namespace kb::test

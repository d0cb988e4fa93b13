#pragma once

// Shared by the libFuzzer targets: how a broken invariant is reported. abort() makes libFuzzer
// save the input as crash-<sha1> and print the stack, like a sanitizer finding.

#include "core/error.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace kb::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "\n== fuzz invariant broken: %s\n", what.c_str());
    std::abort();
}

/// An exception the entry point's contract does not allow: a finding, with its type and text.
[[noreturn]] inline void unexpected_exception(std::string_view entry_point) {
    try {
        throw;
    } catch (const std::exception& e) {
        fail(std::string(entry_point) + " threw a non-kb::Error exception: " + e.what());
    } catch (...) {
        fail(std::string(entry_point) + " threw something that is not a std::exception");
    }
}

/// Runs f(): an entry point on user input may throw kb::Error(InvalidRequest) and nothing else.
template <typename F> void only_invalid_request(std::string_view entry_point, F&& f) {
    try {
        f();
    } catch (const kb::Error& e) {
        if (e.kind() != kb::ErrorKind::InvalidRequest)
            fail(std::string(entry_point) + " threw kb::Error " + e.code() + ": " + e.message());
    } catch (...) {
        unexpected_exception(entry_point);
    }
}

} // namespace kb::fuzz

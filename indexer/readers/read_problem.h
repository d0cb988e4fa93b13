#pragma once

#include <string>

namespace kb {

/// A source (or one line of it) that could not be read, with a reason a user can act on.
struct ReadProblem {
    std::string path;
    std::size_t line = 0; ///< 0 when the problem concerns the whole file
    std::string reason;
    /// false when the source was read, but not all of it (an HTML page whose body came out
    /// empty is indexed by its title): its record is still indexed.
    bool skipped = true;

    /// "path:line: reason" or "path: reason".
    std::string to_string() const {
        return path + (line ? ":" + std::to_string(line) : std::string()) + ": " + reason;
    }
};

} // namespace kb

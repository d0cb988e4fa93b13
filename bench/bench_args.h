#pragma once
// A benchmark's command line, walked one option at a time; an option's value is the next
// argument: for (kb::bench::Args a(args); a.next();) if (a.is("--max")) max = a.value();

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace kb::bench {

class Args {
public:
    explicit Args(const std::vector<std::string>& args) : args_(args) {}

    /// Moves to the next argument; false past the last one.
    bool next() { return ++at_ < args_.size(); }
    const std::string& current() const { return args_[at_]; }
    bool is(const char* option) const { return current() == option; }
    /// The current option's value; throws when the command line ends before it.
    const std::string& value() {
        if (at_ + 1 >= args_.size())
            throw std::runtime_error(current() + " needs a value");
        return args_[++at_];
    }

private:
    const std::vector<std::string>& args_;
    std::size_t at_ = static_cast<std::size_t>(-1); // next() moves to 0
};

} // namespace kb::bench

#pragma once

#include <xapian.h>

#include <chrono>
#include <optional>

namespace kb {

/// The time budget of one request (RankingSettings::time_limit_ms), shared by its matches.
class TimeBudget {
public:
    /// Starts a budget of `limit_ms` from `started` (0 or less: none) and clears timed_out().
    void start(std::chrono::steady_clock::time_point started, double limit_ms);
    /// No budget any more (between requests).
    void stop() { deadline_.reset(); }
    /// enquire.get_mset; one started with the budget spent checks nothing beyond its page.
    /// Sets timed_out() when the budget was spent by the end of it.
    Xapian::MSet mset(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount max_items,
                      Xapian::doccount check_at_least);
    /// True when some match of the request ran out of time.
    bool timed_out() const { return timed_out_; }

private:
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    bool timed_out_ = false;
};

} // namespace kb

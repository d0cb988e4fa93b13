#include "core/search/time_budget.h"

#include <algorithm>

namespace kb {

void TimeBudget::start(std::chrono::steady_clock::time_point started, double limit_ms) {
    deadline_.reset();
    if (limit_ms > 0)
        deadline_ = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double, std::milli>(limit_ms));
    timed_out_ = false;
}

Xapian::MSet TimeBudget::mset(Xapian::Enquire& enquire, Xapian::doccount first,
                              Xapian::doccount max_items, Xapian::doccount check_at_least) {
    if (deadline_) {
        const double left =
            std::chrono::duration<double>(*deadline_ - std::chrono::steady_clock::now()).count();
        // 0 would mean no limit to Xapian: a spent budget is a microsecond.
        enquire.set_time_limit(std::max(left, 1e-6));
    }
    Xapian::MSet mset = enquire.get_mset(first, max_items, check_at_least);
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_)
        timed_out_ = true;
    return mset;
}

} // namespace kb

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
    // Not Enquire::set_time_limit: Xapian 1.4 arms a SIGEV_THREAD timer whose thread writes
    // "expired" into get_mset's stack frame, and timer_delete does not wait for a thread
    // already started, so a budget running out as the match ends corrupts the caller's stack.
    // Its only effect is what a spent budget does here: no counting past the page.
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
        check_at_least = std::min(check_at_least, first + max_items);
        timed_out_ = true;
    }
    Xapian::MSet mset = enquire.get_mset(first, max_items, check_at_least);
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_)
        timed_out_ = true;
    return mset;
}

} // namespace kb

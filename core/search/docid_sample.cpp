#include "core/search/docid_sample.h"

#include <algorithm>

namespace kb {

DocidWindows::DocidWindows(Xapian::docid width, Xapian::docid stride)
    : width_(std::max<Xapian::docid>(width, 1)), stride_(std::max(stride, width_)) {}

unsigned long long DocidWindows::window_start(unsigned long long k) const {
    // splitmix64's finaliser: a fixed, well-spread offset per window, the same on every run.
    unsigned long long z = k + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return k * stride_ + 1 + z % (stride_ - width_ + 1);
}

double DocidWindows::fraction(Xapian::docid last) const {
    if (last == 0)
        return 1.0;
    const unsigned long long strides = last / stride_;
    unsigned long long covered = strides * width_;
    // The last, partial stride: the part of its window before `last`.
    const unsigned long long start = window_start(strides);
    if (last >= start)
        covered += std::min<unsigned long long>(width_, last - start + 1);
    return double(covered) / double(last);
}

void DocidWindows::init(const Xapian::Database& db) {
    last_ = db.get_lastdocid();
    doccount_ = db.get_doccount();
    did_ = 0; // before the first next() or skip_to()
}

Xapian::doccount DocidWindows::get_termfreq_est() const {
    return static_cast<Xapian::doccount>(doccount_ * fraction(last_));
}

Xapian::doccount DocidWindows::get_termfreq_max() const { return doccount_; }

void DocidWindows::next(double) {
    ++did_;
    into_window();
}

void DocidWindows::skip_to(Xapian::docid did, double) {
    if (did <= did_)
        return;
    did_ = did;
    into_window();
}

void DocidWindows::into_window() {
    if (did_ > last_)
        return;
    // In 64 bits: the next window may start past the largest docid.
    const unsigned long long k = (did_ - 1ull) / stride_;
    unsigned long long start = window_start(k);
    if (did_ >= start + width_)
        start = window_start(k + 1);
    const unsigned long long next = std::max<unsigned long long>(did_, start);
    did_ = next > last_ ? last_ + 1 : static_cast<Xapian::docid>(next);
}

} // namespace kb

#pragma once

#include <xapian.h>

namespace kb {

/// The documents whose ids fall in windows of `width` consecutive ids, one window in every
/// `stride` ids over the whole database, at a pseudo-random place in it (so that a corpus with
/// a period in its ids is not sampled in step with it). ANDed with a query, it keeps a share of
/// its matches spread over the index rather than its first documents (an index is written
/// source by source, so its first matches are not a fair sample), and Xapian skips between
/// windows.
///
/// Local databases only: a remote shard cannot rebuild a source it does not know.
class DocidWindows : public Xapian::PostingSource {
public:
    DocidWindows(Xapian::docid width, Xapian::docid stride);

    /// The share of the ids 1…last that the windows cover.
    double fraction(Xapian::docid last) const;

    void init(const Xapian::Database& db) override;
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override;
    Xapian::doccount get_termfreq_max() const override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool at_end() const override { return did_ > last_; }
    Xapian::docid get_docid() const override { return did_; }
    DocidWindows* clone() const override { return new DocidWindows(width_, stride_); }

private:
    /// The first id of the window in stride number k (ids k·stride + 1 …).
    unsigned long long window_start(unsigned long long k) const;
    /// Moves did_ to the first id at or after it that is inside a window.
    void into_window();

    Xapian::docid width_, stride_;
    Xapian::docid did_ = 0, last_ = 0;
    Xapian::doccount doccount_ = 0;
};

} // namespace kb

#include "core/search/index_handle.h"

#include "core/schema/schema.h"

namespace kb {

IndexHandle::IndexHandle(const std::string& index_spec, SearcherOptions options)
    : path_(index_spec), options_(options) {
    const std::vector<ShardSpec> specs = parse_index_spec(index_spec);
    if (specs.size() == 1 && !specs[0].remote()) {
        try {
            db_ = Xapian::Database(specs[0].path);
        } catch (const Xapian::DatabaseOpeningError& e) {
            throw Error(ErrorKind::Unavailable, "index_unavailable",
                        "cannot open index " + index_spec + ": " + e.get_msg() +
                            " (run the indexer first: ./kb index)");
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::Internal, "index_unavailable",
                        "cannot open index " + index_spec + ": " + e.get_description());
        }
        shards_.push_back({specs[0], db_, true, false, ""});
        return;
    }
    for (const ShardSpec& spec : specs) {
        Shard shard;
        shard.spec = spec;
        open_shard(shard);
        shards_.push_back(std::move(shard));
    }
    combine();
    last_retry_ = std::chrono::steady_clock::now();
    const ShardStatus status = shard_status();
    if (status.available == 0 && options_.require_a_shard) {
        std::string why;
        for (const Shard& s : shards_)
            if (!s.up)
                why += (why.empty() ? "" : "; ") + s.spec.name + ": " + s.error;
        throw Error(ErrorKind::Unavailable, "index_unavailable",
                    "cannot open any shard of " + index_spec + " (" + why + ")");
    }
}

bool IndexHandle::open_shard(Shard& shard) {
    try {
        const ShardSpec& spec = shard.spec;
        shard.db = spec.remote()
                       ? Xapian::Remote::open(spec.host, spec.port, options_.remote_timeout_ms,
                                              options_.remote_timeout_ms)
                       : Xapian::Database(spec.path);
        shard.aux = shard.db.get_doccount() == 0 &&
                    shard.db.get_metadata(std::string(schema::kRoleKey)) == schema::kAuxRole;
        shard.up = true;
        shard.error.clear();
    } catch (const Xapian::Error& e) {
        shard.db = Xapian::Database();
        shard.up = false;
        shard.error = e.get_description();
    }
    return shard.up;
}

void IndexHandle::combine() {
    Xapian::Database all;
    combined_.clear();
    // The aux database first: Xapian reads metadata (the last commit) from the first one.
    for (bool aux : {true, false})
        for (std::size_t i = 0; i < shards_.size(); ++i)
            if (shards_[i].up && shards_[i].aux == aux) {
                all.add_database(shards_[i].db);
                combined_.push_back(i);
            }
    db_ = all;
}

void IndexHandle::drop_failed_shards() {
    for (Shard& s : shards_) {
        if (!s.up || !s.spec.remote())
            continue;
        try {
            s.db.reopen();
            (void)s.db.get_doccount();
        } catch (const Xapian::Error&) {
            // The connection is gone (the shard stopped, or xapian-tcpsrv closed it after its
            // idle timeout): the shard is down only if a new connection fails too.
            open_shard(s);
        }
    }
    combine();
    last_retry_ = std::chrono::steady_clock::now();
}

void IndexHandle::retry_down_shards() {
    bool any_down = false;
    for (const Shard& s : shards_)
        any_down = any_down || !s.up;
    const auto now = std::chrono::steady_clock::now();
    if (!any_down || now - last_retry_ < options_.retry_interval)
        return;
    last_retry_ = now;
    bool changed = false;
    for (Shard& s : shards_)
        if (!s.up)
            changed = open_shard(s) || changed;
    if (changed)
        combine();
}

Error IndexHandle::unavailable(const std::string& why) {
    return Error(ErrorKind::Unavailable, "shards_unavailable", why);
}

bool IndexHandle::any_remote() const {
    for (const Shard& s : shards_)
        if (s.spec.remote())
            return true;
    return false;
}

unsigned IndexHandle::document_databases() const {
    unsigned n = 0;
    for (const Shard& s : shards_)
        n += s.up && !s.aux ? 1 : 0;
    return n;
}

ShardStatus IndexHandle::shard_status() const {
    ShardStatus status;
    status.total = status.available = 0;
    for (const Shard& s : shards_) {
        if (s.aux)
            continue;
        ++status.total;
        if (s.up)
            ++status.available;
        else
            status.unavailable.push_back(s.spec.name);
    }
    if (shards_.empty())
        status.total = status.available = 1; // a database given directly
    return status;
}

void IndexHandle::refresh() {
    retry_down_shards();
    // A remote shard that stopped answering makes reopen() throw: leave it out and go on.
    for (std::size_t attempt = 0; attempt <= shards_.size(); ++attempt) {
        try {
            db_.reopen();
            return;
        } catch (const Xapian::NetworkError&) {
            drop_failed_shards();
        }
    }
}

} // namespace kb

#pragma once

#include "core/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace kb {

/// Holds an exclusive flock on DIR/lock while vectors are built there: the indexer and a
/// server refreshing vectors after a write never build at the same time (each removes the
/// files the other's manifest is about to name). The kernel releases the lock if the process
/// dies.
class BuildLock {
public:
    explicit BuildLock(const std::filesystem::path& dir) {
        const std::string path = (dir / "lock").string();
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw Error(ErrorKind::Internal, "vectors_lock",
                        "cannot open " + path + ": " + std::strerror(errno));
        while (::flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR) {
                const int err = errno;
                ::close(fd_);
                throw Error(ErrorKind::Internal, "vectors_lock",
                            "cannot lock " + path + ": " + std::strerror(err));
            }
    }
    ~BuildLock() { ::close(fd_); }
    BuildLock(const BuildLock&) = delete;
    BuildLock& operator=(const BuildLock&) = delete;

private:
    int fd_ = -1;
};

} // namespace kb

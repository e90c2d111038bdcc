// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mailpolicy {
namespace internal {

namespace {

absl::Status OsError(int err) {
  return absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err));
}

// Appends what `fd` holds until its end to *contents; OutOfRange past
// `max_bytes` in all.
absl::Status ReadToEnd(int fd, size_t max_bytes, std::string* contents) {
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) return absl::OkStatus();
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsError(errno);
    }
    contents->append(buffer, static_cast<size_t>(n));
    if (contents->size() > max_bytes) {
      return absl::OutOfRangeError(absl::StrCat("it is more than the ", max_bytes,
                                                " bytes this reads"));
    }
  }
}

}  // namespace

absl::StatusOr<std::string> ReadRegularFile(const std::string& path, size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return OsError(errno);
  absl::Status status;
  std::string contents;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    status = OsError(errno);
  } else if (S_ISDIR(st.st_mode)) {
    status = absl::FailedPreconditionError("it is a directory");
  } else if (!S_ISREG(st.st_mode)) {
    status = absl::FailedPreconditionError("it is not a regular file (a device, FIFO or socket)");
  } else if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    status = absl::OutOfRangeError(absl::StrCat("it is ", st.st_size, " bytes, more than the ",
                                                max_bytes, " this reads"));
  } else {
    contents.reserve(static_cast<size_t>(st.st_size));
    status = ReadToEnd(fd, max_bytes, &contents);  // it may have grown since
  }
  close(fd);
  if (!status.ok()) return status;
  return contents;
}

absl::StatusOr<std::string> ReadStream(int fd, size_t max_bytes) {
  std::string contents;
  absl::Status status = ReadToEnd(fd, max_bytes, &contents);
  if (!status.ok()) return status;
  return contents;
}

absl::Status ReplaceRegularFile(const std::string& given, absl::string_view contents) {
  if (given.empty()) return absl::InvalidArgumentError("an empty file name");
  // A symbolic link stays one: its target is replaced.
  std::string path = given;
  if (char* resolved = realpath(given.c_str(), nullptr)) {
    path = resolved;
    free(resolved);
  }
  struct stat st;
  bool existed = false;
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return absl::FailedPreconditionError("it is a directory");
    if (!S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError("it is not a regular file (a device, FIFO or socket)");
    }
    existed = true;
  } else if (errno != ENOENT) {
    return OsError(errno);
  }
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) return OsError(errno);
  const mode_t mask = umask(0);
  umask(mask);
  absl::Status status;
  // The file keeps its mode and, where this process may set them, its owner
  // and group (a policy readable by the daemon's group only stays so).
  if (fchmod(fd, existed ? (st.st_mode & 07777) : (0644 & ~mask)) != 0) status = OsError(errno);
  if (existed && (st.st_uid != geteuid() || st.st_gid != getegid())) {
    (void)fchown(fd, st.st_uid, st.st_gid);  // only root may give a file away
  }
  size_t written = 0;
  while (status.ok() && written < contents.size()) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = OsError(errno);
      break;
    }
    written += static_cast<size_t>(n);
  }
  if (status.ok() && fsync(fd) != 0) status = OsError(errno);
  if (close(fd) != 0 && status.ok()) status = OsError(errno);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) status = OsError(errno);
  if (!status.ok()) unlink(temp.c_str());
  return status;
}

}  // namespace internal
}  // namespace mailpolicy

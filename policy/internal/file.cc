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

absl::StatusOr<std::string> ReadRegularFile(const std::string& path, size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    return absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err));
  }
  absl::Status status;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    status = absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err));
  } else if (S_ISDIR(st.st_mode)) {
    status = absl::FailedPreconditionError("it is a directory");
  } else if (!S_ISREG(st.st_mode)) {
    status = absl::FailedPreconditionError("it is not a regular file (a device, FIFO or socket)");
  } else if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    status = absl::OutOfRangeError(absl::StrCat("it is ", st.st_size, " bytes, more than the ",
                                                max_bytes, " this reads"));
  }
  std::string contents;
  if (status.ok() && st.st_size > 0) contents.reserve(static_cast<size_t>(st.st_size));
  char buffer[65536];
  while (status.ok()) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      status = absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err));
      break;
    }
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > max_bytes) {  // it grew while being read
      status = absl::OutOfRangeError(absl::StrCat("it is more than the ", max_bytes,
                                                  " bytes this reads"));
    }
  }
  close(fd);
  if (!status.ok()) return status;
  return contents;
}

absl::StatusOr<std::string> ReadStream(int fd, size_t max_bytes) {
  std::string contents;
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) return contents;
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      return absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err));
    }
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > max_bytes) {
      return absl::OutOfRangeError(absl::StrCat("it is more than the ", max_bytes,
                                                " bytes this reads"));
    }
  }
}

absl::Status ReplaceRegularFile(const std::string& given, absl::string_view contents) {
  auto os_error = [](int err) { return absl::Status(absl::ErrnoToStatusCode(err), std::strerror(err)); };
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
    return os_error(errno);
  }
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) return os_error(errno);
  const mode_t mask = umask(0);
  umask(mask);
  absl::Status status;
  // The file keeps its mode and, where this process may set them, its owner
  // and group (a policy readable by the daemon's group only stays so).
  if (fchmod(fd, existed ? (st.st_mode & 07777) : (0644 & ~mask)) != 0) status = os_error(errno);
  if (existed && (st.st_uid != geteuid() || st.st_gid != getegid())) {
    (void)fchown(fd, st.st_uid, st.st_gid);  // only root may give a file away
  }
  size_t written = 0;
  while (status.ok() && written < contents.size()) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = os_error(errno);
      break;
    }
    written += static_cast<size_t>(n);
  }
  if (status.ok() && fsync(fd) != 0) status = os_error(errno);
  if (close(fd) != 0 && status.ok()) status = os_error(errno);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) status = os_error(errno);
  if (!status.ok()) unlink(temp.c_str());
  return status;
}

}  // namespace internal
}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"

namespace mailpolicy {
namespace internal {

absl::StatusOr<std::string> ReadRegularFile(const std::string& path) {
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
  }
  close(fd);
  if (!status.ok()) return status;
  return contents;
}

}  // namespace internal
}  // namespace mailpolicy

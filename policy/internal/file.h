// Copyright 2026 The mailpolicy Authors.
//
// Reading a whole regular file, with the operating system's reason when it
// cannot be read: policies (the loader, reloads) and messages (the CLI).

#ifndef MAILPOLICY_POLICY_INTERNAL_FILE_H_
#define MAILPOLICY_POLICY_INTERNAL_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mailpolicy {
namespace internal {

// The contents of the regular file at `path`, read whole. Errors (the
// message is the reason alone; callers name the path):
//  - NotFound / PermissionDenied / Unavailable...: strerror(errno) of
//    open(2) or read(2), such as "No such file or directory";
//  - FailedPrecondition "it is a directory";
//  - FailedPrecondition "it is not a regular file (a device, FIFO or
//    socket)": /dev/null is no policy or message, and a FIFO would block.
// Opened with O_NONBLOCK so that a FIFO is refused, never waited on.
// Thread-safe (no shared state).
// A file longer than `max_bytes` is refused (OutOfRange, "it is N bytes,
// more than the M this reads"), before anything is read.
absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes = size_t{1} << 30);

// Everything readable from `fd` (a pipe, standard input) until its end,
// refused past `max_bytes` (OutOfRange). Errors carry the OS reason.
absl::StatusOr<std::string> ReadStream(int fd, size_t max_bytes = size_t{1} << 30);

// Replaces the file at `path` with `contents` atomically: written to a new
// file in the same directory, then renamed over `path`, so that a daemon
// reloading `path` reads the old policy or the new one, never half of one.
// A symbolic link stays one (its target is replaced). A `path` that exists
// and is not a regular file (a directory, FIFO or device) is refused, as is
// an empty one. Errors carry the OS reason (strerror). A replaced file
// keeps its mode, and its owner and group where the process may set them;
// a new one has mode 0644 less the umask.
absl::Status ReplaceRegularFile(const std::string& path, absl::string_view contents);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_FILE_H_

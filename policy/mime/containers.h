// Copyright 2026 The mailpolicy Authors.
//
// The files inside a file: archives (zip, 7z, rar, tar, cpio and their
// gzip, bzip2, xz, zstd forms, through libarchive) and Outlook's TNEF
// (winmail.dat, through libytnef), read from memory with bounds, so that an
// archive bomb costs at most the bounds. Used by policy/mime.
//
// Thread safety: the functions are safe to call concurrently; they share no
// state. Errors are values: a file that cannot be read is reported, never a
// crash.

#ifndef MAILPOLICY_POLICY_MIME_CONTAINERS_H_
#define MAILPOLICY_POLICY_MIME_CONTAINERS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "policy/message.h"

namespace mailpolicy {
namespace mime {

// A file found inside a container.
struct ContainedFile {
  // Its path inside the container as stored ("tools/setup.exe"): bytes in
  // the container's encoding, which need not be UTF-8. Empty for the one
  // file of a compressed single file (setup.exe.gz), which is saved under
  // its container's name without the suffix.
  std::string name;
  // Other names the container gives it: a TNEF attachment's title, when its
  // MAPI long file name is `name`. Bytes, as `name`.
  std::vector<std::string> other_names;
  uint64_t size = 0;        // bytes once extracted
  std::string first_bytes;  // up to kFirstBytesKept (policy/message.h)
  // The whole content, when it is no larger than ContainerLimits::keep_bytes
  // (to look inside a container in a container); else empty.
  std::string data;
  bool encrypted = false;  // its content could not be read without a password
};

enum class ContainerKind {
  kNone,
  kArchive,  // by its magic number
  kTnef,     // by its signature 0x223E9F78
};

// How much of a file's start tells a container by its magic (tar's lies at
// bytes 257-262).
inline constexpr size_t kContainerMagicBytes = 512;

// An ISO 9660 image (.iso, .img: mail that hides programs uses them, since
// Windows opens them with a double click) says so at byte 32769 ("CD001"),
// after a 32 KiB system area of zeros or, in a hybrid image, a master boot
// record (55 AA at byte 510).
inline constexpr size_t kDiskImageMagicBytes = 32774;

// What the first bytes say a file is (pass kContainerMagicBytes of them, or
// all of a shorter file; kDiskImageMagicBytes where MayBeDiskImage).
ContainerKind ContainerKindOf(absl::string_view first_bytes);

// Whether kContainerMagicBytes of a file's start look like a disk image's
// (zeros, or a master boot record), so that an archive entry is read to
// kDiskImageMagicBytes before ContainerKindOf decides. An attachment of the
// message itself is always read that far; so is an entry named like an image
// (DiskImageName).
bool MayBeDiskImage(absl::string_view first_bytes);
// Whether `name` ends in .iso, .img or .udf (any case).
bool DiskImageName(absl::string_view name);

struct ContainerLimits {
  size_t max_entries = 1000;             // files listed at most
  uint64_t max_read_bytes = 256ull << 20;  // bytes extracted at most, in all
  uint64_t keep_bytes = 16ull << 20;      // ContainedFile::data kept up to this
};

enum class ListResult {
  kOk,
  kUnreadable,  // corrupt or truncated; the files listed before are kept
  kTooLarge,    // a limit was met (entries, bytes extracted, a container too
                // large to look inside); what was listed is kept
};

// Appends the files of the archive or TNEF file `bytes` to `out`.
ListResult ListArchive(absl::string_view bytes, const ContainerLimits& limits,
                       std::vector<ContainedFile>* out);
ListResult ListTnef(absl::string_view bytes, const ContainerLimits& limits,
                    std::vector<ContainedFile>* out);

}  // namespace mime
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_MIME_CONTAINERS_H_

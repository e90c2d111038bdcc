// Copyright 2026 The mailpolicy Authors.
//
// Archives through libarchive, read from memory.

#include <archive.h>
#include <archive_entry.h>

#include <locale.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "policy/mime/containers.h"

namespace mailpolicy {
namespace mime {
namespace {


bool StartsWith(absl::string_view bytes, absl::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

// libarchive converts entry names to the current locale's charset, and in
// the C locale a UTF-8 name (zip's flag bit 11, 7z, pax) cannot be
// converted at all. Reading happens under a UTF-8 locale for this thread
// only (uselocale), so that such names come out as UTF-8 and names in a
// legacy code page (GBK zips from Chinese Windows) come out as stored.
class Utf8LocaleScope {
 public:
  Utf8LocaleScope() {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (utf8 != static_cast<locale_t>(0)) previous_ = uselocale(utf8);
  }
  ~Utf8LocaleScope() {
    if (previous_ != static_cast<locale_t>(0)) uselocale(previous_);
  }
  Utf8LocaleScope(const Utf8LocaleScope&) = delete;
  Utf8LocaleScope& operator=(const Utf8LocaleScope&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(0);
};

struct ArchiveFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;

// The magic of a compression filter alone (a file that is compressed, not
// necessarily an archive of several).
bool CompressedMagic(absl::string_view b) {
  return StartsWith(b, "\x1f\x8b") || StartsWith(b, "BZh") ||
         StartsWith(b, absl::string_view("\xfd" "7zXZ\x00", 6)) ||
         StartsWith(b, "\x28\xb5\x2f\xfd");  // zstd
}

// Reads the start of the next entry's data: its first bytes and, for an
// entry that is itself a container no larger than keep_bytes, the whole of
// it (to look inside); anything else is skipped, not extracted. Returns
// false if the data could not be read.
bool ReadEntry(struct archive* a, const ContainerLimits& limits, uint64_t* budget,
               ContainedFile* file, bool* unseen) {
  char buffer[16384];
  std::string head;  // the first bytes, until it is clear what the entry is
  bool whole = false;
  uint64_t read = 0;
  for (;;) {
    if (*budget == 0) {  // stop extracting; the size is the header's
      *unseen = true;
      return true;
    }
    const size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof(buffer), *budget));
    const la_ssize_t n = archive_read_data(a, buffer, want);
    if (n == 0) break;
    if (n < 0) return false;
    *budget -= static_cast<uint64_t>(n);
    read += static_cast<uint64_t>(n);
    if (!whole) {
      head.append(buffer, static_cast<size_t>(n));
      if (head.size() < kContainerMagicBytes) continue;
      const bool container = ContainerKindOf(head) != ContainerKind::kNone;
      // Past 512 bytes only where an image is likely: reading 32 KiB of
      // every entry would inflate most of a large archive.
      if (!container && head.size() < kDiskImageMagicBytes &&
          (MayBeDiskImage(head) || DiskImageName(file->name))) {
        continue;
      }
      whole = container && std::max<uint64_t>(file->size, read) <= limits.keep_bytes;
      *unseen |= container && !whole;  // a container too large to look inside
      if (!whole) break;
      file->data = std::move(head);
      head.clear();
      continue;
    }
    if (file->data.size() + static_cast<size_t>(n) > limits.keep_bytes) {
      std::string().swap(file->data);  // larger than its header said: not kept
      whole = false;
      *unseen = true;
      break;
    }
    file->data.append(buffer, static_cast<size_t>(n));
  }
  const std::string& start = file->data.empty() ? head : file->data;
  file->first_bytes = start.substr(0, kFirstBytesKept);
  if (!whole && file->data.empty() && !head.empty() && head.size() < kContainerMagicBytes &&
      ContainerKindOf(head) != ContainerKind::kNone) {
    // A small container, read whole already.
    if (head.size() <= limits.keep_bytes) {
      file->data = std::move(head);
    } else {
      *unseen = true;
    }
  }
  file->size = std::max(file->size, read);
  return true;
}

// The names an ISO image's Joliet directory gives the files `*out` holds
// from index `first` on, as other names where they differ. The image is read
// again with Rock Ridge off; the files come in the same order. Headers only.
void AddJolietNames(absl::string_view bytes, size_t first, std::vector<ContainedFile>* out) {
  ArchivePtr a(archive_read_new());
  if (a == nullptr) return;
  archive_read_support_format_iso9660(a.get());
  if (archive_read_set_format_option(a.get(), "iso9660", "rockridge", nullptr) != ARCHIVE_OK ||
      archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return;
  }
  size_t i = first;
  struct archive_entry* entry = nullptr;
  while (i < out->size() && archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) == AE_IFDIR) continue;
    const char* name = archive_entry_pathname(entry);
    ContainedFile& file = (*out)[i++];
    if (name != nullptr && file.name != name) file.other_names.emplace_back(name);
  }
}

ListResult List(absl::string_view bytes, const ContainerLimits& limits, bool raw,
                std::vector<ContainedFile>* out, bool* recognized) {
  Utf8LocaleScope utf8_names;
  ArchivePtr a(archive_read_new());
  if (a == nullptr) return ListResult::kUnreadable;
  // The formats ContainerKindOf recognises, and no others: every format
  // registered bids on every file, which costs more than listing a small zip.
  for (auto* support : {archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
                        archive_read_support_filter_xz, archive_read_support_filter_lzma,
                        archive_read_support_filter_zstd}) {
    support(a.get());
  }
  if (raw) {
    archive_read_support_format_raw(a.get());
  } else {
    for (auto* support : {archive_read_support_format_zip, archive_read_support_format_7zip,
                          archive_read_support_format_rar, archive_read_support_format_rar5,
                          archive_read_support_format_tar, archive_read_support_format_cpio,
                          archive_read_support_format_iso9660}) {
      support(a.get());
    }
  }
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return ListResult::kUnreadable;
  }
  // A compressed single file no decompressor takes (its header damaged):
  // the raw reader would give its bytes back as they are, a "container"
  // inside itself.
  if (raw && archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_NONE) {
    return ListResult::kUnreadable;
  }
  uint64_t budget = limits.max_read_bytes;
  size_t listed = 0;
  bool unseen = false;  // some content was not looked into: a bound was met
  const size_t first = out->size();
  ListResult result = ListResult::kOk;
  for (;;) {
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) {
      result = unseen ? ListResult::kTooLarge : ListResult::kOk;
      break;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      result = ListResult::kUnreadable;
      break;
    }
    *recognized = true;
    if (archive_entry_filetype(entry) == AE_IFDIR) continue;
    if (listed == limits.max_entries) {
      result = ListResult::kTooLarge;
      break;
    }
    ++listed;
    ContainedFile file;
    const char* name = archive_entry_pathname(entry);
    // A compressed single file is saved under its container's name without
    // the compression suffix; libarchive names it "data", or by the name its
    // gzip header keeps (RFC 1952 FNAME), which gunzip -N and 7-Zip save
    // under: another name of the file.
    file.name = raw || name == nullptr ? "" : name;
    if (raw && name != nullptr && std::strcmp(name, "data") != 0) {
      file.other_names.emplace_back(name);
    }
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
      file.size = static_cast<uint64_t>(archive_entry_size(entry));
    }
    file.encrypted = archive_entry_is_encrypted(entry) != 0;
    const bool read = file.encrypted || ReadEntry(a.get(), limits, &budget, &file, &unseen);
    out->push_back(std::move(file));
    if (!read) {
      result = ListResult::kUnreadable;
      break;
    }
  }
  // An ISO image may name a file twice: Rock Ridge (what libarchive lists)
  // and Joliet (what Windows shows). Both count.
  if (!raw && (archive_format(a.get()) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ISO9660) {
    AddJolietNames(bytes, first, out);
  }
  return result;
}

}  // namespace

ContainerKind ContainerKindOf(absl::string_view b) {
  if (StartsWith(b, "PK\x03\x04") || StartsWith(b, "PK\x05\x06") ||
      StartsWith(b, "Rar!\x1a\x07") || StartsWith(b, "7z\xbc\xaf\x27\x1c") ||
      StartsWith(b, "07070") || StartsWith(b, "\xc7\x71") || StartsWith(b, "\x71\xc7") ||
      CompressedMagic(b) || (b.size() >= 262 && b.substr(257, 5) == "ustar") ||
      (b.size() >= kDiskImageMagicBytes && b.substr(32769, 5) == "CD001")) {
    return ContainerKind::kArchive;
  }
  if (StartsWith(b, "\x78\x9f\x3e\x22")) return ContainerKind::kTnef;
  return ContainerKind::kNone;
}

bool DiskImageName(absl::string_view name) {
  if (name.size() < 5) return false;
  std::string suffix(name.substr(name.size() - 4));
  for (char& c : suffix) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  return suffix == ".iso" || suffix == ".img" || suffix == ".udf";
}

bool MayBeDiskImage(absl::string_view b) {
  if (b.size() < kContainerMagicBytes) return false;
  if (b.substr(510, 2) == "\x55\xaa") return true;  // a master boot record
  return std::all_of(b.begin(), b.begin() + kContainerMagicBytes, [](char c) { return c == 0; });
}

ListResult ListArchive(absl::string_view bytes, const ContainerLimits& limits,
                       std::vector<ContainedFile>* out) {
  const size_t before = out->size();
  bool recognized = false;
  const ListResult result = List(bytes, limits, /*raw=*/false, out, &recognized);
  // A compressed single file (setup.exe.gz) is no archive format: read it
  // as one raw entry.
  if (!recognized && result == ListResult::kUnreadable && CompressedMagic(bytes)) {
    out->resize(before);
    bool raw_recognized = false;
    return List(bytes, limits, /*raw=*/true, out, &raw_recognized);
  }
  return result;
}

}  // namespace mime
}  // namespace mailpolicy

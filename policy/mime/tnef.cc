// Copyright 2026 The mailpolicy Authors.
//
// Outlook's TNEF (application/ms-tnef, winmail.dat) through libytnef. Its
// headers define WORD, DWORD, BYTE and more as macros: they stay in this
// file.

// ytnef.h needs FILE and size_t declared before it.
#include <cstddef>
#include <cstdio>

// A C library whose header does not say so.
extern "C" {
#include <ytnef.h>
}

#include <unicode/ustring.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/mime/containers.h"

namespace mailpolicy {
namespace mime {
namespace {

// Only the attributes the listing needs reach libytnef, each at its own
// level: the TNEF version and code page (message), and an attachment's
// render data, title and data. libytnef leaks memory on attachment
// attributes at the message level, and prints to standard output on damaged
// MAPI property blocks (found by fuzz/containers_fuzzer), so those stay out;
// the one MAPI property the listing needs, the long file name, is read by
// LongFileName below.
bool Wanted(unsigned char level, uint32_t tag) {
  if (level == 1) return tag == 0x00089006u || tag == 0x00069007u;
  return tag == 0x00069002u || tag == 0x00018010u || tag == 0x0006800Fu;
}

uint32_t Le(absl::string_view b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// UTF-16LE text, up to its first NUL, as UTF-8 (ICU). An unpaired
// surrogate becomes U+FFFD: Windows keeps such a name, and what follows it
// (".exe") must still be read.
std::string Utf16LeToUtf8(absl::string_view bytes) {
  std::vector<UChar> units(bytes.size() / 2);
  for (size_t i = 0; i < units.size(); ++i) units[i] = static_cast<UChar>(Le(bytes, 2 * i, 2));
  int32_t length = 0;
  while (length < static_cast<int32_t>(units.size()) && units[length] != 0) ++length;
  std::string out(static_cast<size_t>(length) * 3, '\0');  // at most 3 bytes per unit
  int32_t written = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &written, units.data(), length,
                     0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return std::string();
  out.resize(static_cast<size_t>(written));
  return out;
}

// The MAPI long file name (PR_ATTACH_LONG_FILENAME, 0x3707) in an
// attachment's attAttachment property list (MS-OXTNEF 2.1.3.4), as UTF-8 for
// PT_UNICODE and as stored for PT_STRING8; empty if it has none or the list
// is not well formed. Read here, not by libytnef, which prints and leaks on
// damaged lists (see Wanted): a bounded walk that checks every size against
// what is left and stops at the first thing it does not know.
std::string LongFileName(absl::string_view b) {
  size_t at = 0;
  auto need = [&](size_t n) { return b.size() - at >= n; };
  auto padded = [](size_t n) { return (n + 3) & ~size_t{3}; };
  if (!need(4)) return std::string();
  uint32_t count = Le(b, at, 4);
  at += 4;
  if (count > b.size() / 4) return std::string();
  for (uint32_t p = 0; p < count; ++p) {
    if (!need(4)) return std::string();
    const uint32_t type = Le(b, at, 2);
    const uint32_t id = Le(b, at + 2, 2);
    at += 4;
    if (id >= 0x8000) {  // a named property: GUID, kind, and an id or a name
      if (!need(20)) return std::string();
      const uint32_t kind = Le(b, at + 16, 4);
      at += 20;
      if (kind == 0) {
        if (!need(4)) return std::string();
        at += 4;
      } else if (kind == 1) {
        if (!need(4)) return std::string();
        const size_t length = Le(b, at, 4);
        at += 4;
        if (length > b.size() || !need(padded(length))) return std::string();
        at += padded(length);
      } else {
        return std::string();
      }
    }
    const bool multi = (type & 0x1000) != 0;
    const uint32_t base = type & ~0x1000u;
    size_t fixed = 0;
    switch (base) {
      case 0x0002: case 0x0003: case 0x0004: case 0x000A: case 0x000B: fixed = 4; break;
      case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: fixed = 8; break;
      case 0x0048: fixed = 16; break;
      case 0x000D: case 0x001E: case 0x001F: case 0x0102: fixed = 0; break;
      default: return std::string();  // a type not in MS-OXTNEF: stop
    }
    if (fixed > 0) {
      size_t values = 1;
      if (multi) {
        if (!need(4)) return std::string();
        values = Le(b, at, 4);
        at += 4;
      }
      if (values > b.size() / fixed || !need(values * fixed)) return std::string();
      at += values * fixed;
      continue;
    }
    if (!need(4)) return std::string();
    const size_t values = Le(b, at, 4);
    at += 4;
    if (values > b.size() / 4) return std::string();
    for (size_t v = 0; v < values; ++v) {
      if (!need(4)) return std::string();
      const size_t size = Le(b, at, 4);
      at += 4;
      if (size > b.size() || !need(padded(size))) return std::string();
      const absl::string_view value = b.substr(at, size);
      at += padded(size);
      if (id != 0x3707 || v != 0) continue;
      if (base == 0x001E) return std::string(value.substr(0, value.find('\0')));
      if (base == 0x001F) return Utf16LeToUtf8(value);
    }
  }
  return std::string();
}

enum class Framing { kNotTnef, kOk, kDamaged };

// Bytes a mail client may leave after the last attribute.
bool Padding(absl::string_view tail) {
  for (char c : tail) {
    if (c != '\0' && c != '\r' && c != '\n' && c != ' ') return false;
  }
  return true;
}

// Copies to `*sanitized`, the bytes libytnef reads, only the attributes it
// needs (Wanted), each at most once and where MS-OXTNEF 2.1.3.3 puts it:
// an attachment's attributes after its attAttachRendData, none repeated.
// (libytnef leaks memory on attachment attributes before the first
// attAttachRendData and on repeated ones, and prints on attributes of no
// length.) Damage does not hide what was readable: a repeated or misplaced
// attribute is left out, a bad checksum is written right in the copy, and
// a truncated or garbled tail ends the copy; each makes the file kDamaged
// (attachment.unreadable) while the files before it are listed. The MAPI
// long file name of each attachment goes to `*long_names`, in attachment
// order (empty where it has none).
Framing WellFramed(absl::string_view b, std::string* sanitized,
                   std::vector<std::string>* long_names) {
  auto le = [&b](size_t at, int bytes) { return Le(b, at, bytes); };
  if (b.size() < 6 || le(0, 4) != 0x223E9F78u) return Framing::kNotTnef;
  size_t at = 6;
  bool damaged = false;
  bool in_attachment = false;
  bool skip_attachment = false;  // its attAttachRendData was empty: libytnef has none
  std::vector<uint32_t> message_tags, attachment_tags;
  while (at < b.size()) {
    if (b.size() - at < 11) {
      damaged |= !Padding(b.substr(at));
      break;
    }
    const unsigned char level = static_cast<unsigned char>(b[at]);
    const uint32_t tag = le(at + 1, 4);
    const uint32_t length = le(at + 5, 4);
    if ((level != 1 && level != 2) || length > b.size() - at - 11) {
      damaged = true;
      break;
    }
    uint32_t sum = 0;
    for (size_t i = at + 9; i < at + 9 + length; ++i) sum += static_cast<unsigned char>(b[i]);
    const bool sum_right = (sum & 0xffff) == le(at + 9 + length, 2);
    damaged |= !sum_right;
    bool pass = true;
    if (level == 2) {
      if (tag == 0x00069002u) {  // attAttachRendData: libytnef starts an attachment
        in_attachment = true;
        attachment_tags.clear();
        skip_attachment = length == 0;
        if (!skip_attachment) long_names->emplace_back();
      }
      if (!in_attachment) damaged = true;
      pass = in_attachment && !skip_attachment;
    }
    std::vector<uint32_t>& seen = level == 2 ? attachment_tags : message_tags;
    if (std::find(seen.begin(), seen.end(), tag) != seen.end()) {
      damaged = true;
      pass = false;
    } else {
      seen.push_back(tag);
    }
    if (pass && level == 2 && tag == 0x00069005u) {  // attAttachment: MAPI properties
      long_names->back() = LongFileName(b.substr(at + 9, length));
    }
    if (pass && length > 0 && Wanted(level, tag)) {
      sanitized->append(b.data() + at, 9 + static_cast<size_t>(length));
      sanitized->push_back(static_cast<char>(sum & 0xff));
      sanitized->push_back(static_cast<char>((sum >> 8) & 0xff));
    }
    at += 11 + static_cast<size_t>(length);
  }
  return damaged ? Framing::kDamaged : Framing::kOk;
}

}  // namespace

ListResult ListTnef(absl::string_view bytes, const ContainerLimits& limits,
                    std::vector<ContainedFile>* out) {
  // libytnef reads through a non-const pointer: it gets its own copy.
  std::string copy(bytes.substr(0, 6));
  std::vector<std::string> long_names;
  const Framing framing = WellFramed(bytes, &copy, &long_names);
  if (framing == Framing::kNotTnef) return ListResult::kUnreadable;
  TNEFStruct tnef;
  TNEFInitialize(&tnef);
  tnef.Debug = 0;
  const int rc = TNEFParseMemory(reinterpret_cast<BYTE*>(copy.data()),
                                 static_cast<long>(copy.size()), &tnef);
  ListResult result =
      rc < 0 || framing == Framing::kDamaged ? ListResult::kUnreadable : ListResult::kOk;
  size_t listed = 0;
  // libytnef's Attachment, not mailpolicy's.
  for (::Attachment* p = tnef.starting_attach.next; p != nullptr; p = p->next) {
    if (listed == limits.max_entries) {
      result = ListResult::kTooLarge;
      break;
    }
    ++listed;
    ContainedFile file;
    if (p->Title.data != nullptr && p->Title.size > 0) {
      file.name.assign(reinterpret_cast<const char*>(p->Title.data),
                       static_cast<size_t>(p->Title.size));
      file.name = file.name.substr(0, file.name.find('\0'));
    }
    // The long file name is what Outlook saves under; the title may be its
    // 8.3 form (SETUP~1.EXE, and a .docm is .DOC there).
    if (listed - 1 < long_names.size() && !long_names[listed - 1].empty() &&
        long_names[listed - 1] != file.name) {
      if (!file.name.empty()) file.other_names.push_back(std::move(file.name));
      file.name = long_names[listed - 1];
    }
    if (p->FileData.data != nullptr && p->FileData.size > 0) {
      const size_t size = static_cast<size_t>(p->FileData.size);
      const char* data = reinterpret_cast<const char*>(p->FileData.data);
      file.size = size;
      file.first_bytes.assign(data, std::min(size, kFirstBytesKept));
      if (size <= limits.keep_bytes) file.data.assign(data, size);
    }
    out->push_back(std::move(file));
  }
  TNEFFree(&tnef);
  return result;
}

}  // namespace mime
}  // namespace mailpolicy

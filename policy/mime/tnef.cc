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
// a file is then named by its title (attAttachTitle), which Outlook writes
// for every attachment, not by its MAPI long file name.
bool Wanted(unsigned char level, uint32_t tag) {
  if (level == 1) return tag == 0x00089006u || tag == 0x00069007u;
  return tag == 0x00069002u || tag == 0x00018010u || tag == 0x0006800Fu;
}

// Attributes of no length (which libytnef reports by printing, and skips)
// and those it need not see (Wanted) are left out of `*sanitized`, the copy
// it reads.
bool WellFramed(absl::string_view b, std::string* sanitized) {
  auto le = [&b](size_t at, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
  };
  if (b.size() < 6 || le(0, 4) != 0x223E9F78u) return false;
  size_t at = 6;
  bool in_attachment = false;
  std::vector<uint32_t> message_tags, attachment_tags;
  while (at < b.size()) {
    if (b.size() - at < 11) return false;
    const unsigned char level = static_cast<unsigned char>(b[at]);
    if (level != 1 && level != 2) return false;
    // MS-OXTNEF 2.1.3.3: an attachment's attributes begin with
    // attAttachRendData, and no attribute comes twice in the message's or
    // an attachment's list. (libytnef leaks memory on attachment attributes
    // before the first attAttachRendData and on repeated ones.)
    const uint32_t tag = le(at + 1, 4);
    if (level == 2) {
      if (tag == 0x00069002u) {
        in_attachment = true;
        attachment_tags.clear();
      }
      if (!in_attachment) return false;
    }
    std::vector<uint32_t>& seen = level == 2 ? attachment_tags : message_tags;
    if (std::find(seen.begin(), seen.end(), tag) != seen.end()) return false;
    seen.push_back(tag);
    const uint32_t length = le(at + 5, 4);
    if (length > b.size() - at - 11) return false;
    uint32_t sum = 0;
    for (size_t i = at + 9; i < at + 9 + length; ++i) sum += static_cast<unsigned char>(b[i]);
    if ((sum & 0xffff) != le(at + 9 + length, 2)) return false;
    if (length > 0 && Wanted(level, tag)) {
      sanitized->append(b.data() + at, 11 + static_cast<size_t>(length));
    }
    at += 11 + static_cast<size_t>(length);
  }
  return true;
}

}  // namespace

ListResult ListTnef(absl::string_view bytes, const ContainerLimits& limits,
                    std::vector<ContainedFile>* out) {
  // libytnef reads through a non-const pointer: it gets its own copy.
  std::string copy(bytes.substr(0, 6));
  if (!WellFramed(bytes, &copy)) return ListResult::kUnreadable;
  TNEFStruct tnef;
  TNEFInitialize(&tnef);
  tnef.Debug = 0;
  const int rc = TNEFParseMemory(reinterpret_cast<BYTE*>(copy.data()),
                                 static_cast<long>(copy.size()), &tnef);
  ListResult result = rc < 0 ? ListResult::kUnreadable : ListResult::kOk;
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

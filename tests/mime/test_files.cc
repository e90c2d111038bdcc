// Copyright 2026 The mailpolicy Authors.

#include "tests/mime/test_files.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>

#include "gtest/gtest.h"

namespace mailpolicy {
namespace testing_files {

std::string MakeArchive(const std::vector<Entry>& entries, const char* format,
                        const char* filter, const char* options, const char* passphrase) {
  struct archive* a = archive_write_new();
  EXPECT_EQ(archive_write_set_format_by_name(a, format), ARCHIVE_OK) << format;
  if (std::string(filter) != "none") {
    EXPECT_EQ(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK) << filter;
  }
  if (options != nullptr) EXPECT_EQ(archive_write_set_options(a, options), ARCHIVE_OK);
  // Names are UTF-8 whatever the test's locale (where the format can say so).
  archive_write_set_format_option(a, nullptr, "hdrcharset", "UTF-8");
  if (passphrase != nullptr) EXPECT_EQ(archive_write_set_passphrase(a, passphrase), ARCHIVE_OK);
  // Headers and directories; an ISO image has a 32 KiB system area and
  // 2 KiB sectors.
  size_t total = std::string(format) == "iso9660" ? 1 << 20 : 1 << 16;
  for (const Entry& e : entries) total += e.data.size() * 2 + e.path.size() + 1024;
  std::string buffer(total, '\0');
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, buffer.data(), buffer.size(), &used), ARCHIVE_OK);
  for (const Entry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, e.path.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    EXPECT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    EXPECT_EQ(archive_write_data(a, e.data.data(), e.data.size()),
              static_cast<la_ssize_t>(e.data.size()));
    archive_entry_free(entry);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
  buffer.resize(used);
  return buffer;
}

std::string MakeTnef(const std::vector<Entry>& files, const std::vector<std::string>& long_names,
                     bool unicode) {
  auto le = [](uint32_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return out;
  };
  auto attribute = [&](int level, uint32_t tag, const std::string& data) {
    uint32_t sum = 0;
    for (unsigned char c : data) sum += c;
    return std::string(1, static_cast<char>(level)) + le(tag, 4) + le(data.size(), 4) + data +
           le(sum & 0xffff, 2);
  };
  std::string out = le(0x223E9F78, 4) + le(0x0101, 2);
  out += attribute(1, 0x00089006, std::string("\x00\x00\x01\x00", 4));  // attTnefVersion
  for (const Entry& f : files) {
    out += attribute(2, 0x00069002, le(1, 2) + le(0xffffffff, 4) + le(0, 2) + le(0, 2) + le(1, 4));
    out += attribute(2, 0x00018010, f.path + std::string(1, '\0'));  // attAttachTitle
    out += attribute(2, 0x0006800F, f.data);                          // attAttachData
    const size_t i = static_cast<size_t>(&f - files.data());
    if (i < long_names.size() && !long_names[i].empty()) {
      auto padded = [](std::string v) {
        v.resize((v.size() + 3) & ~size_t{3}, '\0');
        return v;
      };
      std::string name = long_names[i] + std::string(1, '\0');
      if (unicode) {  // UTF-16LE of ASCII and BMP text given as UTF-8
        std::string utf16;
        for (size_t k = 0; k < name.size();) {
          const unsigned char c = static_cast<unsigned char>(name[k]);
          uint32_t cp = c;
          size_t n = 1;
          if (c >= 0xE0) {
            cp = ((c & 0x0F) << 12) | ((name[k + 1] & 0x3F) << 6) | (name[k + 2] & 0x3F);
            n = 3;
          } else if (c >= 0xC0) {
            cp = ((c & 0x1F) << 6) | (name[k + 1] & 0x3F);
            n = 2;
          }
          utf16 += le(cp, 2);
          k += n;
        }
        name = utf16;
      }
      std::string mapi = le(4, 4);
      // A named property (PS_PUBLIC_STRINGS, by name "k"), PT_LONG.
      mapi += le(0x0003, 2) + le(0x8001, 2) + std::string(16, '\x11') + le(1, 4) + le(4, 4) +
              padded(std::string("k\0\0\0", 4)) + le(7, 4);
      mapi += le(0x0102, 2) + le(0x3701, 2) + le(1, 4) + le(3, 4) + padded("abc");  // binary
      mapi += le(0x0003, 2) + le(0x0E21, 2) + le(1, 4);                            // a long
      mapi += le(unicode ? 0x001F : 0x001E, 2) + le(0x3707, 2) + le(1, 4) + le(name.size(), 4) +
              padded(name);
      out += attribute(2, 0x00069005, mapi);  // attAttachment
    }
  }
  return out;
}

}  // namespace testing_files
}  // namespace mailpolicy

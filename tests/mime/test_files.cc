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
  size_t total = 1 << 16;  // headers and directories
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

std::string MakeTnef(const std::vector<Entry>& files) {
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
  }
  return out;
}

}  // namespace testing_files
}  // namespace mailpolicy

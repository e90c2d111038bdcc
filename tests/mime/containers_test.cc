// Copyright 2026 The mailpolicy Authors.
//
// Listing the files inside archives and TNEF files (made by
// tests/mime/test_files.h).

#include "policy/mime/containers.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/mime/test_files.h"

namespace mailpolicy {
namespace mime {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

using testing_files::Entry;
using testing_files::MakeArchive;
using testing_files::MakeTnef;

const std::string kExe = std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(100, 'x');

TEST(ContainerKindOfTest, Magic) {
  EXPECT_EQ(ContainerKindOf(MakeArchive({{"a.txt", "a"}}, "zip")), ContainerKind::kArchive);
  EXPECT_EQ(ContainerKindOf(MakeArchive({{"a.txt", "a"}}, "ustar")), ContainerKind::kArchive);
  EXPECT_EQ(ContainerKindOf(MakeArchive({{"a.txt", "a"}}, "ustar", "gzip")),
            ContainerKind::kArchive);
  EXPECT_EQ(ContainerKindOf(MakeTnef({{"a.txt", "a"}})), ContainerKind::kTnef);
  EXPECT_EQ(ContainerKindOf(kExe), ContainerKind::kNone);
  EXPECT_EQ(ContainerKindOf("%PDF-1.7"), ContainerKind::kNone);
  EXPECT_EQ(ContainerKindOf(""), ContainerKind::kNone);
}

TEST(ListArchiveTest, EveryFormatListsItsFiles) {
  const std::vector<Entry> entries = {{"tools/setup.exe", kExe}, {"readme.txt", "hello"}};
  for (auto [format, filter] : std::vector<std::pair<const char*, const char*>>{
           {"zip", "none"}, {"ustar", "gzip"}, {"ustar", "xz"}, {"7zip", "none"},
           {"pax", "bzip2"}}) {
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListArchive(MakeArchive(entries, format, filter), ContainerLimits(), &files),
              ListResult::kOk)
        << format << "+" << filter;
    ASSERT_EQ(files.size(), 2u) << format << "+" << filter;
    EXPECT_EQ(files[0].name, "tools/setup.exe");
    EXPECT_EQ(files[0].size, kExe.size());
    EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16));
    EXPECT_EQ(files[0].data, "");  // not a container: skipped, not extracted
    EXPECT_EQ(files[1].name, "readme.txt") << format << "+" << filter;
  }
}

// Zip entry names as stored: UTF-8 where the entry says so (flag bit 11),
// else the writer's code page (here GBK, as Chinese Windows writes them);
// policy/mime turns them into UTF-8. Made with Python's zipfile.
const std::string kUtf8NamedZip(
    "\x50\x4b\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x21\x00\x80\x7e\x50\x58\x04\x00\x00\x00\x04\x00"
    "\x00\x00\x11\x00\x00\x00\xe5\xb7\xa5\xe5\x85\xb7\x2f\xe5\xae\x89\xe8\xa3\x9d\x2e\x65\x78\x65\x4d"
    "\x5a\x90\x00\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x08\x00\x00\x00\x00\x21\x00\x80\x7e\x50\x58\x04"
    "\x00\x00\x00\x04\x00\x00\x00\x11\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00"
    "\x00\xe5\xb7\xa5\xe5\x85\xb7\x2f\xe5\xae\x89\xe8\xa3\x9d\x2e\x65\x78\x65\x50\x4b\x05\x06\x00\x00"
    "\x00\x00\x01\x00\x01\x00\x3f\x00\x00\x00\x33\x00\x00\x00\x00\x00",
    136);
const std::string kGbkNamedZip(
    "\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x21\x00\x80\x7e\x50\x58\x04\x00\x00\x00\x04\x00"
    "\x00\x00\x0d\x00\x00\x00\xb9\xa4\xbe\xdf\x2f\xb0\xb2\xd1\x62\x2e\x65\x78\x65\x4d\x5a\x90\x00\x50"
    "\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00\x00\x21\x00\x80\x7e\x50\x58\x04\x00\x00\x00\x04"
    "\x00\x00\x00\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00\xb9\xa4\xbe"
    "\xdf\x2f\xb0\xb2\xd1\x62\x2e\x65\x78\x65\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x3b\x00"
    "\x00\x00\x2f\x00\x00\x00\x00\x00",
    128);

TEST(ListArchiveTest, NamesAsStored) {
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(kUtf8NamedZip, ContainerLimits(), &files), ListResult::kOk);
  EXPECT_EQ(ListArchive(kGbkNamedZip, ContainerLimits(), &files), ListResult::kOk);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "工具/安裝.exe");
  EXPECT_EQ(files[1].name, "\xb9\xa4\xbe\xdf/\xb0\xb2\xd1\x62.exe");  // GBK
  EXPECT_EQ(files[1].first_bytes, std::string("MZ\x90\x00", 4));
}

TEST(ListArchiveTest, CompressedSingleFileIsOneEntry) {
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(MakeArchive({{"setup.exe", kExe}}, "raw", "gzip"), ContainerLimits(),
                        &files),
            ListResult::kOk);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "");  // saved under its container's name
  EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16));
  EXPECT_EQ(files[0].size, kExe.size());
}

// gunzip -N and 7-Zip save a .gz under the name its header keeps (FNAME).
TEST(ListArchiveTest, GzipHeaderNameIsAnotherName) {
  std::string gz = MakeArchive({{"ignored", kExe}}, "raw", "gzip");
  ASSERT_GT(gz.size(), 10u);
  ASSERT_EQ(gz[3] & 0x0c, 0);  // no FEXTRA, no FNAME yet
  gz[3] = static_cast<char>(gz[3] | 0x08);
  gz.insert(10, std::string("run.js\0", 7));
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(gz, ContainerLimits(), &files), ListResult::kOk);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "");
  EXPECT_THAT(files[0].other_names, ElementsAre("run.js"));
  EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16));
}

TEST(ListArchiveTest, EncryptedEntriesAreListedByName) {
  std::vector<ContainedFile> files;
  const std::string zip = MakeArchive({{"setup.exe", kExe}}, "zip", "none",
                                      "zip:encryption=zipcrypt", "secret");
  ListArchive(zip, ContainerLimits(), &files);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "setup.exe");
  EXPECT_TRUE(files[0].encrypted);
  EXPECT_EQ(files[0].data, "");
}

TEST(ListArchiveTest, BoundsHold) {
  std::vector<Entry> many;
  for (int i = 0; i < 50; ++i) many.push_back({"f" + std::to_string(i) + ".txt", "x"});
  ContainerLimits limits;
  limits.max_entries = 10;
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(MakeArchive(many, "zip"), limits, &files), ListResult::kTooLarge);
  EXPECT_EQ(files.size(), 10u);

  // A highly compressible entry: its size comes from the header, and no
  // more than the read budget is extracted.
  const std::string big(4 << 20, '\0');
  limits = ContainerLimits();
  limits.max_read_bytes = 1 << 16;
  limits.keep_bytes = 1 << 10;
  files.clear();
  EXPECT_EQ(ListArchive(MakeArchive({{"zeros.bin", big}}, "ustar", "gzip"), limits, &files),
            ListResult::kOk);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].size, big.size());
  EXPECT_EQ(files[0].data, "");
}

// What is not looked into is said: the extraction budget spent, or an
// archive inside too large to keep.
TEST(ListArchiveTest, WhatIsNotLookedIntoIsSaid) {
  const std::string inner = MakeArchive({{"setup.exe", kExe}}, "zip");
  const std::string outer =
      MakeArchive({{"pad.bin", std::string(1 << 16, 'p')}, {"docs.zip", inner}}, "zip");
  ContainerLimits limits;
  limits.max_read_bytes = 1 << 10;
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(outer, limits, &files), ListResult::kTooLarge);
  limits = ContainerLimits();
  limits.keep_bytes = 64;
  files.clear();
  EXPECT_EQ(ListArchive(outer, limits, &files), ListResult::kTooLarge);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].data, "");
  files.clear();
  EXPECT_EQ(ListArchive(outer, ContainerLimits(), &files), ListResult::kOk);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].data, inner);  // an archive inside: kept, to look into
}

TEST(ListArchiveTest, CorruptAndTruncatedAreUnreadable) {
  const std::string zip = MakeArchive({{"a.txt", std::string(5000, 'a')}, {"b.exe", kExe}}, "zip");
  for (size_t keep : {size_t{4}, size_t{30}, zip.size() / 2}) {
    std::vector<ContainedFile> files;
    EXPECT_NE(ListArchive(zip.substr(0, keep), ContainerLimits(), &files), ListResult::kOk)
        << keep;
  }
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive("PK\x03\x04 not really a zip at all", ContainerLimits(), &files),
            ListResult::kUnreadable);
}

// Windows shows an image's Joliet names, libarchive lists its Rock Ridge
// ones: where they differ, both are names of the file.
TEST(ListArchiveTest, JolietNamesAreOtherNames) {
  std::string iso = MakeArchive({{"readme.txt", "read me"}}, "iso9660");
  const std::string joliet("\0r\0e\0a\0d\0m\0e\0.\0t\0x\0t", 20);  // UCS-2 BE
  const size_t at = iso.find(joliet);
  ASSERT_NE(at, std::string::npos) << "no Joliet directory";
  iso.replace(at, joliet.size(), std::string("\0r\0e\0a\0d\0m\0e\0.\0e\0x\0e", 20));
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(iso, ContainerLimits(), &files), ListResult::kOk);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "readme.txt");
  EXPECT_THAT(files[0].other_names, ElementsAre("readme.exe"));
}

// A compressed single file whose header no decompressor takes is damaged,
// not a container holding itself (which the depth bound would call too
// complex).
TEST(ListArchiveTest, DamagedCompressedSingleFileIsUnreadable) {
  for (const char* filter : {"gzip", "bzip2", "xz"}) {
    std::string compressed = MakeArchive({{"setup.exe", kExe}}, "raw", filter);
    ASSERT_GT(compressed.size(), 12u) << filter;
    for (size_t i = 3; i < 12; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5a);
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListArchive(compressed, ContainerLimits(), &files), ListResult::kUnreadable)
        << filter;
  }
  for (absl::string_view magic_only : {absl::string_view("BZh9"), absl::string_view("\x1f\x8b", 2),
                                       absl::string_view("\xfd" "7zXZ\x00", 6)}) {
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListArchive(magic_only, ContainerLimits(), &files), ListResult::kUnreadable)
        << absl::CEscape(magic_only);
  }
}

// An ISO 9660 image says what it is 32 KiB in, after a system area of
// zeros; Windows opens it with a double click, so programs travel in them.
TEST(ListArchiveTest, DiskImagesAreListed) {
  const std::string iso = MakeArchive({{"SETUP.EXE", kExe}, {"readme.txt", "read me"}}, "iso9660");
  ASSERT_GT(iso.size(), kDiskImageMagicBytes);
  EXPECT_TRUE(MayBeDiskImage(iso.substr(0, kContainerMagicBytes)));
  EXPECT_EQ(ContainerKindOf(iso.substr(0, kContainerMagicBytes)), ContainerKind::kNone);
  EXPECT_EQ(ContainerKindOf(iso.substr(0, kDiskImageMagicBytes)), ContainerKind::kArchive);
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListArchive(iso, ContainerLimits(), &files), ListResult::kOk);
  std::vector<std::string> names;
  for (const ContainedFile& f : files) names.push_back(f.name);
  EXPECT_THAT(names, testing::UnorderedElementsAre(testing::StartsWith("SETUP.EXE"),
                                                   testing::StartsWith("readme.txt")));
  // 32 KiB of zeros alone is no image.
  EXPECT_EQ(ContainerKindOf(std::string(kDiskImageMagicBytes, '\0')), ContainerKind::kNone);
  EXPECT_FALSE(MayBeDiskImage("MZ" + std::string(kContainerMagicBytes, 'x')));
}

TEST(ListTnefTest, AttachmentsAreListed) {
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListTnef(MakeTnef({{"setup.exe", kExe}, {"notes.txt", "hello"}}), ContainerLimits(),
                     &files),
            ListResult::kOk);
  EXPECT_THAT(files, ElementsAre(Field(&ContainedFile::name, "setup.exe"),
                                 Field(&ContainedFile::name, "notes.txt")));
  EXPECT_EQ(files[0].data, kExe);
  EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16));
}

// Damaged TNEF is unreadable, and never reaches libytnef (which would print
// to standard output): the test's output stays clean.
// Outlook saves a TNEF attachment under its MAPI long file name; the
// title may be the 8.3 form, where a .docm is a .DOC.
TEST(ListTnefTest, LongFileNamesAreRead) {
  for (const bool unicode : {true, false}) {
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListTnef(MakeTnef({{"REPORT~1.DOC", "PK"}, {"notes.txt", "hello"}},
                                {unicode ? "季度報告.docm" : "quarterly report.docm", ""}, unicode),
                       ContainerLimits(), &files),
              ListResult::kOk);
    ASSERT_EQ(files.size(), 2u) << unicode;
    EXPECT_EQ(files[0].name, unicode ? "季度報告.docm" : "quarterly report.docm");
    EXPECT_THAT(files[0].other_names, ElementsAre("REPORT~1.DOC"));
    EXPECT_EQ(files[1].name, "notes.txt");
    EXPECT_TRUE(files[1].other_names.empty());
  }
  // A damaged property list costs the long name, nothing else.
  std::string tnef = MakeTnef({{"SETUP~1.EXE", kExe}}, {"setup.exe"});
  const size_t mapi = tnef.find(std::string("\x05\x90\x06\x00", 4));
  ASSERT_NE(mapi, std::string::npos);
  for (size_t cut : {size_t{9}, size_t{13}, size_t{30}, size_t{60}}) {
    std::string damaged = tnef;
    damaged[mapi + 4 + cut] = '\xff';  // a count or a size
    // Its checksum made right again, so only the list is wrong.
    const uint32_t length = static_cast<unsigned char>(damaged[mapi + 4]) |
                            static_cast<unsigned char>(damaged[mapi + 5]) << 8;
    uint32_t sum = 0;
    for (size_t i = 0; i < length; ++i) sum += static_cast<unsigned char>(damaged[mapi + 8 + i]);
    damaged[mapi + 8 + length] = static_cast<char>(sum & 0xff);
    damaged[mapi + 9 + length] = static_cast<char>((sum >> 8) & 0xff);
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListTnef(damaged, ContainerLimits(), &files), ListResult::kOk) << cut;
    ASSERT_EQ(files.size(), 1u) << cut;
    EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16)) << cut;
  }
}

TEST(ListTnefTest, TruncatedAndGarbageAreUnreadable) {
  const std::string tnef = MakeTnef({{"setup.exe", kExe}});
  // Cut inside an attribute: unreadable. (Cut between two, it is a shorter
  // TNEF file.)
  for (size_t keep = 0; keep < tnef.size(); ++keep) {
    std::vector<ContainedFile> files;
    const ListResult result = ListTnef(tnef.substr(0, keep), ContainerLimits(), &files);
    EXPECT_TRUE(result == ListResult::kOk || result == ListResult::kUnreadable) << keep;
    EXPECT_LE(files.size(), 1u) << keep;
  }
  std::string garbage = tnef;
  for (size_t i = 6; i < garbage.size(); i += 7) garbage[i] = static_cast<char>(0xff);
  std::vector<ContainedFile> files;
  EXPECT_EQ(ListTnef(garbage, ContainerLimits(), &files), ListResult::kUnreadable);
}

// Damage does not hide what was readable: the file is unreadable (a
// warning), and the programs before the damage are still listed.
TEST(ListTnefTest, DamageKeepsWhatWasReadable) {
  const std::string two = MakeTnef({{"setup.exe", kExe}, {"notes.txt", "hello"}});
  // The offset of the n-th attribute tagged `tag` (level byte included).
  auto attribute = [&](const std::string& t, uint32_t tag, int nth) {
    const std::string bytes = {static_cast<char>(tag & 0xff), static_cast<char>((tag >> 8) & 0xff),
                               static_cast<char>((tag >> 16) & 0xff),
                               static_cast<char>((tag >> 24) & 0xff)};
    size_t at = 0;
    for (int i = 0; i <= nth; ++i) at = t.find(bytes, at + 1);
    return at - 1;
  };
  struct Case {
    const char* name;
    std::string tnef;
    ListResult result;
    size_t files;
  };
  std::string bad_sum = two;
  bad_sum[attribute(two, 0x00018010, 0) + 9 + 10] ^= 0x01;  // the title's checksum
  std::string repeated_title = MakeTnef({{"setup.exe", kExe}});
  {
    const size_t title = attribute(repeated_title, 0x00018010, 0);
    const std::string again = repeated_title.substr(title, 11 + 10);  // "setup.exe\0"
    repeated_title.insert(title, again);
  }
  std::string truncated_second = two.substr(0, attribute(two, 0x0006800F, 1) + 14);
  const Case cases[] = {
      {"trailing CRLF", two + "\r\n", ListResult::kOk, 2},
      {"trailing zeros", two + std::string(7, '\0'), ListResult::kOk, 2},
      {"trailing garbage", two + "xyz", ListResult::kUnreadable, 2},
      {"a bad checksum", bad_sum, ListResult::kUnreadable, 2},
      {"a repeated title", repeated_title, ListResult::kUnreadable, 1},
      {"the second attachment truncated", truncated_second, ListResult::kUnreadable, 2},
  };
  for (const Case& c : cases) {
    std::vector<ContainedFile> files;
    EXPECT_EQ(ListTnef(c.tnef, ContainerLimits(), &files), c.result) << c.name;
    ASSERT_EQ(files.size(), c.files) << c.name;
    EXPECT_EQ(files[0].name, "setup.exe") << c.name;
    EXPECT_EQ(files[0].first_bytes, kExe.substr(0, 16)) << c.name;
  }
}

// An unpaired surrogate in a long name becomes U+FFFD; the rest is read.
TEST(ListTnefTest, UnpairedSurrogateInALongName) {
  std::vector<ContainedFile> files;
  // "\xED\xA0\x80" is U+D800 written as UTF-8 would be: the builder turns
  // it into the UTF-16 unit 0xD800, alone.
  ASSERT_EQ(ListTnef(MakeTnef({{"SETUP~1.TXT", kExe}}, {"\xED\xA0\x80setup.exe"}),
                     ContainerLimits(), &files),
            ListResult::kOk);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "\xEF\xBF\xBDsetup.exe");
}

}  // namespace
}  // namespace mime
}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.
//
// Files to put in test messages, made by the tests themselves: archives by
// libarchive's writer, TNEF by a small builder of its framing.

#ifndef MAILPOLICY_TESTS_MIME_TEST_FILES_H_
#define MAILPOLICY_TESTS_MIME_TEST_FILES_H_

#include <string>
#include <vector>

namespace mailpolicy {
namespace testing_files {

struct Entry {
  std::string path;
  std::string data;
};

// An archive of `entries` in libarchive's `format` ("zip", "ustar", "7zip",
// "pax", "raw") through `filter` ("none", "gzip", "xz", "bzip2"), with
// writer `options` (e.g. "zip:encryption=zipcrypt", which needs
// `passphrase`). Names are written as given (UTF-8 where the format can
// say so).
std::string MakeArchive(const std::vector<Entry>& entries, const char* format,
                        const char* filter = "none", const char* options = nullptr,
                        const char* passphrase = nullptr);

// TNEF (MS-OXTNEF 2.1): signature, key, attTnefVersion, then per file its
// render data, title and data attributes, each with its checksum. With
// `long_names` (one per file; empty: none), each file also gets an
// attAttachment MAPI property list (2.1.3.4) holding a named property, a
// binary, an integer and PR_ATTACH_LONG_FILENAME, in UTF-16 (`unicode`) or
// as 8-bit text.
std::string MakeTnef(const std::vector<Entry>& files,
                     const std::vector<std::string>& long_names = {}, bool unicode = true);

}  // namespace testing_files
}  // namespace mailpolicy

#endif  // MAILPOLICY_TESTS_MIME_TEST_FILES_H_

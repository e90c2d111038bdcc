// Copyright 2026 The mailpolicy Authors.
//
// A fast first look at a field for its content patterns: Hyperscan, in
// prefilter mode, over the same pattern forms as the field's RE2::Set. It
// answers "can anything match?". "No" is final; "maybe" goes to RE2, which
// alone decides (and says which patterns matched).
//
// The prefilter never says "no" where RE2 would match:
//   - Hyperscan's prefilter mode only widens what a pattern matches, and so
//     does the one rewrite made here (counted repetitions become `*`).
//   - Where Hyperscan and RE2 read a construct differently, Build() does not
//     build: `\S`, `\s` in a class, `\p`/`\P`, `\C`, `\x` and octal
//     escapes, POSIX classes (`[:`), and cased letters outside ASCII
//     (Unicode versions differ). The forms of the example and benchmark
//     policies use none of them.
//   - Hyperscan's UTF-8 mode is undefined on other text: MayMatch() says
//     "maybe" for text that is not valid UTF-8.
//   - RE2's `(?i)` folds U+017F to s and U+212A to k; so does Hyperscan.
// tests/content/prefilter_test.cc holds it to this against RE2::Set.

#ifndef MAILPOLICY_POLICY_CONTENT_PREFILTER_H_
#define MAILPOLICY_POLICY_CONTENT_PREFILTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

struct hs_database;

namespace mailpolicy {
namespace content {

class Prefilter {
 public:
  // Null if the forms cannot be prefiltered safely (see above), or if
  // Hyperscan rejects one or does not run on this CPU: the field then keeps
  // RE2 alone. Forms are RE2 syntax, as the compiler makes them.
  static std::unique_ptr<Prefilter> Build(const std::vector<std::string>& forms);

  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  // False only if no form matches anywhere in `text`. Safe for concurrent
  // use by multiple threads. Each thread keeps one Hyperscan scratch space,
  // grown the first time the thread scans with a database (an allocation
  // that a thread's first decisions after a policy load pay); after that,
  // no allocation.
  bool MayMatch(absl::string_view text) const;

 private:
  Prefilter(hs_database* database, uint64_t id) : database_(database), id_(id) {}

  hs_database* database_;  // owned
  uint64_t id_;            // unique in the process
};

}  // namespace content
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_CONTENT_PREFILTER_H_

// Copyright 2026 The mailpolicy Authors.
//
// A company-sized policy made up in code, for benchmarks: the rules of the
// example policy (examples/policies/hzxt.textproto) over a generated
// directory of, by default, 100,000 accounts in 50 departments, 2,000 mail
// groups (some nested) and 1,000,000 contact entries, plus extra content
// rules that bring the content patterns to 50. Everything is derived from a
// seed, so two runs build the same policy.
//
// Testonly: the names, contacts and message texts are invented.

#ifndef MAILPOLICY_BENCH_SYNTHETIC_POLICY_H_
#define MAILPOLICY_BENCH_SYNTHETIC_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "policy/message.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace bench {

struct SyntheticOptions {
  int accounts = 100000;
  int departments = 50;
  int groups = 2000;
  // Contact entries over all lists: about 90% personal (of which 15% are
  // colleagues, the rest external), 8% group and 2% department contacts.
  int contacts = 1000000;
  uint32_t seed = 20261120;
  // Where the example rules are read from; relative paths are taken from
  // the working directory (the runfiles root under `bazel run`).
  std::string rules_path = "examples/policies/hzxt.textproto";
};

// The instant the benchmarks decide at: 2026-11-20 10:00 Asia/Shanghai,
// within every generated password's rotation period.
absl::Time SyntheticNow();

// Builds the policy. Fails if the example rules cannot be read or parsed.
absl::StatusOr<v1::Policy> MakeSyntheticPolicy(const SyntheticOptions& options);

// Number of content patterns (advertising, chain_letter, confidential,
// prohibited) over all rules of `policy`.
int CountContentPatterns(const v1::Policy& policy);

// `n` envelopes from active personal senders, each with 5 recipients that
// the sender's address book allows: 2 company accounts, 2 of the sender's
// own external contacts and 1 external contact of a group the sender is in.
// Channel: SMTP submission, authenticated as the sender.
std::vector<MessageFacts> MakeEnvelopes(const v1::Policy& policy, int n, uint32_t seed);

// About `bytes` of UTF-8 business text (Chinese, Traditional and
// Simplified, mixed with English), cut at a character boundary. Without
// `with_hit` it matches none of the synthetic policy's content patterns and
// holds no link; with it, one confidentiality marker sits in the middle.
std::string MakeBody(size_t bytes, bool with_hit, uint32_t seed);

}  // namespace bench
}  // namespace mailpolicy

#endif  // MAILPOLICY_BENCH_SYNTHETIC_POLICY_H_

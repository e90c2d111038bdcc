// Copyright 2026 The mailpolicy Authors.
//
// CNT-ADS, CNT-CHAIN-BULK, CNT-SECRETS, CNT-PROHIBITED, CNT-URL: one scan
// of each content field (subject, body, attachment names) for the patterns
// of every content rule at once (Snapshot::field_matchers), made before the
// rules run. The rules then read which of them matched.

#ifndef MAILPOLICY_POLICY_CONTENT_TEXT_SCAN_H_
#define MAILPOLICY_POLICY_CONTENT_TEXT_SCAN_H_

#include <cstdint>
#include <vector>

#include "policy/internal/snapshot.h"
#include "policy/message.h"

namespace mailpolicy {
namespace internal {

struct TextScan {
  std::vector<uint8_t> fired;   // per rule index: a pattern of the rule matched
  std::vector<uint8_t> failed;  // per rule index: the scan could not be completed
  // The body scan met a link (or failed, so that the links rule looks itself).
  bool link_seen = false;
  // The body scan looked for links at all.
  bool links_scanned = false;
};

// Scans the message's fields; null if the policy has no content patterns.
// The result lives in per-thread storage, reused by the thread's next scan:
// scanning does not allocate once warm.
const TextScan* ScanText(const Snapshot& snapshot, const MessageFacts& facts);

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_CONTENT_TEXT_SCAN_H_

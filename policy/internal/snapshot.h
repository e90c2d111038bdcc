// Copyright 2026 The mailpolicy Authors.
//
// The compiled form of a policy. Built once by policy/compiler, then only
// read. Nothing here refers to protobuf types: deciding never touches them.
// Rules are in policy/internal/rule.h.

#ifndef MAILPOLICY_POLICY_INTERNAL_SNAPSHOT_H_
#define MAILPOLICY_POLICY_INTERNAL_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "policy/content/prefilter.h"
#include "policy/decision.h"
#include "policy/internal/rule.h"
#include "policy/message.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace mailpolicy {
namespace internal {

// RFC 5321 4.5.3.1.3: a path is at most 256 octets.
inline constexpr size_t kMaxAddressLength = 256;

// Lower-cases ASCII letters of `address` into `buffer` and returns the view,
// or an empty view if it does not fit. Addresses are compared this way.
absl::string_view LowerAddress(absl::string_view address,
                               char (&buffer)[kMaxAddressLength]);
// VIEW-RECIPIENT: an address as the MTA resolves it, the one form every
// address takes where it enters (policy, C API, CLI, MIME) before it is
// compared: ASCII letters lower-cased, an internationalised domain in its
// ASCII form (UTS #46: "例子.中国" is "xn--fsqu00a.xn--fiqs8s"), one
// trailing dot of the domain dropped ("name@hzxt.com.cn." is delivered to
// name@hzxt.com.cn), and the null sender "<>" written as empty. The local
// part keeps its case and bytes otherwise (RFC 5321 2.4). Empty if the
// address does not fit in 256 bytes. Thread-safe.
absl::string_view CanonicalAddress(absl::string_view address,
                                   char (&buffer)[kMaxAddressLength]);
// The same, for compile time (a longer address comes back lower-cased).
std::string CanonicalAddress(absl::string_view address);
// A domain in the same form: lower case, ASCII (UTS #46), no trailing dot.
std::string CanonicalDomain(absl::string_view domain);

// The part after the last '@', or empty.
absl::string_view DomainOf(absl::string_view address);

struct CompiledAccount {
  std::string address;       // primary, lower case
  std::string display_name;
  MailboxKind kind = MailboxKind::kPersonal;
  AccountState state = AccountState::kActive;
  absl::Time state_since = absl::InfinitePast();
  uint32_t department = kNone;
  bool public_window = false;
  bool administrator = false;
  bool must_change_password = false;
  absl::Time password_changed = absl::InfinitePast();  // InfinitePast: unknown
  absl::Time compromised_since = absl::InfiniteFuture();  // none open
  std::vector<uint32_t> groups;         // every group it is in, nested, sorted
  std::vector<uint32_t> contact_lists;  // own, groups', departments'; sorted
  std::vector<uint32_t> delegates;      // accounts allowed to send as it, sorted
};

struct CompiledGroup {
  std::string address;
  std::string name_zh;
  std::vector<uint32_t> members;  // accounts reached, flattened, sorted
};

struct CompiledDepartment {
  std::string id, name_zh, name_en, mailbox_code;
  uint32_t parent = kNone;
};

// An address known to the policy: an account's address or alias, a group,
// or a contact outside the directory.
struct AddressEntry {
  uint32_t id = 0;  // dense, in the order the compiler met the addresses
  uint32_t account = kNone;
  uint32_t group = kNone;
  // The contact lists naming this address, sorted:
  // Snapshot::contact_lists[lists_begin, lists_end).
  uint32_t lists_begin = 0;
  uint32_t lists_end = 0;
};

// Copies of strings that stay where they are for the object's life, packed
// into large blocks: the keys of Snapshot::addresses, without an allocation
// (and its overhead) per address.
class StableText {
 public:
  absl::string_view Add(absl::string_view text);

 private:
  static constexpr size_t kBlockBytes = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;  // bytes of the last block in use
};

// All content patterns that search one field, as one RE2::Set so that a
// field is scanned once whatever the number of rules and patterns.
struct FieldMatcher {
  std::unique_ptr<RE2::Set> set;
  // Asked first, when present: text it rules out matches nothing in `set`.
  std::unique_ptr<content::Prefilter> prefilter;
  std::vector<uint32_t> pattern_rule;  // set index -> rule index; kNone: a link's start
  // The set holds the start of a link too (body only, when a links rule exists): a
  // body without a match has no link, and the links rule skips it.
  bool finds_links = false;
};

enum ContentFieldIndex { kFieldSubject = 0, kFieldBody = 1, kFieldAttachmentNames = 2 };

struct Snapshot {
  std::string name;
  std::string version;
  int64_t megabyte_bytes = 1048576;
  absl::TimeZone timezone;
  bool fail_closed = true;
  // Settings.message_limits, defaults filled in.
  struct MessageLimits {
    int32_t max_parts = 1000;
    int32_t max_depth = 32;
    int32_t max_contained_files = 1000;
    int32_t max_reasons_per_rule = 100;
    Severity severity = Severity::kDeny;
  } message_limits;
  // What message.too_complex reasons name: id "settings.message_limits".
  CompiledRule message_limits_rule;

  // Settings.recipient_delimiter: the characters that start an address
  // extension of a company address; empty: none.
  std::string recipient_delimiter;
  std::vector<std::string> company_domains;   // CanonicalDomain
  std::vector<std::string> legacy_domains;    // lower case
  absl::flat_hash_set<std::string> allowed_domains;  // directory-wide
  std::vector<CompiledDepartment> departments;
  std::vector<CompiledAccount> accounts;
  std::vector<CompiledGroup> groups;
  int aliases = 0;
  int contacts = 0;
  int holds = 0;

  // Lower case keys, in address_text.
  absl::flat_hash_map<absl::string_view, AddressEntry> addresses;
  StableText address_text;
  // Contact lists: an account's is its index, a group's num accounts + its
  // index, a department's num accounts + num groups + its index. Holds the
  // lists of every address back to back (see AddressEntry).
  std::vector<uint32_t> contact_lists;

  std::vector<CompiledRule> rules;
  // Indices into `rules` of the rules deciding each side (bit position of
  // Side: sender, recipient, message), in policy order: all of them, and
  // those that read only the envelope (MessageFacts::envelope_only).
  std::vector<uint32_t> rules_by_side[3];
  std::vector<uint32_t> envelope_rules_by_side[3];
  // AB-GROUPS: the rule the group.expanded reasons name (the first address
  // book rule); kNone: the policy has none, and groups are not reported.
  uint32_t group_report_rule = kNone;
  FieldMatcher field_matchers[3];
  // A link as written, captured whole (the links rule parses its host).
  std::unique_ptr<RE2> url_pattern;

  bool IsCompanyDomain(absl::string_view lower_domain) const;
  // Looks up an address as the MTA resolves it (CanonicalAddress); null if
  // unknown.
  const AddressEntry* FindAddress(absl::string_view address) const;
  // Looks up an address already in canonical form: as it is, then, for a
  // company address with an extension (recipient_delimiter), without it,
  // as Postfix's local delivery does. Null if unknown either way.
  // Inline: the envelope path looks up every address through it.
  const AddressEntry* FindCanonical(absl::string_view canonical) const {
    if (canonical.empty()) return nullptr;
    auto it = addresses.find(canonical);
    if (it != addresses.end()) return &it->second;
    return recipient_delimiter.empty() ? nullptr : FindWithoutExtension(canonical);
  }
  // FindCanonical's second look, for an unknown address with an extension.
  const AddressEntry* FindWithoutExtension(absl::string_view canonical) const;
};

}  // namespace internal
}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_INTERNAL_SNAPSHOT_H_

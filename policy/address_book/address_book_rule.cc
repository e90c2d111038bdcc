// Copyright 2026 The mailpolicy Authors.
//
// AB-ALLOWLIST (D1 3.3): mail goes only to addresses in the sender's
// effective address book: the company directory, the sender's personal
// contacts, the contacts of the sender's groups and departments, and the
// allowed domains. AB-GROUPS (D5 3): the group.expanded reasons of a
// message name the policy's first address book rule. AB-PUBLIC-WINDOW (D2 2.4): a published
// department mailbox may answer a correspondent who wrote first.

#include <vector>

#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class AddressBookRule final : public RuleBody {
 public:
  // Every company account and group counts as listed.
  bool include_directory = true;
  // Domains (and their subdomains) this rule accepts besides
  // Directory.allowed_domains; lower case.
  std::vector<std::string> allowed_domains;

  // AB-GROUPS is a fact of the directory (Policy::DecideSend reports it);
  // this rule's reasons name it.
  bool reports_groups() const override { return true; }

  void OnRecipient(const CompiledRule& rule, SendContext& c, int i) const override {
    if (!Listed(c, c.recipient_entries[i], c.recipient_domains[i], c.recipient_internal(i))) {
      Fire(c, rule, SubjectKind::kRecipient, i);
    }
  }

 private:
  bool Listed(const SendContext& c, const AddressEntry* entry, absl::string_view domain,
              bool internal_recipient) const {
    const Snapshot& s = c.snapshot;
    if (entry != nullptr) {
      if (internal_recipient && include_directory &&
          (entry->account != kNone || entry->group != kNone)) {
        return true;  // the company directory
      }
      if (c.sender != kNone && entry->lists_begin != entry->lists_end) {
        const std::vector<uint32_t>& mine = s.accounts[c.sender].contact_lists;
        const uint32_t* lists = s.contact_lists.data();
        if (SortedOverlap(mine.data(), mine.data() + mine.size(), lists + entry->lists_begin,
                          lists + entry->lists_end)) {
          return true;
        }
      }
    }
    // Allowed domains cover their subdomains, as every domain list does.
    for (absl::string_view d = domain; !d.empty();) {
      if (s.allowed_domains.contains(d)) return true;
      size_t dot = d.find('.');
      if (dot == absl::string_view::npos) break;
      d.remove_prefix(dot + 1);
    }
    if (InAnyDomain(domain, allowed_domains)) return true;
    // AB-PUBLIC-WINDOW (D2 2.4).
    return c.facts.reply_to_first_contact && c.sender != kNone &&
           s.accounts[c.sender].public_window;
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::AddressBookRule& ab = r.address_book();
  auto body = std::make_unique<AddressBookRule>();
  body->include_directory = !ab.has_include_directory() || ab.include_directory();
  if (!rc.Domains(rc.KindPath("address_book").Field("allowed_domains"), ab.allowed_domains(),
                  &body->allowed_domains)) {
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kAddressBookKind = {
    v1::Rule::kAddressBookFieldNumber, "address_book", "address_book",
    ReasonCode::kAddressBookNotListed, Severity::kDeny, kOriginated, ScopeAccount::kSender,
    kSideRecipient, /*needs_message=*/false, Compile,
};

}  // namespace internal
}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/snapshot.h"

#include <algorithm>

namespace mailpolicy {
namespace internal {
namespace {

struct KindNames {
  absl::string_view name;
  absl::string_view domain;
};

constexpr KindNames kKindNames[kNumRuleKinds] = {
    {"account_state", "accounts"},      {"first_login", "accounts"},
    {"password_rotation", "accounts"},  {"compromise", "accounts"},
    {"company_domain", "accounts"},     {"quota", "accounts"},
    {"address_book", "address_book"},   {"signup_sites", "address_book"},
    {"auto_forward", "address_book"},   {"attachment_size", "attachments"},
    {"archive", "attachments"},         {"blocked_types", "attachments"},
    {"external_publish", "attachments"}, {"subject", "content"},
    {"links", "content"},               {"advertising", "content"},
    {"chain_letter", "content"},        {"confidential", "content"},
    {"prohibited", "content"},          {"recipient_limit", "content"},
    {"rate_limit", "content"},          {"addressing", "content"},
    {"user_delete", "retention"},       {"retention", "retention"},
    {"spam", "retention"},              {"register", "retention"},
    {"duty", "retention"},              {"naming", "naming"},
};

}  // namespace

absl::string_view RuleKindName(RuleKind kind) {
  return kKindNames[static_cast<int>(kind)].name;
}

absl::string_view RuleKindDomain(RuleKind kind) {
  return kKindNames[static_cast<int>(kind)].domain;
}

absl::string_view LowerAddress(absl::string_view address, char (&buffer)[kMaxAddressLength]) {
  if (address.size() > kMaxAddressLength) return absl::string_view();
  for (size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    buffer[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  return absl::string_view(buffer, address.size());
}

absl::string_view DomainOf(absl::string_view address) {
  size_t at = address.rfind('@');
  return at == absl::string_view::npos ? absl::string_view() : address.substr(at + 1);
}

bool Snapshot::IsCompanyDomain(absl::string_view lower_domain) const {
  return std::find(company_domains.begin(), company_domains.end(), lower_domain) !=
         company_domains.end();
}

const AddressEntry* Snapshot::FindAddress(absl::string_view address) const {
  char buffer[kMaxAddressLength];
  absl::string_view lower = LowerAddress(address, buffer);
  if (lower.empty()) return nullptr;
  auto it = addresses.find(lower);
  return it == addresses.end() ? nullptr : &it->second;
}

}  // namespace internal
}  // namespace mailpolicy

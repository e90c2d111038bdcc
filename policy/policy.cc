// Copyright 2026 The mailpolicy Authors.

#include "policy/policy.h"

#include <utility>

#include "absl/strings/match.h"
#include "policy/internal/snapshot.h"

namespace mailpolicy {

Policy::Policy(std::unique_ptr<const internal::Snapshot> snapshot)
    : snapshot_(std::move(snapshot)) {}

Policy::~Policy() = default;

const internal::Snapshot& internal::SnapshotOf(const Policy& policy) {
  return *policy.snapshot_;
}

SourceFormat SourceFormatForPath(absl::string_view path) {
  if (absl::EndsWith(path, ".json")) return SourceFormat::kJson;
  if (absl::EndsWith(path, ".binpb") || absl::EndsWith(path, ".pb") ||
      absl::EndsWith(path, ".bin")) {
    return SourceFormat::kBinary;
  }
  return SourceFormat::kText;
}

PolicySummary Policy::Summary() const {
  const internal::Snapshot& s = *snapshot_;
  PolicySummary out;
  out.name = s.name;
  out.version = s.version;
  out.domains = s.company_domains;
  for (const auto& d : s.departments) {
    out.departments.push_back({d.id, d.name_zh, d.name_en, d.mailbox_code, 0});
  }
  for (const auto& a : s.accounts) {
    ++out.accounts_by_kind_state[static_cast<int>(a.kind)][static_cast<int>(a.state)];
    if (a.department != internal::kNone) ++out.departments[a.department].accounts;
  }
  out.accounts = static_cast<int>(s.accounts.size());
  out.aliases = s.aliases;
  out.groups = static_cast<int>(s.groups.size());
  out.contacts = s.contacts;
  for (const auto& r : s.rules) {
    out.rules.push_back(
        {r.id, std::string(r.kind->name), std::string(r.kind->domain), r.audit_only});
  }
  out.holds = s.holds;
  return out;
}

}  // namespace mailpolicy

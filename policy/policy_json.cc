// Copyright 2026 The mailpolicy Authors.

#include "policy/policy_json.h"

#include <string>

#include <nlohmann/json.hpp>

#include "policy/internal/json_format.h"
#include "policy/message.h"

namespace mailpolicy {
namespace {

using Json = nlohmann::ordered_json;

// Named after policy.proto's MailboxKind and AccountState values, lower case,
// indexed by the enums of policy/message.h.
constexpr const char* kKindNames[] = {"unspecified", "personal", "office_shared", "department"};
constexpr const char* kStateNames[] = {"unspecified", "pending",      "active",
                                       "suspended",   "deregistered", "retired"};
static_assert(sizeof(kKindNames) / sizeof(kKindNames[0]) ==
              sizeof(PolicySummary::accounts_by_kind_state) /
                  sizeof(PolicySummary::accounts_by_kind_state[0]));
static_assert(sizeof(kStateNames) / sizeof(kStateNames[0]) ==
              sizeof(PolicySummary::accounts_by_kind_state[0]) /
                  sizeof(PolicySummary::accounts_by_kind_state[0][0]));

}  // namespace

std::string PolicySummaryToJson(const PolicySummary& s) {
  Json doc = internal::NewJsonDocument();
  doc["name"] = s.name;
  doc["policy_version"] = s.version;
  doc["domains"] = s.domains;
  Json departments = Json::array();
  for (const PolicySummary::Department& d : s.departments) {
    Json j = Json::object();
    j["id"] = d.id;
    j["name_zh"] = d.name_zh;
    j["name_en"] = d.name_en;
    j["mailbox_code"] = d.mailbox_code;
    j["accounts"] = d.accounts;
    departments.push_back(std::move(j));
  }
  doc["departments"] = std::move(departments);
  doc["accounts"] = s.accounts;
  doc["aliases"] = s.aliases;
  doc["groups"] = s.groups;
  doc["contacts"] = s.contacts;
  doc["holds"] = s.holds;
  // The compiler gives every account a kind and a state; "unspecified" rows
  // are left out (index 0).
  Json by_kind = Json::object();
  for (int k = static_cast<int>(MailboxKind::kPersonal);
       k <= static_cast<int>(MailboxKind::kDepartment); ++k) {
    Json by_state = Json::object();
    for (int st = static_cast<int>(AccountState::kPending);
         st <= static_cast<int>(AccountState::kRetired); ++st) {
      by_state[kStateNames[st]] = s.accounts_by_kind_state[k][st];
    }
    by_kind[kKindNames[k]] = std::move(by_state);
  }
  doc["accounts_by_kind_state"] = std::move(by_kind);
  Json rules = Json::array();
  for (const PolicySummary::RuleInfo& r : s.rules) {
    Json j = Json::object();
    j["id"] = r.id;
    j["kind"] = r.kind;
    j["domain"] = r.domain;
    j["audit_only"] = r.audit_only;
    rules.push_back(std::move(j));
  }
  doc["rules"] = std::move(rules);
  return internal::DumpJson(doc);
}

std::string CompileErrorsToJson(absl::Span<const CompileError> errors, bool valid) {
  Json doc = internal::NewJsonDocument();
  doc["valid"] = valid;
  Json list = Json::array();
  for (const CompileError& e : errors) {
    Json j = Json::object();
    j["file"] = e.file;
    j["line"] = e.line;
    j["column"] = e.column;
    j["field"] = e.field_path;
    j["rule_id"] = e.rule_id;
    j["message"] = e.message;
    j["hint"] = e.hint;
    list.push_back(std::move(j));
  }
  doc["errors"] = std::move(list);
  return internal::DumpJson(doc);
}

}  // namespace mailpolicy

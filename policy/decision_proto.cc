// Copyright 2026 The mailpolicy Authors.

#include "policy/decision_proto.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "policy/internal/json_format.h"

namespace mailpolicy {
namespace {

using Json = nlohmann::ordered_json;

// Proto enums keep 0 for "unset": verdicts, severities and obligation kinds
// are shifted by one (policy.proto's Severity already is).
v1::Verdict ToProto(Verdict v) { return static_cast<v1::Verdict>(static_cast<int>(v) + 1); }

std::string SubjectName(const Reason& r, const MessageFacts& facts) {
  const size_t i = static_cast<size_t>(r.index);
  switch (r.subject) {
    case SubjectKind::kRecipient:
      return r.index >= 0 && i < facts.recipients.size() ? facts.recipients[i] : "";
    case SubjectKind::kAttachment:
      if (r.index < 0 || i >= facts.attachments.size()) return "";
      // A file inside another is named by its path: "fwd.eml/setup.exe".
      return facts.attachments[i].path.empty() ? facts.attachments[i].file_name
                                               : facts.attachments[i].path;
    case SubjectKind::kHeader:
      return std::string(r.header);
    case SubjectKind::kSender:
      return facts.envelope_sender;
    case SubjectKind::kMessage:
      break;
  }
  return "";
}

// The C++ name of a shifted proto enum value; "unspecified" for 0 and for
// values past `last` (a newer peer's, or a hand-made message's).
template <typename Enum, typename NameFn>
std::string ShiftedName(int proto_value, Enum last, NameFn name) {
  if (proto_value < 1 || proto_value > static_cast<int>(last) + 1) return "unspecified";
  return std::string(name(static_cast<Enum>(proto_value - 1)));
}

std::string VerdictText(int v) { return ShiftedName(v, Verdict::kPurge, VerdictName); }

Json ReasonJson(const v1::Reason& r) {
  Json j = Json::object();
  j["code"] = r.code();
  j["rule_id"] = r.rule_id();
  j["severity"] = ShiftedName(r.severity(), Severity::kDeny, SeverityName);
  j["audit_only"] = r.audit_only();
  j["temporary"] = r.temporary();
  j["subject"] = ReasonSubjectText(r);
  j["message_zh"] = r.message_zh();
  j["message_en"] = r.message_en();
  return j;
}

}  // namespace

void DecisionToProto(const Decision& d, const MessageFacts& facts, v1::Decision* out) {
  out->Clear();
  out->set_verdict(ToProto(d.verdict()));
  for (size_t i = 0; i < d.recipients().size(); ++i) {
    const RecipientVerdict& rv = d.recipients()[i];
    v1::RecipientVerdict* p = out->add_recipients();
    if (i < facts.recipients.size()) p->set_address(facts.recipients[i]);
    p->set_verdict(ToProto(rv.verdict));
    p->set_internal(rv.internal);
    p->set_expanded_members(rv.expanded_members);
  }
  for (const Reason& r : d.reasons()) {
    v1::Reason* p = out->add_reasons();
    p->set_code(std::string(ReasonCodeName(r.code)));
    p->set_rule_id(std::string(r.rule_id));
    p->set_severity(static_cast<v1::Severity>(static_cast<int>(r.severity) + 1));
    p->set_audit_only(r.audit_only);
    p->set_subject(static_cast<v1::SubjectKind>(r.subject));
    p->set_subject_index(r.index);
    p->set_header(std::string(r.header));
    p->set_message_zh(std::string(r.message_zh));
    p->set_message_en(std::string(r.message_en));
    p->set_subject_name(SubjectName(r, facts));
    p->set_temporary(r.temporary);
  }
  for (absl::Duration w : d.uncounted_rate_windows()) {
    out->add_uncounted_rate_window_seconds(absl::ToInt64Seconds(w));
  }
  for (const Obligation& o : d.obligations()) {
    v1::Obligation* p = out->add_obligations();
    p->set_kind(static_cast<v1::ObligationKind>(static_cast<int>(o.kind) + 1));
    p->set_rule_id(std::string(o.rule_id));
    p->set_detail(std::string(o.detail));
  }
  for (const EvaluationError& e : d.errors()) {
    v1::EvaluationError* p = out->add_errors();
    p->set_rule_id(std::string(e.rule_id));
    p->set_message(std::string(e.message));
    p->set_failed_closed(e.failed_closed);
  }
}

std::string ReasonSubjectText(const v1::Reason& r) {
  switch (r.subject()) {
    case v1::SUBJECT_KIND_RECIPIENT:
      return absl::StrCat("recipient:", r.subject_name());
    case v1::SUBJECT_KIND_ATTACHMENT:
      return absl::StrCat("attachment:", r.subject_index(), ":", r.subject_name());
    case v1::SUBJECT_KIND_HEADER:
      return absl::StrCat("header:", r.header());
    case v1::SUBJECT_KIND_SENDER:
      return absl::StrCat("sender:", r.subject_name());
    default:
      return "message";
  }
}

std::string DecisionToJson(const v1::Decision& d) {
  Json doc = internal::NewJsonDocument();
  doc["verdict"] = VerdictText(d.verdict());
  Json recipients = Json::array();
  for (int i = 0; i < d.recipients_size(); ++i) {
    const v1::RecipientVerdict& rv = d.recipients(i);
    Json r = Json::object();
    r["address"] = rv.address();
    r["verdict"] = VerdictText(rv.verdict());
    r["internal"] = rv.internal();
    r["expanded_members"] = rv.expanded_members();
    Json reasons = Json::array();
    for (const v1::Reason& reason : d.reasons()) {
      if (reason.subject() == v1::SUBJECT_KIND_RECIPIENT && reason.subject_index() == i) {
        reasons.push_back(ReasonJson(reason));
      }
    }
    r["reasons"] = std::move(reasons);
    recipients.push_back(std::move(r));
  }
  doc["recipients"] = std::move(recipients);
  Json reasons = Json::array();
  for (const v1::Reason& reason : d.reasons()) reasons.push_back(ReasonJson(reason));
  doc["reasons"] = std::move(reasons);
  Json obligations = Json::array();
  for (const v1::Obligation& o : d.obligations()) {
    Json j = Json::object();
    j["kind"] = ShiftedName(o.kind(), ObligationKind::kRouteToCustodian, ObligationKindName);
    j["rule_id"] = o.rule_id();
    j["detail"] = o.detail();
    obligations.push_back(std::move(j));
  }
  doc["obligations"] = std::move(obligations);
  Json errors = Json::array();
  for (const v1::EvaluationError& e : d.errors()) {
    Json j = Json::object();
    j["rule_id"] = e.rule_id();
    j["message"] = e.message();
    j["failed_closed"] = e.failed_closed();
    errors.push_back(std::move(j));
  }
  doc["errors"] = std::move(errors);
  Json windows = Json::array();
  for (int64_t w : d.uncounted_rate_window_seconds()) windows.push_back(w);
  doc["uncounted_rate_windows"] = std::move(windows);
  return internal::DumpJson(doc);
}

}  // namespace mailpolicy

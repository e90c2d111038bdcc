// Copyright 2026 The mailpolicy Authors.
//
// mailpolicy: the administrator's tool.
//
//   mailpolicy validate FILE... [--json]
//   mailpolicy show FILE...
//   mailpolicy compile FILE... --out OUT.binpb|OUT.json
//   mailpolicy check --policy FILE [--directory FILE] --channel CH --from ADDR
//                    --to ADDR [--to ADDR ...] [--user LOGIN] [--now RFC3339]
//                    [--envelope-only] [--recent N] [--mailbox-bytes N]
//                    [--reply-to-first-contact] [MESSAGE.eml] [--json]
//
// Exit codes: validate and compile 0 valid, 1 invalid; check 0 allow,
// 10 allow with warnings, 20 needs approval, 30 deny; 1 a policy or message
// that cannot be read; 2 a usage error.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/json_writer.h"
#include "policy/decision.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "policy/policy.h"

namespace mailpolicy {
namespace cli {
namespace {

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

int Usage(const char* message) {
  if (message != nullptr) std::fprintf(stderr, "mailpolicy: %s\n", message);
  std::fprintf(stderr,
               "usage:\n"
               "  mailpolicy validate FILE... [--json]\n"
               "  mailpolicy show FILE...\n"
               "  mailpolicy compile FILE... --out OUT.binpb|OUT.json\n"
               "  mailpolicy check --policy FILE [--directory FILE] --channel CH --from ADDR\n"
               "                   --to ADDR [--to ADDR ...] [--user LOGIN] [--now RFC3339]\n"
               "                   [--envelope-only] [--recent N] [--mailbox-bytes N]\n"
               "                   [--reply-to-first-contact] [MESSAGE.eml] [--json]\n"
               "channels: web pop3 imap smtp mobile mta api\n");
  return kExitUsage;
}

void PrintErrorsJson(const std::vector<CompileError>& errors, bool valid) {
  JsonWriter w;
  w.BeginObject().Key("valid").Bool(valid).Key("errors").BeginArray();
  for (const CompileError& e : errors) {
    w.BeginObject()
        .Key("file").String(e.file)
        .Key("line").Int(e.line)
        .Key("column").Int(e.column)
        .Key("field").String(e.field_path)
        .Key("rule_id").String(e.rule_id)
        .Key("message").String(e.message)
        .Key("hint").String(e.hint)
        .EndObject();
  }
  w.EndArray().EndObject();
  std::printf("%s\n", w.str().c_str());
}

int Validate(const std::vector<std::string>& args) {
  bool json = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (absl::StartsWith(a, "--")) {
      return Usage(absl::StrCat("validate: unknown flag ", a).c_str());
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return Usage("validate: name at least one policy file");
  std::vector<CompileError> errors;
  auto policy = CompileFiles(files, &errors);
  if (json) {
    PrintErrorsJson(errors, policy.ok());
  } else if (policy.ok()) {
    PolicySummary s = (*policy)->Summary();
    std::printf("%s: valid (%d accounts, %d groups, %zu rules)\n",
                absl::StrJoin(files, ", ").c_str(), s.accounts, s.groups, s.rules.size());
  } else {
    for (const CompileError& e : errors) std::printf("%s\n", e.ToString().c_str());
    std::fprintf(stderr, "%zu error%s\n", errors.size(), errors.size() == 1 ? "" : "s");
  }
  return policy.ok() ? 0 : kExitInvalid;
}

const char* KindName(int kind) {
  static const char* kNames[] = {"unspecified", "personal", "office shared", "department"};
  return kNames[kind];
}

const char* StateName(int state) {
  static const char* kNames[] = {"unspecified", "pending", "active", "suspended",
                                 "deregistered", "retired"};
  return kNames[state];
}

int Show(const std::vector<std::string>& files) {
  if (files.empty()) return Usage("show: name at least one policy file");
  std::vector<CompileError> errors;
  auto policy = CompileFiles(files, &errors);
  if (!policy.ok()) {
    for (const CompileError& e : errors) std::printf("%s\n", e.ToString().c_str());
    return kExitInvalid;
  }
  PolicySummary s = (*policy)->Summary();
  std::printf("policy     %s %s\n", s.name.c_str(), s.version.c_str());
  std::printf("domains    %s\n", absl::StrJoin(s.domains, ", ").c_str());
  std::printf("departments (%zu)\n", s.departments.size());
  for (const auto& d : s.departments) {
    std::printf("  %-6s %-12s %-28s code=%-6s %d mailboxes\n", d.id.c_str(), d.name_zh.c_str(),
                d.name_en.c_str(), d.mailbox_code.c_str(), d.accounts);
  }
  std::printf("mailboxes  %d (+%d aliases), by kind and state:\n", s.accounts, s.aliases);
  for (int k = 1; k < 4; ++k) {
    std::string line;
    for (int st = 1; st < 6; ++st) {
      if (s.accounts_by_kind_state[k][st] == 0) continue;
      absl::StrAppend(&line, "  ", StateName(st), "=", s.accounts_by_kind_state[k][st]);
    }
    if (!line.empty()) std::printf("  %-14s%s\n", KindName(k), line.c_str());
  }
  std::printf("groups     %d; contacts %d; holds %d\n", s.groups, s.contacts, s.holds);
  std::printf("rules      %zu\n", s.rules.size());
  std::vector<std::string> domains;
  for (const auto& r : s.rules) {
    if (std::find(domains.begin(), domains.end(), r.domain) == domains.end()) {
      domains.push_back(r.domain);
    }
  }
  for (const std::string& d : domains) {
    std::vector<std::string> ids;
    for (const auto& r : s.rules) {
      if (r.domain == d) ids.push_back(r.audit_only ? r.id + " (audit)" : r.id);
    }
    std::printf("  %-13s %zu: %s\n", d.c_str(), ids.size(), absl::StrJoin(ids, ", ").c_str());
  }
  return 0;
}

// Writes the policy (all files merged, includes resolved) as binary or JSON
// (text for any other name).
int CompileOut(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--out" && i + 1 < args.size()) {
      out = args[++i];
    } else if (absl::StartsWith(args[i], "--")) {
      return Usage(absl::StrCat("compile: unknown flag ", args[i]).c_str());
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty() || out.empty()) return Usage("compile: name policy files and --out");
  std::vector<CompileError> errors;
  auto sources = LoadPolicyFiles(files, &errors);
  absl::StatusOr<std::string> bytes =
      sources.ok() ? WritePolicy(*sources, SourceFormatForPath(out), &errors)
                   : absl::StatusOr<std::string>(sources.status());
  if (!bytes.ok()) {
    for (const CompileError& e : errors) std::printf("%s\n", e.ToString().c_str());
    if (errors.empty()) std::fprintf(stderr, "mailpolicy: %s\n", bytes.status().ToString().c_str());
    return kExitInvalid;
  }
  std::ofstream file(out, std::ios::binary);
  file << *bytes;
  if (!file) {
    std::fprintf(stderr, "mailpolicy: cannot write %s\n", out.c_str());
    return kExitInvalid;
  }
  std::printf("wrote %s (%zu bytes)\n", out.c_str(), bytes->size());
  return 0;
}

int ExitCodeFor(Verdict v) {
  switch (v) {
    case Verdict::kAllow: return 0;
    case Verdict::kAllowWithWarnings: return 10;
    case Verdict::kNeedsApproval: return 20;
    default: return 30;
  }
}

std::string SubjectText(const Reason& r, const MessageFacts& facts) {
  switch (r.subject) {
    case SubjectKind::kRecipient:
      return absl::StrCat("recipient:", facts.recipients[r.index]);
    case SubjectKind::kAttachment:
      return absl::StrCat("attachment:", r.index, ":", facts.attachments[r.index].file_name);
    case SubjectKind::kHeader:
      return absl::StrCat("header:", r.header);
    case SubjectKind::kSender:
      return absl::StrCat("sender:", facts.envelope_sender);
    case SubjectKind::kMessage:
      break;
  }
  return "message";
}

void AppendReasonJson(JsonWriter& w, const Reason& r, const MessageFacts& facts) {
  w.BeginObject()
      .Key("code").String(ReasonCodeName(r.code))
      .Key("rule_id").String(r.rule_id)
      .Key("severity").String(SeverityName(r.severity))
      .Key("audit_only").Bool(r.audit_only)
      .Key("subject").String(SubjectText(r, facts))
      .Key("message_zh").String(r.message_zh)
      .Key("message_en").String(r.message_en)
      .EndObject();
}

void PrintDecisionJson(const Decision& d, const MessageFacts& facts) {
  JsonWriter w;
  w.BeginObject().Key("verdict").String(VerdictName(d.verdict()));
  w.Key("recipients").BeginArray();
  for (size_t i = 0; i < d.recipients().size(); ++i) {
    const RecipientVerdict& rv = d.recipients()[i];
    w.BeginObject()
        .Key("address").String(facts.recipients[i])
        .Key("verdict").String(VerdictName(rv.verdict))
        .Key("internal").Bool(rv.internal)
        .Key("expanded_members").Int(rv.expanded_members);
    w.Key("reasons").BeginArray();
    for (const Reason& r : d.reasons()) {
      if (r.subject == SubjectKind::kRecipient && r.index == static_cast<int32_t>(i)) {
        AppendReasonJson(w, r, facts);
      }
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("reasons").BeginArray();
  for (const Reason& r : d.reasons()) AppendReasonJson(w, r, facts);
  w.EndArray().Key("obligations").BeginArray();
  for (const Obligation& o : d.obligations()) {
    w.BeginObject()
        .Key("kind").String(ObligationKindName(o.kind))
        .Key("rule_id").String(o.rule_id)
        .Key("detail").String(o.detail)
        .EndObject();
  }
  w.EndArray().Key("errors").BeginArray();
  for (const EvaluationError& e : d.errors()) {
    w.BeginObject()
        .Key("rule_id").String(e.rule_id)
        .Key("message").String(e.message)
        .Key("failed_closed").Bool(e.failed_closed)
        .EndObject();
  }
  w.EndArray().EndObject();
  std::printf("%s\n", w.str().c_str());
}

void PrintDecision(const Decision& d, const MessageFacts& facts) {
  std::printf("verdict: %s\n", std::string(VerdictName(d.verdict())).c_str());
  for (size_t i = 0; i < d.recipients().size(); ++i) {
    const RecipientVerdict& rv = d.recipients()[i];
    std::printf("  to %-36s %-20s%s", facts.recipients[i].c_str(),
                std::string(VerdictName(rv.verdict)).c_str(), rv.internal ? "internal" : "external");
    if (rv.expanded_members > 0) std::printf(", group of %d", rv.expanded_members);
    std::printf("\n");
  }
  for (const Reason& r : d.reasons()) {
    std::printf("  - %s [%s] %s%s (%s)\n      %s\n      %s\n",
                std::string(ReasonCodeName(r.code)).c_str(), std::string(r.rule_id).c_str(),
                std::string(SeverityName(r.severity)).c_str(), r.audit_only ? ", audit only" : "",
                SubjectText(r, facts).c_str(), std::string(r.message_zh).c_str(),
                std::string(r.message_en).c_str());
  }
  for (const Obligation& o : d.obligations()) {
    std::printf("  * obligation %s [%s] %s\n", std::string(ObligationKindName(o.kind)).c_str(),
                std::string(o.rule_id).c_str(), std::string(o.detail).c_str());
  }
  for (const EvaluationError& e : d.errors()) {
    std::printf("  ! error [%s] %s (%s)\n", std::string(e.rule_id).c_str(),
                std::string(e.message).c_str(), e.failed_closed ? "failed closed" : "failed open");
  }
}

int Check(const std::vector<std::string>& args) {
  std::vector<std::string> policy_files;
  MessageFacts facts;
  std::string message_file;
  bool json = false;
  bool have_now = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> const std::string* {
      if (i + 1 >= args.size()) {
        Usage(absl::StrCat("check: ", flag, " needs a value").c_str());
        return nullptr;
      }
      return &args[++i];
    };
    if (a == "--json") {
      json = true;
    } else if (a == "--envelope-only") {
      facts.envelope_only = true;
    } else if (a == "--reply-to-first-contact") {
      facts.reply_to_first_contact = true;
    } else if (a == "--policy" || a == "--directory") {
      const std::string* v = value(a.c_str());
      if (v == nullptr) return kExitUsage;
      policy_files.push_back(*v);
    } else if (a == "--channel") {
      const std::string* v = value("--channel");
      if (v == nullptr) return kExitUsage;
      if (!ParseChannel(*v, &facts.channel)) {
        return Usage(absl::StrCat("check: unknown channel \"", *v, "\"").c_str());
      }
    } else if (a == "--from") {
      const std::string* v = value("--from");
      if (v == nullptr) return kExitUsage;
      facts.envelope_sender = *v;
    } else if (a == "--to") {
      const std::string* v = value("--to");
      if (v == nullptr) return kExitUsage;
      facts.recipients.push_back(*v);
    } else if (a == "--user") {
      const std::string* v = value("--user");
      if (v == nullptr) return kExitUsage;
      facts.authenticated_user = *v;
    } else if (a == "--recent" || a == "--mailbox-bytes") {
      const std::string* v = value(a.c_str());
      int64_t n;
      if (v == nullptr || !absl::SimpleAtoi(*v, &n) || n < 0) {
        return Usage(absl::StrCat("check: ", a, " needs a whole number").c_str());
      }
      (a == "--recent" ? facts.sender_recent_messages : facts.sender_mailbox_bytes) = n;
    } else if (a == "--now") {
      const std::string* v = value("--now");
      if (v == nullptr) return kExitUsage;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, *v, &facts.now, &err)) {
        return Usage(absl::StrCat("check: --now \"", *v, "\" is not RFC 3339: ", err).c_str());
      }
      have_now = true;
    } else if (absl::StartsWith(a, "--")) {
      return Usage(absl::StrCat("check: unknown flag ", a).c_str());
    } else if (message_file.empty()) {
      message_file = a;
    } else {
      return Usage("check: name one message file");
    }
  }
  if (policy_files.empty()) return Usage("check: --policy is required");
  if (facts.channel == Channel::kUnspecified) return Usage("check: --channel is required");
  if (facts.envelope_sender.empty()) return Usage("check: --from is required");
  if (facts.recipients.empty()) return Usage("check: at least one --to is required");
  if (message_file.empty()) {
    facts.envelope_only = true;
  } else {
    std::ifstream in(message_file, std::ios::binary);
    std::stringstream raw;
    raw << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "mailpolicy: cannot read message %s\n", message_file.c_str());
      return kExitInvalid;
    }
    absl::Status st = ParseMessageInto(raw.str(), &facts);
    if (!st.ok()) {
      std::fprintf(stderr, "mailpolicy: %s: %s\n", message_file.c_str(),
                   std::string(st.message()).c_str());
      return kExitInvalid;
    }
  }
  if (!have_now) facts.now = absl::Now();
  std::vector<CompileError> errors;
  auto policy = CompileFiles(policy_files, &errors);
  if (!policy.ok()) {
    for (const CompileError& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return kExitInvalid;
  }
  Decision decision;
  (*policy)->DecideSend(facts, &decision);
  if (json) {
    PrintDecisionJson(decision, facts);
  } else {
    PrintDecision(decision, facts);
  }
  return ExitCodeFor(decision.verdict());
}

int Main(int argc, char** argv) {
  if (argc < 2) return Usage(nullptr);
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "validate") return Validate(args);
  if (command == "show") return Show(args);
  if (command == "compile") return CompileOut(args);
  if (command == "check") return Check(args);
  if (command == "--help" || command == "help" || command == "-h") {
    Usage(nullptr);
    return 0;
  }
  return Usage(absl::StrCat("unknown command \"", command, "\"").c_str());
}

}  // namespace
}  // namespace cli
}  // namespace mailpolicy

int main(int argc, char** argv) { return mailpolicy::cli::Main(argc, argv); }

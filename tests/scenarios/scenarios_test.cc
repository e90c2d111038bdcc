// Copyright 2026 The mailpolicy Authors.
//
// Runs the golden scenarios of tests/scenarios/*.textproto (the format is
// tests/scenarios/scenario.proto): one test case per scenario, named
// <file>.<scenario>, whose failure lists every way the decision differs from
// the expectation. A last suite checks that the scenarios together cover
// every send-path rule of SPEC.md §2 and every reason code it can give.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "policy/compiler/values.h"
#include "policy/decision.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "policy/internal/rule_kinds.h"
#include "policy/policy.h"
#include "policy/proto/policy.pb.h"
#include "policy/reasons.h"
#include "tests/scenarios/scenario.pb.h"

namespace mailpolicy {
namespace {

namespace sc = ::mailpolicy::scenarios;

// Bazel runs tests in the workspace's runfiles directory.
constexpr char kScenarioDir[] = "tests/scenarios";
constexpr char kDefaultPolicy[] = "examples/policies/hzxt.textproto";
constexpr char kDefaultNow[] = "2026-11-26T10:00:00+08:00";

// SPEC.md §2 rules decided on the send path; each needs a scenario.
constexpr const char* kSendPathRules[] = {
    "ACC-KINDS",        "ACC-LIFECYCLE",   "ACC-FIRST-LOGIN",      "ACC-ROTATION",
    "ATT-BLOCKED-TYPES", "VIEW-RECIPIENT",
    "ACC-COMPROMISE",   "ACC-QUOTA",       "ACC-COMPANY-DOMAIN",   "ACC-NO-TRANSFER",
    "ACC-NO-SIGNUP",    "AB-ALLOWLIST",    "AB-GROUPS",            "AB-PUBLIC-WINDOW",
    "ATT-SIZE",         "ATT-ARCHIVE",     "ATT-EXTERNAL-PUBLISH", "CNT-SUBJECT",
    "CNT-URL",          "CNT-ADS",         "CNT-CHAIN-BULK",       "CNT-SECRETS",
    "CNT-PROHIBITED",   "CNT-ADDRESSING",  "REC-REGISTER",
};

// Reason codes the send path gives (SPEC.md §3); each needs a scenario.
constexpr ReasonCode kSendPathCodes[] = {
    ReasonCode::kMessageTooComplex,
    ReasonCode::kAttachmentEncrypted,
    ReasonCode::kAttachmentUnreadable,
    ReasonCode::kAccountUnknown,
    ReasonCode::kAccountPending,
    ReasonCode::kAccountSuspended,
    ReasonCode::kAccountDeregistered,
    ReasonCode::kAccountRetired,
    ReasonCode::kAccountPasswordChangeRequired,
    ReasonCode::kAccountPasswordExpired,
    ReasonCode::kAccountPasswordExpiring,
    ReasonCode::kAccountCompromised,
    ReasonCode::kSenderNotCompanyDomain,
    ReasonCode::kSenderNotDelegate,
    ReasonCode::kAddressBookNotListed,
    ReasonCode::kAddressBookSignupSite,
    ReasonCode::kGroupExpanded,
    ReasonCode::kForwardAutoExternal,
    ReasonCode::kForwardExternalAttachments,
    ReasonCode::kAttachmentTooLarge,
    ReasonCode::kMessageTooLarge,
    ReasonCode::kAttachmentNotArchive,
    ReasonCode::kAttachmentBlockedType,
    ReasonCode::kContentSubjectEmpty,
    ReasonCode::kContentUrl,
    ReasonCode::kContentAdvertising,
    ReasonCode::kContentChainLetter,
    ReasonCode::kContentProhibited,
    ReasonCode::kContentConfidentialExternal,
    ReasonCode::kContentAddressingMissing,
    ReasonCode::kBulkTooManyRecipients,
    ReasonCode::kRateExceeded,
    ReasonCode::kQuotaWarning,
    ReasonCode::kQuotaSendBlocked,
    ReasonCode::kQuotaFull,
    ReasonCode::kRegisterRequired,
};

struct LoadedScenario {
  std::string file;  // path, for messages
  sc::Scenario scenario;
};

std::vector<LoadedScenario>& AllScenarios() {
  static auto* scenarios = new std::vector<LoadedScenario>;
  return *scenarios;
}

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream out;
  out << in.rdbuf();
  *contents = out.str();
  return true;
}

// Reads every scenario file; problems with the files themselves are
// returned as messages and fail the Files.Load test.
std::vector<std::string> LoadScenarios() {
  std::vector<std::string> problems;
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir, ec)) {
    const std::string path = entry.path().string();
    if (absl::EndsWith(path, ".textproto")) paths.push_back(path);
  }
  if (ec) problems.push_back(absl::StrCat("cannot list ", kScenarioDir, ": ", ec.message()));
  std::sort(paths.begin(), paths.end());
  std::set<std::string> names;
  for (const std::string& path : paths) {
    std::string text;
    sc::ScenarioFile file;
    if (!ReadFile(path, &text) || !google::protobuf::TextFormat::ParseFromString(text, &file)) {
      problems.push_back(absl::StrCat(path, ": not a readable ScenarioFile text proto"));
      continue;
    }
    for (const sc::Scenario& s : file.scenario()) {
      const bool valid_name =
          !s.name().empty() && std::all_of(s.name().begin(), s.name().end(), [](char c) {
            return absl::ascii_isalnum(c) || c == '_';
          });
      if (!valid_name) {
        problems.push_back(absl::StrCat(path, ": bad scenario name \"", s.name(), "\""));
      } else if (!names.insert(s.name()).second) {
        problems.push_back(absl::StrCat(path, ": duplicate scenario name ", s.name()));
      } else if (s.expectation_case() == sc::Scenario::EXPECTATION_NOT_SET) {
        problems.push_back(absl::StrCat(path, ": scenario ", s.name(), " expects nothing"));
      } else {
        AllScenarios().push_back({path, s});
      }
    }
  }
  if (AllScenarios().empty()) problems.push_back("no scenarios found");
  return problems;
}

// ---- the request ------------------------------------------------------------

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

// Fills `facts` from the scenario; false with `error` on a bad scenario.
bool BuildFacts(const sc::Scenario& s, MessageFacts* facts, std::string* error) {
  const std::string channel = s.channel().empty() ? "web" : s.channel();
  if (!ParseChannel(channel, &facts->channel)) {
    *error = absl::StrCat("unknown channel \"", channel, "\"");
    return false;
  }
  if (s.direction() == "outbound") {
    facts->direction = Direction::kOutbound;
  } else if (s.direction() == "inbound") {
    facts->direction = Direction::kInbound;
  } else if (s.direction() == "internal") {
    facts->direction = Direction::kInternal;
  } else if (!s.direction().empty()) {
    *error = absl::StrCat("unknown direction \"", s.direction(), "\"");
    return false;
  }
  auto now = compiler::ParseDate(s.now().empty() ? kDefaultNow : s.now(), Shanghai());
  if (!now.ok()) {
    *error = std::string(now.status().message());
    return false;
  }

  if (s.has_facts() || s.eml().empty()) {
    const sc::Message& m = s.facts();
    if (!s.has_facts()) {
      facts->subject = "工作聯繫";
      facts->text_parts = {"您好,請查收。"};
    } else {
      facts->has_subject = m.has_subject();
      facts->subject = m.subject();
      facts->text_parts.assign(m.body().begin(), m.body().end());
    }
    for (const sc::Attachment& a : m.attachments()) {
      Attachment out;
      out.file_name = a.name();
      out.content_type = a.content_type();
      auto size = compiler::ParseSize(a.size().empty() ? "0" : a.size(), 1048576);
      if (!size.ok()) {
        *error = std::string(size.status().message());
        return false;
      }
      out.size = static_cast<uint64_t>(*size);
      out.first_bytes = absl::HexStringToBytes(a.first_bytes_hex());
      out.other_names.assign(a.other_names().begin(), a.other_names().end());
      out.encrypted = a.encrypted();
      out.unreadable = a.unreadable();
      if (a.inside() > 0) {
        if (static_cast<size_t>(a.inside()) > facts->attachments.size()) {
          *error = absl::StrCat("attachment ", a.name(), " is inside attachment ", a.inside(),
                                ", which does not come before it");
          return false;
        }
        out.container = a.inside() - 1;
        const Attachment& outer = facts->attachments[out.container];
        out.path = absl::StrCat(outer.path.empty() ? outer.file_name : outer.path, "/", out.file_name);
      }
      if (out.container < 0) facts->message_size += out.size;
      facts->attachments.push_back(std::move(out));
    }
    facts->auto_forwarded = m.auto_forwarded();
    facts->forwarded = m.forwarded();
    facts->complexity.parts = m.parts();
    facts->complexity.depth = m.depth();
    facts->complexity.contained_files = m.contained_files();
    facts->complexity.truncated = m.truncated();
  } else {
    std::string raw;
    if (!ReadFile(s.eml(), &raw)) {
      *error = absl::StrCat("cannot read ", s.eml());
      return false;
    }
    absl::Status st = ParseMessageInto(raw, facts);
    if (!st.ok()) {
      *error = absl::StrCat(s.eml(), ": ", st.message());
      return false;
    }
  }
  // The envelope and session, after ParseMessageInto (which leaves them).
  facts->envelope_sender = s.from();
  facts->authenticated_user = s.user();
  facts->recipients.assign(s.to().begin(), s.to().end());
  facts->now = *now;
  facts->sender_recent_messages = s.has_recent() ? s.recent() : -1;
  facts->sender_mailbox_bytes = s.has_mailbox_bytes() ? s.mailbox_bytes() : -1;
  facts->reply_to_first_contact = s.reply_to_first_contact();
  facts->envelope_only = s.envelope_only();
  return true;
}

// ---- comparing --------------------------------------------------------------

std::vector<std::string> PolicyPaths(const sc::Scenario& s) {
  if (s.policies().empty()) return {kDefaultPolicy};
  return {s.policies().begin(), s.policies().end()};
}

absl::string_view ScenarioVerdictName(sc::Verdict v) {
  switch (v) {
    case sc::ALLOW: return VerdictName(Verdict::kAllow);
    case sc::ALLOW_WITH_WARNINGS: return VerdictName(Verdict::kAllowWithWarnings);
    case sc::NEEDS_APPROVAL: return VerdictName(Verdict::kNeedsApproval);
    case sc::DENY: return VerdictName(Verdict::kDeny);
    default: return "(unspecified)";
  }
}

// What a reason concerns, in the notation of Scenario.Reason.on.
std::string SubjectOf(const Reason& r, const MessageFacts& facts) {
  switch (r.subject) {
    case SubjectKind::kRecipient:
      if (r.index >= 0 && static_cast<size_t>(r.index) < facts.recipients.size()) {
        return facts.recipients[r.index];
      }
      return absl::StrCat("recipient #", r.index);
    case SubjectKind::kAttachment:
      if (r.index >= 0 && static_cast<size_t>(r.index) < facts.attachments.size()) {
        // A file inside another by its path, as decisions name it.
        const Attachment& a = facts.attachments[r.index];
        return a.path.empty() ? a.file_name : a.path;
      }
      return absl::StrCat("attachment #", r.index);
    case SubjectKind::kSender: return "sender";
    case SubjectKind::kHeader: return std::string(r.header);
    case SubjectKind::kMessage: break;
  }
  return "message";
}

std::string Describe(const Reason& r, const MessageFacts& facts) {
  return absl::StrCat(ReasonCodeName(r.code), " [", r.rule_id, "] on ", SubjectOf(r, facts), " ",
                      SeverityName(r.severity), r.audit_only ? " audit_only" : "");
}

std::string Describe(const sc::Reason& r) {
  return absl::StrCat(r.code(), " [", r.rule(), "]", r.on().empty() ? "" : " on ", r.on(),
                      r.severity().empty() ? "" : " ", r.severity(),
                      r.has_audit_only() && r.audit_only() ? " audit_only" : "");
}

std::string Describe(const sc::Obligation& o) {
  return absl::StrCat(o.kind(), " [", o.rule(), "]", o.detail().empty() ? "" : " ", o.detail());
}

std::string Describe(const sc::Error& e) {
  return absl::StrCat("[", e.rule(), "]", e.failed_closed() ? " failed closed" : " failed open");
}

bool Matches(const sc::Reason& want, const Reason& got, const MessageFacts& facts) {
  return want.code() == ReasonCodeName(got.code) && want.rule() == got.rule_id &&
         (want.on().empty() || want.on() == SubjectOf(got, facts)) &&
         (want.severity().empty() || want.severity() == SeverityName(got.severity)) &&
         (!want.has_audit_only() || want.audit_only() == got.audit_only);
}

// Pairs expected and actual items as multisets: the most specific
// expectations (those that name what they concern) are paired first.
template <typename Want, typename Got, typename Match, typename Specific, typename DescribeGot>
void CompareMultisets(const char* what, const std::vector<const Want*>& wants,
                      const std::vector<Got>& gots, Match match, Specific specific,
                      DescribeGot describe_got, std::vector<std::string>* mismatches) {
  std::vector<bool> used(gots.size(), false);
  std::vector<const Want*> ordered = wants;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const Want* a, const Want* b) { return specific(*a) > specific(*b); });
  for (const Want* w : ordered) {
    bool found = false;
    for (size_t i = 0; i < gots.size() && !found; ++i) {
      if (!used[i] && match(*w, gots[i])) found = used[i] = true;
    }
    if (!found) mismatches->push_back(absl::StrCat("missing ", what, ": ", Describe(*w)));
  }
  for (size_t i = 0; i < gots.size(); ++i) {
    if (!used[i]) {
      mismatches->push_back(absl::StrCat("unexpected ", what, ": ", describe_got(gots[i])));
    }
  }
}

std::vector<std::string> CompareDecision(const sc::Expect& want, const Decision& got,
                                         const MessageFacts& facts) {
  std::vector<std::string> mismatches;
  if (ScenarioVerdictName(want.verdict()) != VerdictName(got.verdict())) {
    mismatches.push_back(absl::StrCat("verdict: want ", ScenarioVerdictName(want.verdict()),
                                      ", got ", VerdictName(got.verdict())));
  }
  if (!want.recipients().empty()) {
    if (static_cast<size_t>(want.recipients_size()) != got.recipients().size()) {
      mismatches.push_back(absl::StrCat("recipients: want ", want.recipients_size(), ", got ",
                                        got.recipients().size()));
    }
    for (int i = 0; i < want.recipients_size() &&
                    static_cast<size_t>(i) < got.recipients().size(); ++i) {
      const sc::RecipientVerdict& w = want.recipients(i);
      const RecipientVerdict& g = got.recipients()[i];
      const std::string who = absl::StrCat("recipient ", i, " (", facts.recipients[i], ")");
      if (w.to() != facts.recipients[i]) {
        mismatches.push_back(absl::StrCat(who, ": the expectation names ", w.to()));
      }
      if (ScenarioVerdictName(w.verdict()) != VerdictName(g.verdict)) {
        mismatches.push_back(absl::StrCat(who, ": want ", ScenarioVerdictName(w.verdict()),
                                          ", got ", VerdictName(g.verdict)));
      }
      if (w.has_internal() && w.internal() != g.internal) {
        mismatches.push_back(absl::StrCat(who, ": want internal=", w.internal()));
      }
      if (w.has_expanded_members() && w.expanded_members() != g.expanded_members) {
        mismatches.push_back(absl::StrCat(who, ": want ", w.expanded_members(),
                                          " expanded members, got ", g.expanded_members));
      }
    }
  }

  std::vector<const sc::Reason*> reasons;
  for (const sc::Reason& r : want.reasons()) reasons.push_back(&r);
  CompareMultisets(
      "reason", reasons, got.reasons(),
      [&](const sc::Reason& w, const Reason& g) { return Matches(w, g, facts); },
      [](const sc::Reason& w) { return !w.on().empty(); },
      [&](const Reason& g) { return Describe(g, facts); }, &mismatches);

  std::vector<const sc::Obligation*> obligations;
  for (const sc::Obligation& o : want.obligations()) obligations.push_back(&o);
  CompareMultisets(
      "obligation", obligations, got.obligations(),
      [](const sc::Obligation& w, const Obligation& g) {
        return w.kind() == ObligationKindName(g.kind) && w.rule() == g.rule_id &&
               (w.detail().empty() || w.detail() == g.detail);
      },
      [](const sc::Obligation& w) { return !w.detail().empty(); },
      [](const Obligation& g) {
        return absl::StrCat(ObligationKindName(g.kind), " [", g.rule_id, "] ", g.detail);
      },
      &mismatches);

  std::vector<const sc::Error*> errors;
  for (const sc::Error& e : want.errors()) errors.push_back(&e);
  CompareMultisets(
      "error", errors, got.errors(),
      [](const sc::Error& w, const EvaluationError& g) {
        return w.rule() == g.rule_id && w.failed_closed() == g.failed_closed;
      },
      [](const sc::Error&) { return false; },
      [](const EvaluationError& g) {
        return absl::StrCat("[", g.rule_id, "] ", g.message,
                            g.failed_closed ? " (failed closed)" : " (failed open)");
      },
      &mismatches);
  return mismatches;
}

// ---- running ----------------------------------------------------------------

// Compiled policies, shared by the scenarios that name the same files.
struct CompiledPolicy {
  std::shared_ptr<const Policy> policy;  // null if it did not compile
  std::vector<CompileError> errors;
};

// The policy files, plus the scenario's rule (id "r") with `extra` added to
// it when `rule` is not empty.
const CompiledPolicy& PolicyFor(const std::vector<std::string>& paths,
                                const std::string& rule = "", const std::string& extra = "") {
  using Key = std::tuple<std::vector<std::string>, std::string, std::string>;
  static auto* cache = new std::map<Key, CompiledPolicy>;
  const Key key{paths, rule, extra};
  auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  CompiledPolicy& compiled = (*cache)[key];
  auto sources = LoadPolicyFiles(paths, &compiled.errors);
  if (!sources.ok()) return compiled;
  if (!rule.empty()) {
    sources->push_back({"scenario rule", absl::StrCat("rules { id: \"r\" ", rule, " ", extra, " }"),
                        SourceFormat::kText});
  }
  auto policy = Compile(*sources, &compiled.errors);
  if (policy.ok()) compiled.policy = *std::move(policy);
  return compiled;
}

std::string ErrorList(const std::vector<CompileError>& errors) {
  std::string out;
  for (const CompileError& e : errors) absl::StrAppend(&out, "\n    ", e.ToString());
  return out;
}

class ScenarioTest : public testing::Test {
 public:
  explicit ScenarioTest(const LoadedScenario* loaded) : loaded_(loaded) {}

  void TestBody() override {
    const sc::Scenario& s = loaded_->scenario;
    const std::string where = absl::StrCat("scenario ", s.name(), " (", loaded_->file, ")");
    const CompiledPolicy& compiled = PolicyFor(PolicyPaths(s), s.rule());

    if (s.has_expect_compile_error()) {
      const sc::CompileError& want = s.expect_compile_error();
      if (compiled.policy != nullptr) {
        ADD_FAILURE() << where << ": the policy compiled; want an error";
        return;
      }
      bool found = false;
      for (const CompileError& e : compiled.errors) {
        found |= absl::StrContains(e.message, want.message_contains()) &&
                 (want.rule().empty() || e.rule_id == want.rule()) &&
                 (want.file_suffix().empty() || absl::EndsWith(e.file, want.file_suffix())) &&
                 (!want.located() || e.line > 0);
      }
      if (!found) {
        ADD_FAILURE() << where << ": no compile error matches \"" << want.message_contains()
                      << "\"; got:" << ErrorList(compiled.errors);
      }
      return;
    }

    if (compiled.policy == nullptr) {
      ADD_FAILURE() << where << ": the policy does not compile:" << ErrorList(compiled.errors);
      return;
    }
    MessageFacts facts;
    std::string error;
    if (!BuildFacts(s, &facts, &error)) {
      ADD_FAILURE() << where << ": " << error;
      return;
    }
    Decision decision;
    compiled.policy->DecideSend(facts, &decision);
    std::vector<std::string> mismatches = CompareDecision(s.expect(), decision, facts);
    if (!mismatches.empty()) {
      ADD_FAILURE() << where << ":\n  " << absl::StrJoin(mismatches, "\n  ")
                    << "\nthe decision was:\n" << decision.ToString();
    }
    for (const std::string& extra : s.silenced_by()) {
      const CompiledPolicy& silenced = PolicyFor(PolicyPaths(s), s.rule(), extra);
      if (silenced.policy == nullptr) {
        ADD_FAILURE() << where << ": with `" << extra << "` the policy does not compile:"
                      << ErrorList(silenced.errors);
        continue;
      }
      Decision other;
      silenced.policy->DecideSend(facts, &other);
      for (const Reason& r : other.reasons()) {
        if (r.rule_id == "r") {
          ADD_FAILURE() << where << ": `" << extra << "` leaves rule r firing: "
                        << Describe(r, facts);
        }
      }
    }
  }

 private:
  const LoadedScenario* loaded_;
};

std::string SuiteName(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

TEST(Coverage, EverySendPathRuleHasAScenario) {
  std::map<std::string, int> count;
  for (const LoadedScenario& l : AllScenarios()) {
    for (const std::string& spec : l.scenario.spec()) ++count[spec];
  }
  for (const char* rule : kSendPathRules) {
    EXPECT_GT(count[rule], 0) << "no scenario shows " << rule;
  }
  std::string table;
  for (const auto& [rule, n] : count) absl::StrAppend(&table, "\n  ", rule, ": ", n);
  std::printf("scenarios by SPEC rule:%s\n", table.c_str());
}

// Every kind a send decision reads has frame scenarios that, together, show
// each exemption and each part of a scope silencing it (recipient domains
// too where the kind decides per recipient).
TEST(Coverage, EveryRuleKindHasAFrameScenario) {
  std::map<std::string, std::string> silencers;  // kind -> its silenced_by texts
  for (const LoadedScenario& l : AllScenarios()) {
    if (l.scenario.rule().empty()) continue;
    v1::Rule rule;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(l.scenario.rule(), &rule))
        << l.scenario.name() << ": rule is not a mailpolicy.v1.Rule";
    ASSERT_NE(rule.kind_case(), v1::Rule::KIND_NOT_SET) << l.scenario.name();
    const std::string& kind = v1::Rule::descriptor()->FindFieldByNumber(rule.kind_case())->name();
    for (const std::string& text : l.scenario.silenced_by()) absl::StrAppend(&silencers[kind], text, "\n");
  }
  for (const internal::RuleKindDef* kind : internal::RuleKinds()) {
    if (kind->sides == 0) continue;  // no send decision reads it
    const std::string& shown = silencers[std::string(kind->name)];
    std::vector<const char*> needed = {"except { accounts", "except { groups",
                                       "scope { channels",  "scope { directions",
                                       "scope { departments", "active_from"};
    if (kind->sides & internal::kSideRecipient) needed.push_back("except { domains");
    for (const char* what : needed) {
      EXPECT_TRUE(absl::StrContains(shown, what))
          << "rule kind " << kind->name << ": no scenario in rule_frame.textproto is silenced by `"
          << what << " ...`";
    }
  }
}

TEST(Coverage, EverySendPathReasonCodeIsExpected) {
  std::set<std::string> expected;
  for (const LoadedScenario& l : AllScenarios()) {
    for (const sc::Reason& r : l.scenario.expect().reasons()) expected.insert(r.code());
  }
  for (ReasonCode code : kSendPathCodes) {
    EXPECT_TRUE(expected.count(std::string(ReasonCodeName(code))))
        << "no scenario expects " << ReasonCodeName(code);
  }
}

TEST(Coverage, ExpectedCodesAndVerdictsAreKnown) {
  for (const LoadedScenario& l : AllScenarios()) {
    const sc::Scenario& s = l.scenario;
    if (!s.has_expect()) continue;
    EXPECT_NE(s.expect().verdict(), sc::VERDICT_UNSPECIFIED) << s.name() << ": no verdict";
    for (const sc::Reason& r : s.expect().reasons()) {
      ReasonCode code;
      EXPECT_TRUE(ParseReasonCode(r.code(), &code)) << s.name() << ": unknown code " << r.code();
    }
    for (const std::string& spec : s.spec()) {
      EXPECT_TRUE(std::find_if(std::begin(kSendPathRules), std::end(kSendPathRules),
                               [&](const char* rule) { return spec == rule; }) !=
                  std::end(kSendPathRules))
          << s.name() << ": unknown SPEC rule " << spec;
    }
  }
}

}  // namespace
}  // namespace mailpolicy

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  using mailpolicy::LoadedScenario;
  static const std::vector<std::string> problems = mailpolicy::LoadScenarios();
  testing::RegisterTest("Files", "Load", nullptr, nullptr, __FILE__, __LINE__,
                        []() -> testing::Test* {
                          struct Load : testing::Test {
                            void TestBody() override {
                              for (const std::string& p : problems) ADD_FAILURE() << p;
                            }
                          };
                          return new Load;
                        });
  for (const LoadedScenario& l : mailpolicy::AllScenarios()) {
    const LoadedScenario* loaded = &l;
    testing::RegisterTest(mailpolicy::SuiteName(l.file).c_str(), l.scenario.name().c_str(),
                          nullptr, nullptr, l.file.c_str(), 0,
                          [loaded]() -> testing::Test* {
                            return new mailpolicy::ScenarioTest(loaded);
                          });
  }
  return RUN_ALL_TESTS();
}

// Copyright 2026 The mailpolicy Authors.
//
// The compiler against realistic policies:
//   * the HZXT example compiles;
//   * each broken policy in tests/compiler/broken/ yields exactly the errors
//     its leading `# expect: LINE:COL: MESSAGE` lines name (and, after one,
//     `# expect-hint: TEXT` for that error's hint);
//   * the text, binary and JSON forms of the example compile to the same
//     policy, and errors in binary and JSON carry field paths, not lines.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "policy/policy.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace {

using ::testing::HasSubstr;

constexpr char kExample[] = "examples/policies/hzxt.textproto";
constexpr char kBrokenDir[] = "tests/compiler/broken";

std::string JoinErrors(const std::vector<CompileError>& errors) {
  std::string out;
  for (const CompileError& e : errors) absl::StrAppend(&out, e.ToString(), "\n");
  return out;
}

// ---- the example ------------------------------------------------------------

TEST(ExamplePolicy, Compiles) {
  std::vector<CompileError> errors;
  auto policy = CompileFiles({kExample}, &errors);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(errors.empty()) << JoinErrors(errors);

  PolicySummary summary = (*policy)->Summary();
  EXPECT_EQ(summary.name, "HZXT company mail policy");
  EXPECT_EQ(summary.version, "2026.11");
  EXPECT_EQ(summary.domains, std::vector<std::string>{"hzxt.com.cn"});
  EXPECT_EQ(summary.departments.size(), 8u);
  EXPECT_EQ(summary.accounts, 41);  // from the included directory file
  EXPECT_EQ(summary.groups, 8);
  EXPECT_EQ(summary.rules.size(), 28u);
  EXPECT_EQ(summary.holds, 1);
}

// ---- the table of broken policies ---------------------------------------------

struct Expectation {
  int line = 0;
  int column = 0;
  std::string message;  // a substring of the error's message
  std::string hint;     // a substring of the error's hint; empty: not checked
};

// The `# expect:` and `# expect-hint:` lines of a broken policy's header.
std::vector<Expectation> ReadExpectations(const std::string& path, std::string* problem) {
  std::ifstream in(path);
  std::vector<Expectation> out;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (absl::ConsumePrefix(&rest, "# expect-hint: ")) {
      if (out.empty()) *problem = "# expect-hint: before any # expect:";
      if (!out.empty()) out.back().hint = std::string(rest);
      continue;
    }
    if (!absl::ConsumePrefix(&rest, "# expect: ")) continue;
    std::vector<absl::string_view> parts = absl::StrSplit(rest, absl::MaxSplits(':', 2));
    Expectation e;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &e.line) ||
        !absl::SimpleAtoi(parts[1], &e.column)) {
      *problem = absl::StrCat("malformed line \"", line, "\"; write # expect: LINE:COL: MESSAGE");
      continue;
    }
    e.message = std::string(absl::StripLeadingAsciiWhitespace(parts[2]));
    out.push_back(std::move(e));
  }
  return out;
}

bool Matches(const CompileError& error, const Expectation& e) {
  return error.line == e.line && error.column == e.column &&
         absl::StrContains(error.message, e.message) && absl::StrContains(error.hint, e.hint);
}

std::vector<std::string> BrokenPolicies() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kBrokenDir, ec)) {
    if (entry.path().extension() == ".textproto") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

class BrokenPolicyTest : public testing::TestWithParam<std::string> {};

TEST_P(BrokenPolicyTest, ReportsExactlyTheExpectedErrors) {
  const std::string& path = GetParam();
  std::string problem;
  std::vector<Expectation> expected = ReadExpectations(path, &problem);
  ASSERT_TRUE(problem.empty()) << path << ": " << problem;
  ASSERT_FALSE(expected.empty()) << path << " has no # expect: lines";

  std::vector<CompileError> errors;
  auto policy = CompileFiles({path}, &errors);
  ASSERT_FALSE(policy.ok()) << path << " compiled";
  const std::string got = JoinErrors(errors);
  EXPECT_EQ(errors.size(), expected.size()) << got;
  std::vector<bool> used(errors.size(), false);
  for (const Expectation& e : expected) {
    bool found = false;
    for (size_t i = 0; i < errors.size() && !found; ++i) {
      if (!used[i] && Matches(errors[i], e)) used[i] = found = true;
    }
    EXPECT_TRUE(found) << "expected " << e.line << ":" << e.column << ": " << e.message
                       << (e.hint.empty() ? "" : " (hint: " + e.hint + ")") << "\ngot:\n"
                       << got;
  }
  for (const CompileError& error : errors) {
    EXPECT_EQ(error.file, path) << error.ToString();
    // The status lists every error too.
    EXPECT_THAT(policy.status().message(), HasSubstr(error.ToString()));
  }
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, BrokenPolicyTest, testing::ValuesIn(BrokenPolicies()), CaseName);

TEST(BrokenPolicyTable, HasAtLeastThirtyCases) { EXPECT_GE(BrokenPolicies().size(), 30u); }

// ---- text, binary and JSON ---------------------------------------------------------

// The example as one message in `format`, includes resolved: what
// `mailpolicy compile --out` writes.
std::string WrittenExample(SourceFormat format) {
  auto sources = LoadPolicyFiles({kExample});
  EXPECT_TRUE(sources.ok()) << sources.status();
  if (!sources.ok()) return "";
  auto written = WritePolicy(*sources, format);
  EXPECT_TRUE(written.ok()) << written.status();
  return written.ok() ? *written : "";
}

std::string Describe(const PolicySummary& s) {
  std::string out = absl::StrCat("name=", s.name, " version=", s.version, " domains=",
                                 absl::StrJoin(s.domains, ","), "\n");
  for (const auto& d : s.departments) {
    absl::StrAppend(&out, "department ", d.id, " ", d.name_zh, " ", d.name_en, " ",
                    d.mailbox_code, " accounts=", d.accounts, "\n");
  }
  for (int kind = 0; kind < 4; ++kind) {
    for (int state = 0; state < 6; ++state) {
      absl::StrAppend(&out, s.accounts_by_kind_state[kind][state], " ");
    }
  }
  absl::StrAppend(&out, "\naccounts=", s.accounts, " aliases=", s.aliases, " groups=", s.groups,
                  " contacts=", s.contacts, " holds=", s.holds, "\n");
  for (const auto& r : s.rules) {
    absl::StrAppend(&out, "rule ", r.id, " ", r.kind, " ", r.domain, r.audit_only ? " audit" : "",
                    "\n");
  }
  return out;
}

MessageFacts Message(const std::string& from, const std::string& to, const std::string& subject) {
  MessageFacts facts;
  facts.channel = Channel::kWeb;
  facts.envelope_sender = from;
  facts.authenticated_user = from;
  facts.recipients = {to};
  facts.subject = subject;
  facts.text_parts = {"您好,附件為本週工作報告。"};
  facts.now = absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0),
                              absl::FixedTimeZone(8 * 3600));
  return facts;
}

// Realistic requests, each with the reason the example gives it.
struct Request {
  MessageFacts facts;
  ReasonCode expected;
};

std::vector<Request> Requests() {
  std::vector<Request> out;
  // Sales writes to a client who is not in the address book (D1 3.3).
  out.push_back({Message("zhangsanfeng@hzxt.com.cn", "lisi@client-a.com.cn", "報價"),
                 ReasonCode::kAddressBookNotListed});
  // A blank subject to a listed contact (D4 二.3(1)).
  out.push_back({Message("zhangsanfeng@hzxt.com.cn", "ceo@client-a.com.cn", "   "),
                 ReasonCode::kContentSubjectEmpty});
  // A suspended account (D1 4.2).
  out.push_back({Message("wugang@hzxt.com.cn", "zhaomin@hzxt.com.cn", "週報"),
                 ReasonCode::kAccountSuspended});
  // 3 MB through the web, where 2 MB is the limit (D2 2.8).
  Request big{Message("zhaomin@hzxt.com.cn", "purchasing@client-a.com.cn", "報價單"),
              ReasonCode::kAttachmentTooLarge};
  big.facts.attachments.push_back({"報價單.zip", "application/zip", 3 * 1048576, "PK\x03\x04"});
  out.push_back(std::move(big));
  // Advertising needs approval (D2 8).
  out.push_back({Message("zhangsanfeng@hzxt.com.cn", "ceo@client-a.com.cn", "限時特價促銷"),
                 ReasonCode::kContentAdvertising});
  return out;
}

TEST(SourceFormats, TextBinaryAndJsonCompileToTheSamePolicy) {
  auto text = CompileFiles({kExample});
  ASSERT_TRUE(text.ok()) << text.status();
  const std::string binary = WrittenExample(SourceFormat::kBinary);
  const std::string json = WrittenExample(SourceFormat::kJson);
  ASSERT_FALSE(binary.empty());
  ASSERT_NE(json.find("\"organization\""), std::string::npos);

  auto from_binary = Compile({{"hzxt.binpb", binary, SourceFormat::kBinary}});
  ASSERT_TRUE(from_binary.ok()) << from_binary.status();
  auto from_json = Compile({{"hzxt.json", json, SourceFormat::kJson}});
  ASSERT_TRUE(from_json.ok()) << from_json.status();

  const std::string summary = Describe((*text)->Summary());
  EXPECT_EQ(Describe((*from_binary)->Summary()), summary);
  EXPECT_EQ(Describe((*from_json)->Summary()), summary);

  for (const Request& request : Requests()) {
    SCOPED_TRACE(request.facts.envelope_sender + " -> " + request.facts.recipients[0] + " \"" +
                 request.facts.subject + "\"");
    Decision decision;
    (*text)->DecideSend(request.facts, &decision);
    EXPECT_TRUE(decision.Has(request.expected)) << decision.ToString();
    EXPECT_NE(decision.verdict(), Verdict::kAllow) << decision.ToString();
    // Verdict, recipients, reason codes with their rules, obligations.
    const std::string want = decision.ToString();
    (*from_binary)->DecideSend(request.facts, &decision);
    EXPECT_EQ(decision.ToString(), want);
    (*from_json)->DecideSend(request.facts, &decision);
    EXPECT_EQ(decision.ToString(), want);
  }
}

constexpr char kDuplicateRuleJson[] = R"({
  "name": "HZXT",
  "organization": {"domains": ["hzxt.com.cn"]},
  "rules": [
    {"id": "cnt-subject", "subject": {}},
    {"id": "cnt-url", "links": {"allowedHosts": ["hzxt.com.cn"]}},
    {"id": "cnt-subject", "links": {}}
  ]
})";

TEST(SourceFormats, JsonErrorsCarryFieldPathsAndNoLines) {
  std::vector<CompileError> errors;
  auto policy = Compile({{"hzxt.json", kDuplicateRuleJson, SourceFormat::kJson}}, &errors);
  ASSERT_FALSE(policy.ok());
  ASSERT_EQ(errors.size(), 1u) << JoinErrors(errors);
  const CompileError& e = errors[0];
  EXPECT_EQ(e.file, "hzxt.json");
  EXPECT_EQ(e.line, 0);
  EXPECT_EQ(e.column, 0);
  EXPECT_EQ(e.field_path, "rules[2].id");
  EXPECT_EQ(e.rule_id, "cnt-subject");
  EXPECT_EQ(e.ToString(),
            "hzxt.json: error: duplicate rule id \"cnt-subject\", first used at hzxt.json "
            "(rules[0].id) [rule cnt-subject] [at rules[2].id]");
}

TEST(SourceFormats, BinaryErrorsCarryFieldPathsAndNoLines) {
  v1::Policy policy;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(kDuplicateRuleJson, &policy).ok());
  policy.mutable_rules(1)->mutable_links()->add_allowed_hosts("bad host");
  std::vector<CompileError> errors;
  ASSERT_FALSE(
      Compile({{"hzxt.binpb", policy.SerializeAsString(), SourceFormat::kBinary}}, &errors).ok());
  ASSERT_EQ(errors.size(), 2u) << JoinErrors(errors);
  for (const CompileError& e : errors) {
    EXPECT_EQ(e.line, 0) << e.ToString();
    EXPECT_FALSE(e.field_path.empty()) << e.ToString();
  }
  EXPECT_EQ(errors[0].field_path, "rules[1].links.allowed_hosts[1]");
  EXPECT_EQ(errors[1].field_path, "rules[2].id");
}

TEST(SourceFormats, MalformedBinaryIsAClearError) {
  // A length-delimited field 1 claiming far more bytes than there are.
  const std::string truncated("\x0a\xff\xff\xff\x0f" "HZXT", 9);
  // A text policy saved under a binary name.
  std::ifstream in(kExample);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& contents : {truncated, text}) {
    std::vector<CompileError> errors;
    auto policy = Compile({{"hzxt.binpb", contents, SourceFormat::kBinary}}, &errors);
    ASSERT_FALSE(policy.ok());
    ASSERT_EQ(errors.size(), 1u) << JoinErrors(errors);
    EXPECT_EQ(errors[0].file, "hzxt.binpb");
    EXPECT_THAT(errors[0].message, HasSubstr("not a valid binary mailpolicy.v1.Policy"));
    EXPECT_THAT(errors[0].hint, HasSubstr("mailpolicy compile --out"));
  }
}

TEST(SourceFormats, MalformedJsonIsAClearError) {
  std::vector<CompileError> errors;
  auto policy = Compile(
      {{"hzxt.json", R"({"name": "HZXT", "settings": {"failureMode": "FAIL_OPEN"}})",
        SourceFormat::kJson}},
      &errors);
  ASSERT_FALSE(policy.ok());
  ASSERT_EQ(errors.size(), 1u) << JoinErrors(errors);
  EXPECT_EQ(errors[0].line, 0);
  EXPECT_THAT(errors[0].message, HasSubstr("not a valid JSON policy"));
  EXPECT_THAT(errors[0].message, HasSubstr("FAIL_OPEN"));
}

}  // namespace
}  // namespace mailpolicy

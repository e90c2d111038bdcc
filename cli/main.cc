// Copyright 2026 The mailpolicy Authors.
//
// mailpolicy: the administrator's tool.
//
//   mailpolicy validate FILE... [--json]
//   mailpolicy show FILE... [--json]
//   mailpolicy compile FILE... --out OUT.binpb|OUT.json
//   mailpolicy check --policy FILE [--directory FILE] --channel CH --from ADDR
//                    --to ADDR [--to ADDR ...] [--user LOGIN] [--now RFC3339]
//                    [--envelope-only] [--recent N] [--mailbox-bytes N]
//                    [--reply-to-first-contact] [MESSAGE.eml] [--json]
//   mailpolicy --help | --version | SUBCOMMAND --help
//
// Arguments are parsed by CLI11; `--flag value` and `--flag=value` both work.
// Help and version go to stdout (exit 0); usage errors to stderr (exit 2).
// Exit codes: validate and compile 0 valid, 1 invalid; check 0 allow,
// 10 allow with warnings, 20 needs approval, 30 deny; 1 a policy or message
// that cannot be read; 2 a usage error. The --json shapes: docs/cli-json.md.

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "capi/mailpolicy.h"  // MP_VERSION_* only; the C API is not linked
#include "policy/address.h"
#include "policy/decision.h"
#include "policy/decision_proto.h"
#include "policy/internal/file.h"
#include "policy/internal/unicode.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "policy/policy.h"
#include "policy/policy_json.h"

namespace mailpolicy {
namespace cli {
namespace {

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr const char* kChannels = kChannelNames;

// Prints "mailpolicy: [SUBCOMMAND: ]MESSAGE" and where to find the usage.
int UsageError(const std::string& subcommand, const std::string& message) {
  const std::string prefix = subcommand.empty() ? "" : subcommand + " ";
  std::fprintf(stderr, "mailpolicy: %s%s%s\nRun 'mailpolicy %s--help' for usage.\n",
               subcommand.c_str(), subcommand.empty() ? "" : ": ", message.c_str(),
               prefix.c_str());
  return kExitUsage;
}

// Text from a message (a file name, an address) as one line of output, so
// that a name cannot forge lines.
std::string OneLine(absl::string_view text) { return internal::EscapeForDisplay(text); }

// Flag value checks, run while parsing so that a bad value is a usage error
// naming its flag ("--now: ..."). Each returns "" when the value is good.
CLI::Validator ChannelName() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        Channel channel;
        if (ParseChannel(v, &channel)) return "";
        return absl::StrCat("unknown channel \"", OneLine(v), "\" (one of ", kChannels,
                            "; any case)");
      },
      "", "channel");
}

// An envelope address as an MTA hands it over (policy/address.h); the value
// becomes the address without angle brackets.
CLI::Validator EnvelopeAddress(EnvelopeRole role) {
  return CLI::Validator(
      [role](std::string& v) -> std::string {
        absl::StatusOr<std::string> parsed = ParseEnvelopeAddress(v, role);
        if (!parsed.ok()) return std::string(parsed.status().message());
        v = *std::move(parsed);
        return "";
      },
      "", "address");
}

CLI::Validator Rfc3339Time() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        absl::Time t;
        std::string err;
        // RFC 3339 5.6: date-fullyear is four digits (absl takes more).
        const bool four_digit_year = v.size() > 4 && v[4] == '-' &&
                                     std::all_of(v.begin(), v.begin() + 4, absl::ascii_isdigit);
        if (four_digit_year && absl::ParseTime(absl::RFC3339_full, v, &t, &err)) {
          // As the C API (MP_TIME_MIN, MP_TIME_MAX): other years are mistakes.
          const int64_t seconds = absl::ToUnixSeconds(t);
          if (seconds >= kEarliestDecisionSeconds && seconds < kLatestDecisionSeconds) return "";
          return absl::StrCat("\"", v, "\" is outside the years 2000 to 2199");
        }
        if (err.empty() || err == "Failed to parse input") {
          err = "write e.g. 2026-11-26T10:00:00+08:00";
        }
        return absl::StrCat("\"", OneLine(v), "\" is not RFC 3339: ", err);
      },
      "", "rfc3339");
}

CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        int64_t n;
        if (absl::SimpleAtoi(v, &n) && n >= 0) return "";
        return absl::StrCat("\"", v, "\" is not a whole number (0 or more)");
      },
      "", "whole number");
}

// --rate-count SECONDS=N: the sender's messages in a rate window (the JSON's
// uncounted_rate_windows are such seconds).
CLI::Validator RateCount() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        const size_t eq = v.find('=');
        int64_t window, count;
        if (eq != std::string::npos && absl::SimpleAtoi(v.substr(0, eq), &window) &&
            absl::SimpleAtoi(v.substr(eq + 1), &count) && window >= 1 &&
            window <= 315360000 && count >= 0) {
          return "";
        }
        return absl::StrCat("\"", OneLine(v),
                            "\" is not SECONDS=N (a window of 1 to 315360000 seconds, "
                            "a whole number of messages)");
      },
      "", "SECONDS=N");
}

// validate ------------------------------------------------------------------

struct ValidateArgs {
  std::vector<std::string> files;
  bool json = false;
};

int Validate(const ValidateArgs& args) {
  std::vector<CompileError> errors;
  auto policy = CompileFiles(args.files, &errors);
  if (args.json) {
    std::printf("%s\n", CompileErrorsToJson(errors, policy.ok()).c_str());
  } else if (policy.ok()) {
    PolicySummary s = (*policy)->Summary();
    std::printf("%s: valid (%d accounts, %d groups, %zu rules)\n",
                absl::StrJoin(args.files, ", ").c_str(), s.accounts, s.groups, s.rules.size());
  } else {
    for (const CompileError& e : errors) std::printf("%s\n", e.ToString().c_str());
    std::fprintf(stderr, "%zu error%s\n", errors.size(), errors.size() == 1 ? "" : "s");
  }
  return policy.ok() ? 0 : kExitInvalid;
}

// show ----------------------------------------------------------------------

struct ShowArgs {
  std::vector<std::string> files;
  bool json = false;
};

const char* KindName(int kind) {
  static const char* kNames[] = {"unspecified", "personal", "office shared", "department"};
  return kNames[kind];
}

const char* StateName(int state) {
  static const char* kNames[] = {"unspecified", "pending", "active", "suspended",
                                 "deregistered", "retired"};
  return kNames[state];
}

void PrintSummary(const PolicySummary& s) {
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
}

int Show(const ShowArgs& args) {
  std::vector<CompileError> errors;
  auto policy = CompileFiles(args.files, &errors);
  if (!policy.ok()) {
    for (const CompileError& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return kExitInvalid;
  }
  PolicySummary s = (*policy)->Summary();
  if (args.json) {
    std::printf("%s\n", PolicySummaryToJson(s).c_str());
  } else {
    PrintSummary(s);
  }
  return 0;
}

// compile -------------------------------------------------------------------

struct CompileArgs {
  std::vector<std::string> files;
  std::string out;
};

// Writes the policy (all files merged, includes resolved) as binary or JSON
// (text for any other name).
int CompileOut(const CompileArgs& args) {
  std::vector<CompileError> errors;
  auto sources = LoadPolicyFiles(args.files, &errors);
  absl::StatusOr<std::string> bytes =
      sources.ok() ? WritePolicy(*sources, SourceFormatForPath(args.out), &errors)
                   : absl::StatusOr<std::string>(sources.status());
  if (!bytes.ok()) {
    for (const CompileError& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    if (errors.empty()) std::fprintf(stderr, "mailpolicy: %s\n", bytes.status().ToString().c_str());
    return kExitInvalid;
  }
  absl::Status written = internal::ReplaceRegularFile(args.out, *bytes);
  if (!written.ok()) {
    std::fprintf(stderr, "mailpolicy: cannot write %s: %s\n", OneLine(args.out).c_str(),
                 std::string(written.message()).c_str());
    return kExitInvalid;
  }
  std::printf("wrote %s (%zu bytes)\n", OneLine(args.out).c_str(), bytes->size());
  return 0;
}

// check ---------------------------------------------------------------------

struct CheckArgs {
  std::vector<std::string> policy_files;  // --policy and --directory, in order
  std::string channel;                    // checked by ChannelName()
  std::string now;                        // checked by Rfc3339Time(); empty: the clock
  std::string message_file;               // read when message_given
  bool message_given = false;             // else the envelope alone
  std::vector<std::string> rate_counts;   // SECONDS=N, checked by RateCount()
  bool json = false;
  MessageFacts facts;                     // the rest of the flags
};

int ExitCodeFor(Verdict v) {
  switch (v) {
    case Verdict::kAllow: return 0;
    case Verdict::kAllowWithWarnings: return 10;
    case Verdict::kNeedsApproval: return 20;
    default: return 30;
  }
}

// `answer` is `d` as DecisionToProto gives it; reasons' subjects come from it
// so that text and JSON name them alike.
void PrintDecision(const Decision& d, const v1::Decision& answer, const MessageFacts& facts) {
  std::printf("verdict: %s\n", std::string(VerdictName(d.verdict())).c_str());
  for (size_t i = 0; i < d.recipients().size(); ++i) {
    const RecipientVerdict& rv = d.recipients()[i];
    std::printf("  to %-36s %-20s%s", OneLine(facts.recipients[i]).c_str(),
                std::string(VerdictName(rv.verdict)).c_str(), rv.internal ? "internal" : "external");
    if (rv.expanded_members > 0) std::printf(", group of %d", rv.expanded_members);
    std::printf("\n");
  }
  for (size_t i = 0; i < d.reasons().size(); ++i) {
    const Reason& r = d.reasons()[i];
    std::printf("  - %s [%s] %s%s (%s)\n      %s\n      %s\n",
                std::string(ReasonCodeName(r.code)).c_str(), std::string(r.rule_id).c_str(),
                std::string(SeverityName(r.severity)).c_str(), r.audit_only ? ", audit only" : "",
                OneLine(ReasonSubjectText(answer.reasons(static_cast<int>(i)))).c_str(),
                std::string(r.message_zh).c_str(),
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

int Check(CheckArgs& args) {
  MessageFacts& facts = args.facts;
  ParseChannel(args.channel, &facts.channel);  // checked while parsing
  if (args.now.empty()) {
    facts.now = absl::Now();
  } else {
    std::string err;
    absl::ParseTime(absl::RFC3339_full, args.now, &facts.now, &err);  // checked while parsing
  }
  for (const std::string& rc : args.rate_counts) {  // checked while parsing
    const size_t eq = rc.find('=');
    int64_t window = 0, count = 0;
    (void)absl::SimpleAtoi(rc.substr(0, eq), &window);
    (void)absl::SimpleAtoi(rc.substr(eq + 1), &count);
    bool replaced = false;
    for (MessageFacts::RateCount& known : facts.rate_counts) {
      if (known.window == absl::Seconds(window)) {
        known.count = count;
        replaced = true;
      }
    }
    if (!replaced) facts.rate_counts.push_back({absl::Seconds(window), count});
  }
  if (!args.message_given) {
    facts.envelope_only = true;
  } else {
    // "-": standard input (a pipe from an MTA or a script).
    absl::StatusOr<std::string> raw = args.message_file == "-"
                                          ? internal::ReadStream(STDIN_FILENO)
                                          : internal::ReadRegularFile(args.message_file);
    if (!raw.ok()) {
      std::fprintf(stderr, "mailpolicy: cannot read message %s: %s\n",
                   internal::EscapeForDisplay(args.message_file).c_str(),
                   std::string(raw.status().message()).c_str());
      return kExitInvalid;
    }
    absl::Status st = ParseMessageInto(*raw, &facts);
    if (!st.ok()) {
      std::fprintf(stderr, "mailpolicy: %s: %s\n", internal::EscapeForDisplay(args.message_file).c_str(),
                   std::string(st.message()).c_str());
      return kExitInvalid;
    }
  }
  std::vector<CompileError> errors;
  auto policy = CompileFiles(args.policy_files, &errors);
  if (!policy.ok()) {
    for (const CompileError& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return kExitInvalid;
  }
  Decision decision;
  (*policy)->DecideSend(facts, &decision);
  v1::Decision answer;
  DecisionToProto(decision, facts, &answer);
  if (args.json) {
    std::printf("%s\n", DecisionToJson(answer).c_str());
  } else {
    PrintDecision(decision, answer, facts);
  }
  return ExitCodeFor(decision.verdict());
}

// The command line ----------------------------------------------------------

std::string Version() {
  return absl::StrCat("mailpolicy ", MP_VERSION_MAJOR, ".", MP_VERSION_MINOR, ".",
                      MP_VERSION_PATCH);
}

int Main(int argc, char** argv) {
  CLI::App app("Validates, compiles and tries out mail policies.", "mailpolicy");
  app.set_version_flag("--version", Version(), "Print the version and exit");
  app.require_subcommand(1);
  app.footer(absl::StrCat(
      "Exit codes: validate and compile 0 valid, 1 invalid; check 0 allow, 10 allow with\n"
      "warnings, 20 needs approval, 30 deny; 1 an unreadable policy or message; 2 a usage\n"
      "error. Channels: ", kChannels, ". JSON output: docs/cli-json.md."));

  ValidateArgs validate;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate", "Compile policy files and report every error (exit 0 valid, 1 invalid)");
  validate_cmd->add_option("FILE", validate.files, "Policy files (.textproto, .binpb, .json)")
      ->required();
  validate_cmd->add_flag("--json", validate.json, "Print the result as JSON");

  ShowArgs show;
  CLI::App* show_cmd = app.add_subcommand("show", "Summarize what a policy holds");
  show_cmd->add_option("FILE", show.files, "Policy files")->required();
  show_cmd->add_flag("--json", show.json, "Print the summary as JSON");

  CompileArgs compile;
  CLI::App* compile_cmd = app.add_subcommand(
      "compile", "Merge policy files into the form servers load (binary or JSON)");
  compile_cmd->add_option("FILE", compile.files, "Policy files")->required();
  compile_cmd
      ->add_option("--out", compile.out,
                   "Output: OUT.binpb (binary), OUT.json (JSON), else text format")
      ->required();

  CheckArgs check;
  MessageFacts& facts = check.facts;
  auto add_policy_file = [&check](const std::string& file) {
    check.policy_files.push_back(file);
  };
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Decide one message (exit 0 allow, 10 warnings, 20 needs approval, 30 deny)");
  // Callbacks on parse keep --policy and --directory files in command-line order.
  check_cmd->add_option_function<std::string>("--policy", add_policy_file, "Policy file")
      ->required()
      ->trigger_on_parse()
      ->type_name("FILE");
  check_cmd
      ->add_option_function<std::string>("--directory", add_policy_file,
                                         "A further policy file (e.g. the directory)")
      ->trigger_on_parse()
      ->type_name("FILE");
  check_cmd->add_option("--channel", check.channel, "Where the message is sent from")
      ->required()
      ->check(ChannelName())
      ->type_name("CH");
  check_cmd->add_option("--from", facts.envelope_sender,
                        "Envelope sender (MAIL FROM); \"\" or \"<>\" for a bounce's null sender")
      ->required()
      ->transform(EnvelopeAddress(EnvelopeRole::kSender))
      ->type_name("ADDR");
  // One address per --to, so that `--to a MESSAGE.eml` leaves the message alone.
  check_cmd->add_option("--to", facts.recipients, "Envelope recipient; repeat for more")
      ->required()
      ->allow_extra_args(false)
      ->transform(EnvelopeAddress(EnvelopeRole::kRecipient))
      ->type_name("ADDR");
  check_cmd->add_option("--user", facts.authenticated_user, "Authenticated login name")
      ->type_name("LOGIN");
  check_cmd
      ->add_option("--now", check.now,
                   "Time of the decision, e.g. 2026-11-26T10:00:00+08:00 (default: now)")
      ->check(Rfc3339Time())
      ->type_name("RFC3339");
  check_cmd->add_flag("--envelope-only", facts.envelope_only,
                      "Decide on the envelope alone (implied without MESSAGE)");
  check_cmd->add_option("--recent", facts.sender_recent_messages,
                        "Messages the sender sent recently (rate limits)")
      ->check(WholeNumber())
      ->type_name("N");
  check_cmd->add_option("--rate-count", check.rate_counts,
                        "Messages the sender sent in the last SECONDS, per rate window "
                        "(repeatable; --json lists the windows a rule wanted)")
      ->check(RateCount())
      ->type_name("SECONDS=N");
  check_cmd->add_option("--mailbox-bytes", facts.sender_mailbox_bytes,
                        "Bytes in the sender's mailbox (quota)")
      ->check(WholeNumber())
      ->type_name("N");
  check_cmd->add_flag("--reply-to-first-contact", facts.reply_to_first_contact,
                      "The message replies to someone writing for the first time");
  CLI::Option* message_opt =
      check_cmd->add_option("MESSAGE", check.message_file, "RFC 5322 message (.eml); - reads standard input")
          ->type_name("MESSAGE.eml");
  check_cmd->add_flag("--json", check.json, "Print the decision as JSON");

  // `mailpolicy help` as before; an unknown word is named rather than reported
  // as a missing subcommand.
  std::vector<std::string> words(argv + 1, argv + argc);
  if (!words.empty() && words[0] == "help") words[0] = "--help";
  if (!words.empty() && !words[0].empty() && words[0][0] != '-') {
    const std::vector<CLI::App*> known = app.get_subcommands({});
    if (std::none_of(known.begin(), known.end(),
                     [&](CLI::App* sub) { return sub->check_name(words[0]); })) {
      return UsageError("", absl::StrCat("unknown command \"", words[0], "\""));
    }
  }
  std::reverse(words.begin(), words.end());  // CLI11 takes them last first
  try {
    app.parse(words);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: stdout, 0
    std::string subcommand;
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->parsed()) subcommand = sub->get_name();
    }
    return UsageError(subcommand, e.what());
  }
  if (validate_cmd->parsed()) return Validate(validate);
  if (show_cmd->parsed()) return Show(show);
  if (compile_cmd->parsed()) {
    if (compile.out.empty()) return UsageError("compile", "--out is an empty file name");
    return CompileOut(compile);
  }
  check.message_given = message_opt->count() > 0;
  // An empty MESSAGE (an unset "$MSG" in a script) is a mistake, not a
  // request to decide on the envelope alone.
  if (check.message_given && check.message_file.empty()) {
    return UsageError("check", "MESSAGE is an empty file name (leave it out to decide on the "
                               "envelope alone, or pass --envelope-only)");
  }
  return Check(check);
}

}  // namespace
}  // namespace cli
}  // namespace mailpolicy

int main(int argc, char** argv) { return mailpolicy::cli::Main(argc, argv); }

// Copyright 2026 The mailpolicy Authors.
//
// Compiling a policy and asking it for decisions.
//
// A policy is data (mailpolicy.v1.Policy, see policy/proto/policy.proto),
// written by administrators as text protos and shipped to servers as binary
// protos or JSON. It is compiled once into an immutable Policy: the slow
// phase parses, validates and indexes, and reports every error it finds at
// once, each located (file:line:col where the format has lines, the field
// path and the rule id). Deciding is the fast phase: const, no I/O, no clock,
// no protobuf types, and no heap allocation on the common path.
//
//   std::vector<mailpolicy::CompileError> errors;
//   auto policy = mailpolicy::CompileFiles({"examples/policies/hzxt.textproto"},
//                                          &errors);
//   if (!policy.ok()) { for (auto& e : errors) puts(e.ToString().c_str()); }
//
//   mailpolicy::MessageFacts facts;  // from the envelope, or policy/mime
//   facts.channel = mailpolicy::Channel::kWeb;
//   facts.envelope_sender = "zhangsanfeng@hzxt.com.cn";
//   facts.recipients = {"lisi@client-a.com.cn"};
//   facts.subject = "報價";
//   facts.now = absl::Now();
//   mailpolicy::Decision decision;
//   (*policy)->DecideSend(facts, &decision);
//
// Thread safety: a compiled Policy is immutable and safe for concurrent use
// by any number of threads. Share it through std::shared_ptr<const Policy>.

#ifndef MAILPOLICY_POLICY_POLICY_H_
#define MAILPOLICY_POLICY_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "policy/decision.h"
#include "policy/message.h"

namespace mailpolicy {

class Policy;
namespace internal {
struct Snapshot;
// The compiled form, for the engine's own tests (policy/internal/snapshot.h).
const Snapshot& SnapshotOf(const Policy& policy);
}  // namespace internal

enum class SourceFormat {
  kText,    // protobuf text format (.textproto, .txtpb, .pbtxt)
  kBinary,  // protobuf wire format (.binpb, .pb)
  kJson,    // protobuf JSON mapping (.json)
};

// Guesses the format from a file name's extension; text if unknown.
SourceFormat SourceFormatForPath(absl::string_view path);

// One input to the compiler. `name` appears in error messages.
struct PolicySource {
  std::string name;
  std::string contents;
  SourceFormat format = SourceFormat::kText;
  // Set by LoadPolicyFiles: the files this source's `includes` name were
  // read too. Compile refuses a source with `includes` that were not
  // followed, rather than compile a policy missing its included parts.
  bool includes_followed = false;
};

// One problem found in a policy.
struct CompileError {
  std::string file;
  int line = 0;    // 1-based; 0 when the format has no lines
  int column = 0;  // 1-based; 0 when unknown
  std::string field_path;  // "rules[3].advertising.patterns[1]"
  std::string rule_id;     // the rule concerned, if any
  std::string message;
  std::string hint;

  // "file:line:col: error: message [rule r] [at field] (hint: ...)", on
  // one line and valid UTF-8: line breaks, other control characters and
  // bytes that are not UTF-8 are written \xNN.
  std::string ToString() const;
};

// What a policy holds, for reports and `mailpolicy validate`.
struct PolicySummary {
  std::string name;
  std::string version;
  std::vector<std::string> domains;
  struct Department {
    std::string id, name_zh, name_en, mailbox_code;
    int accounts = 0;
  };
  std::vector<Department> departments;
  // [MailboxKind][AccountState] account counts.
  int accounts_by_kind_state[4][6] = {};
  int accounts = 0;
  int aliases = 0;
  int groups = 0;
  int contacts = 0;  // personal, group and department contact entries
  struct RuleInfo {
    std::string id;
    std::string kind;    // "address_book", "attachment_size", ...
    std::string domain;  // "accounts", "address_book", "attachments", ...
    bool audit_only = false;
  };
  std::vector<RuleInfo> rules;
  int holds = 0;
};

class Policy : public std::enable_shared_from_this<Policy> {
 public:
  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;
  ~Policy();

  // Decides whether the message may be sent or accepted, per recipient
  // (SPEC.md §2: accounts, address books, attachments, content). Writes the
  // answer into `*decision`, replacing what it held. Does not allocate when
  // `*decision` has answered a request as large before.
  //
  // REQUIRES: the Policy is owned by a std::shared_ptr (as Compile returns it).
  void DecideSend(const MessageFacts& facts, Decision* decision) const;

  PolicySummary Summary() const;

 private:
  friend class PolicyBuilder;
  friend const internal::Snapshot& internal::SnapshotOf(const Policy& policy);
  explicit Policy(std::unique_ptr<const internal::Snapshot> snapshot);

  std::unique_ptr<const internal::Snapshot> snapshot_;
};

// Compiles the sources as one policy (their contents appended in order).
// On failure returns InvalidArgument whose message lists every error, one per
// line; `errors`, if not null, receives them structured. `includes` are not
// followed here: a source that has them and was not read by LoadPolicyFiles
// (or CompileFiles) is an error, located at its first include.
absl::StatusOr<std::shared_ptr<const Policy>> Compile(
    absl::Span<const PolicySource> sources,
    std::vector<CompileError>* errors = nullptr);

// Reads the files and, transitively, the files their `includes` name
// (relative to the including file; each file once). Errors (unreadable
// file, include cycle, syntax error) are appended to `errors`.
absl::StatusOr<std::vector<PolicySource>> LoadPolicyFiles(
    absl::Span<const std::string> paths,
    std::vector<CompileError>* errors = nullptr);

// Writes the sources as one policy in `format`: their contents merged in
// order, `includes` cleared. This is what servers load (binary, or JSON).
// Only a policy that compiles is written; errors are reported as by Compile.
absl::StatusOr<std::string> WritePolicy(absl::Span<const PolicySource> sources,
                                        SourceFormat format,
                                        std::vector<CompileError>* errors = nullptr);

// LoadPolicyFiles + Compile.
absl::StatusOr<std::shared_ptr<const Policy>> CompileFiles(
    absl::Span<const std::string> paths,
    std::vector<CompileError>* errors = nullptr);

}  // namespace mailpolicy

#endif  // MAILPOLICY_POLICY_POLICY_H_

// Copyright 2026 The mailpolicy Authors.
//
// CNT-URL (D4 二.3(3)): links in the body make mail look like spam. Warns
// once per message, for the first link to a host that is neither the
// company's nor allowed.

#include <string>
#include <vector>

#include "policy/compiler/rule_compiler.h"
#include "policy/content/text_scan.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class LinksRule final : public RuleBody {
 public:
  std::vector<std::string> allowed_hosts;  // lower case; cover subdomains

  bool needs_links() const override { return true; }

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    const Snapshot& s = c.snapshot;
    if (s.url_pattern == nullptr) return;
    // The body scan already knows whether any part holds a link.
    const TextScan* scan = c.text_scan;
    if (scan != nullptr && scan->links_scanned && !scan->link_seen) return;
    for (const std::string& part : c.facts.text_parts) {
      re2::StringPiece input(part);
      re2::StringPiece host;
      while (RE2::FindAndConsume(&input, *s.url_pattern, &host)) {
        char buffer[kMaxAddressLength];
        absl::string_view lower = LowerAddress(absl::string_view(host.data(), host.size()), buffer);
        if (lower.empty() ||
            (!InAnyDomain(lower, allowed_hosts) && !InAnyDomain(lower, s.company_domains))) {
          Fire(c, rule);
          return;
        }
      }
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  auto body = std::make_unique<LinksRule>();
  if (!rc.Domains(rc.KindPath("links").Field("allowed_hosts"), r.links().allowed_hosts(),
                  &body->allowed_hosts)) {
    return nullptr;
  }
  return body;
}

}  // namespace

extern const RuleKindDef kLinksKind = {
    v1::Rule::kLinksFieldNumber, "links", "content", ReasonCode::kContentUrl, Severity::kWarn,
    kOriginated, ScopeAccount::kSender, kSideMessage, /*needs_message=*/true, Compile,
};

}  // namespace internal
}  // namespace mailpolicy

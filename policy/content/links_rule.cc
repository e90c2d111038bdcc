// Copyright 2026 The mailpolicy Authors.
//
// CNT-URL (D4 二.3(3)): links in the body make mail look like spam. Warns
// once per message, for the first link to a host that is neither the
// company's nor allowed.

#include <uriparser/Uri.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
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
    std::string host;
    for (const std::string& part : c.facts.text_parts) {
      re2::StringPiece input(part);
      re2::StringPiece link;
      while (RE2::FindAndConsume(&input, *s.url_pattern, &link)) {
        // A link whose host cannot be told is not one of the allowed.
        if (!HostOf(absl::string_view(link.data(), link.size()), &host) ||
            (!InAnyDomain(host, allowed_hosts) && !InAnyDomain(host, s.company_domains))) {
          Fire(c, rule);
          return;
        }
      }
    }
  }

 private:
  // The host of `link` as RFC 3986 reads it (after any userinfo "name@",
  // without port), in lower case and without a trailing dot; "www.x" is
  // read as "http://www.x". False if it has none.
  static bool HostOf(absl::string_view link, std::string* host) {
    std::string uri(link);
    if (absl::StartsWithIgnoreCase(uri, "www.")) uri.insert(0, "http://");
    UriUriA parsed;
    const char* error = nullptr;
    if (uriParseSingleUriA(&parsed, uri.c_str(), &error) != URI_SUCCESS) return false;
    const bool ok = parsed.hostText.first != nullptr && parsed.hostText.afterLast != nullptr &&
                    parsed.hostText.afterLast > parsed.hostText.first;
    if (ok) {
      host->assign(parsed.hostText.first, parsed.hostText.afterLast);
      absl::AsciiStrToLower(host);
      if (!host->empty() && host->back() == '.') host->pop_back();
    }
    uriFreeUriMembersA(&parsed);
    return ok && !host->empty();
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

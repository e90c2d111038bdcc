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
#include "absl/strings/str_format.h"
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
  // without port; percent-encoding decoded, 3.2.2), an internationalised
  // name in its ASCII form (UTS #46), in lower case and without a trailing
  // dot; "www.x" is read as "http://www.x". A link written with Unicode
  // (an IRI, RFC 3987 3.1) is percent-encoded first; it ends where CJK or
  // full-width punctuation starts, as clients linkify it. False if it has
  // no host.
  static bool HostOf(absl::string_view link, std::string* host) {
    std::string uri;
    if (absl::StartsWithIgnoreCase(link, "www.")) uri = "http://";
    for (size_t i = 0; i < link.size(); ++i) {
      const unsigned char b = static_cast<unsigned char>(link[i]);
      // U+3000-U+303F (E3 80 xx) and U+FF00-U+FF20 (EF BC 80-A0) end it.
      if (b == 0xE3 && i + 1 < link.size() && static_cast<unsigned char>(link[i + 1]) == 0x80) {
        break;
      }
      if (b == 0xEF && i + 2 < link.size() && static_cast<unsigned char>(link[i + 1]) == 0xBC &&
          static_cast<unsigned char>(link[i + 2]) <= 0xA0) {
        break;
      }
      if (b < 0x80) {
        uri.push_back(static_cast<char>(b));
      } else {
        absl::StrAppendFormat(&uri, "%%%02X", b);
      }
    }
    UriUriA parsed;
    const char* error = nullptr;
    if (uriParseSingleUriA(&parsed, uri.c_str(), &error) != URI_SUCCESS) return false;
    const bool ok = parsed.hostText.first != nullptr && parsed.hostText.afterLast != nullptr &&
                    parsed.hostText.afterLast > parsed.hostText.first;
    if (ok) {
      std::string text(parsed.hostText.first, parsed.hostText.afterLast);
      if (parsed.hostData.ip4 == nullptr && parsed.hostData.ip6 == nullptr &&
          parsed.hostData.ipFuture.first == nullptr) {
        // A registered name: %-escapes are its UTF-8 bytes.
        text.resize(static_cast<size_t>(uriUnescapeInPlaceA(&text[0]) - text.data()));
      }
      *host = CanonicalDomain(text);
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

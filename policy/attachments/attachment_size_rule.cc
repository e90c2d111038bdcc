// Copyright 2026 The mailpolicy Authors.
//
// ATT-SIZE (D2 2.8, D3 2.7): attachment limits by access channel (web
// <= 2 MB, POP3/SMTP client <= 10 MB in the seed), per attachment and for
// all attachments together, in decoded bytes. A file found inside another
// (a forwarded message) is counted in its container, not again.

#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/internal/evaluation.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

class AttachmentSizeRule final : public RuleBody {
 public:
  struct Limit {
    uint32_t channel_mask = 0;   // bit per Channel; no channel is in two limits
    int64_t max_attachment = 0;  // bytes; 0 = no limit
    int64_t max_total = 0;       // bytes; 0 = no limit
  };
  std::vector<Limit> limits;

  void OnMessage(const CompiledRule& rule, SendContext& c) const override {
    const std::vector<Attachment>& attachments = c.facts.attachments;
    const uint32_t channel_bit = 1u << static_cast<int>(c.facts.channel);
    for (const Limit& limit : limits) {
      if ((limit.channel_mask & channel_bit) == 0) continue;
      uint64_t total = 0;
      for (size_t i = 0; i < attachments.size(); ++i) {
        // A file inside another (a forwarded message's) is in its size.
        if (attachments[i].container >= 0) continue;
        total += attachments[i].size;
        if (limit.max_attachment &&
            attachments[i].size > static_cast<uint64_t>(limit.max_attachment)) {
          Fire(c, rule, ReasonCode::kAttachmentTooLarge, rule.severity, SubjectKind::kAttachment,
               static_cast<int32_t>(i));
        }
      }
      if (limit.max_total && total > static_cast<uint64_t>(limit.max_total)) {
        Fire(c, rule, ReasonCode::kMessageTooLarge, rule.severity);
      }
    }
  }
};

std::unique_ptr<RuleBody> Compile(const v1::Rule& r, compiler::RuleCompiler& rc) {
  const v1::AttachmentSizeRule& as = r.attachment_size();
  const compiler::FieldPath kp = rc.KindPath("attachment_size");
  if (as.limits_size() == 0) {
    rc.Error(kp, absl::StrCat("attachment_size rule \"", rc.id(), "\" has no limits"),
             "add limits { channels: CHANNEL_WEB max_attachment: \"2 MB\" }");
    return nullptr;
  }
  auto body = std::make_unique<AttachmentSizeRule>();
  uint32_t seen = 0;
  for (int i = 0; i < as.limits_size(); ++i) {
    const v1::AttachmentSizeRule::Limit& l = as.limits(i);
    const compiler::FieldPath lp = kp.Field("limits", i);
    AttachmentSizeRule::Limit limit;
    if (l.channels_size() == 0) {
      rc.Error(lp, "attachment limit applies to no channel",
               "list channels, e.g. channels: [CHANNEL_POP3, CHANNEL_SMTP_SUBMISSION]");
      continue;
    }
    for (int j = 0; j < l.channels_size(); ++j) {
      const uint32_t bit = 1u << l.channels(j);
      if (seen & bit) {
        rc.Error(lp.Field("channels", j),
                 absl::StrCat("channel ", v1::Channel_Name(l.channels(j)),
                              " has more than one attachment limit"));
      }
      seen |= bit;
      limit.channel_mask |= bit;
    }
    if (!rc.Size(lp.Field("max_attachment"), l.max_attachment(), &limit.max_attachment) ||
        !rc.Size(lp.Field("max_total"), l.max_total(), &limit.max_total)) {
      continue;
    }
    if (limit.max_attachment == 0 && limit.max_total == 0) {
      rc.Error(lp, "attachment limit sets neither max_attachment nor max_total");
      continue;
    }
    if (limit.max_total != 0 && limit.max_attachment > limit.max_total) {
      rc.Error(lp.Field("max_total"),
               absl::StrCat("impossible limits: max_total (", l.max_total(), " = ",
                            limit.max_total, " bytes) is smaller than max_attachment (",
                            l.max_attachment(), " = ", limit.max_attachment, " bytes)"));
      continue;
    }
    body->limits.push_back(limit);
  }
  return rc.error_count() == 0 ? std::move(body) : nullptr;
}

}  // namespace

// Any direction: the limits are the channel's, whoever sends.
extern const RuleKindDef kAttachmentSizeKind = {
    v1::Rule::kAttachmentSizeFieldNumber, "attachment_size", "attachments",
    ReasonCode::kAttachmentTooLarge, Severity::kDeny, kAnyDirection, ScopeAccount::kSender,
    kSideMessage, /*needs_message=*/true, Compile,
};

}  // namespace internal
}  // namespace mailpolicy

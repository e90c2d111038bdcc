// Copyright 2026 The mailpolicy Authors.

#include "policy/reasons.h"

namespace mailpolicy {
namespace {

// In ReasonCode order; reasons_test checks that names match SPEC.md §3.
constexpr ReasonInfo kReasons[kNumReasonCodes] = {
    {"account.unknown", "帳號不存在", "The account does not exist"},
    {"account.pending", "帳號尚未開通", "The account has been applied for but not yet created"},
    {"account.suspended", "帳號已被停用", "The account is suspended"},
    {"account.deregistered", "帳號已注銷", "The account was deregistered when its owner left"},
    {"account.retired", "郵箱號碼已交回,不再使用", "The address was returned and is retired"},
    {"account.password_change_required", "首次登錄必須更改個人密碼",
     "The initial password must be changed before the mailbox is used"},
    {"account.password_expired", "密碼已過期,請更換密碼", "The password has expired and must be changed"},
    {"account.password_expiring", "密碼即將過期,請及時更換", "The password expires soon"},
    {"account.compromised", "帳號疑被盜用,須先重設密碼",
     "The account was reported compromised; the password must be reset first"},
    {"sender.not_company_domain", "業務郵件必須使用公司統一郵箱",
     "Business mail must use the company's own mail domain"},
    {"sender.not_delegate", "未獲授權代表此郵箱發信",
     "The user is not a custodian or delegate of this mailbox"},
    {"address_book.not_listed", "收件人不在通訊錄內,禁止發送",
     "The recipient is not in the sender's address book"},
    {"address_book.signup_site", "禁止使用公司郵箱在論壇或門戶網站注冊",
     "Company addresses must not be used to sign up on forums or portals"},
    {"group.expanded", "郵件群組已展開", "The mail group was expanded to its members"},
    {"forward.auto_external", "禁止自動轉發到公司以外的地址",
     "Automatic forwarding outside the company is not allowed"},
    {"forward.external_attachments", "未經公司同意,不得將公司郵件及附件對外公布",
     "Forwarding company mail with attachments outside needs approval"},
    {"attachment.too_large", "附件超過大小限制", "An attachment is larger than this channel allows"},
    {"message.too_large", "附件總大小超過限制",
     "The attachments together are larger than this channel allows"},
    {"attachment.not_archive", "郵件附件應採用壓縮包形式", "Attachments should be compressed archives"},
    {"attachment.blocked_type", "不允許發送此類附件", "This type of attachment is not allowed"},
    {"content.subject_empty", "不得以空白主題發送郵件", "Outgoing mail must have a subject"},
    {"content.url", "郵件正文含網址鏈接,容易被識別為垃圾郵件",
     "Links in the body make mail look like spam"},
    {"content.advertising", "未經公司同意,不得發布廣告",
     "Advertising needs the company's consent"},
    {"content.chain_letter", "不得發送連鎖郵件或垃圾郵件", "Chain letters and spam are not allowed"},
    {"content.prohibited", "郵件含有法律禁止的有害信息", "The mail contains prohibited content"},
    {"content.confidential_external", "不得向公司以外泄露機密",
     "Confidential content must not be sent outside the company"},
    {"content.addressing_missing", "發往公司郵箱的文件須注明接收人的姓名及來文地點",
     "Mail to a shared mailbox must name the recipient and the sender's location"},
    {"bulk.too_many_recipients", "收件人過多,不得群發未經請求的郵件",
     "Too many recipients for one message"},
    {"rate.exceeded", "發信過於頻繁", "The sender has sent too many messages recently"},
    {"delete.needs_approval", "刪除郵件須向管理員申請,經批准後由管理員刪除",
     "Deleting mail needs an administrator's approval"},
    {"delete.fields_missing", "刪除申請須說明原因並注明收件人、發件人、時間、內容",
     "The deletion request lacks required details"},
    {"retention.expired", "郵件已超過保存期限", "The message is past its retention age"},
    {"retention.notify_before_purge", "郵件即將清理,請及時備份",
     "The message will be purged soon; back it up"},
    {"retention.hold", "郵件處於保留狀態,不得刪除", "The message is under a hold"},
    {"spam.open", "垃圾郵件不可打開查看", "Spam must not be opened"},
    {"spam.expired", "垃圾郵件應及時刪除", "Spam past its short retention is deleted"},
    {"quota.warning", "郵箱空間即將用完", "The mailbox is nearly full"},
    {"quota.send_blocked", "郵箱空間不足,暫停發信", "The mailbox is too full to send"},
    {"quota.full", "郵箱已滿", "The mailbox is full"},
    {"register.required", "與工作相關的郵件須在收發文記錄上登記",
     "Work-related mail must be entered in the send/receive register"},
    {"duty.too_few_checks", "每工作日查看郵箱不得少於兩次",
     "The mailbox was checked too few times on a working day"},
    {"duty.late_first_check", "上班前未查看郵箱", "The mailbox was not checked before work"},
    {"rule.error", "規則無法評估", "A rule could not be evaluated"},
    {"attachment.encrypted", "附件已加密,無法檢查其內容", "The attachment is encrypted; its contents cannot be checked"},
    {"attachment.unreadable", "附件已損壞或不完整,無法檢查其內容",
     "The attachment is damaged or truncated; its contents cannot be checked"},
    {"message.too_complex", "郵件結構過於複雜,無法完整檢查",
     "The message is too complex to be checked in full"},
};

}  // namespace

const ReasonInfo& GetReasonInfo(ReasonCode code) {
  return kReasons[static_cast<int>(code)];
}

absl::string_view ReasonCodeName(ReasonCode code) { return GetReasonInfo(code).name; }

bool ParseReasonCode(absl::string_view name, ReasonCode* code) {
  for (int i = 0; i < kNumReasonCodes; ++i) {
    if (kReasons[i].name == name) {
      *code = static_cast<ReasonCode>(i);
      return true;
    }
  }
  return false;
}

}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.

#include "bench/synthetic_policy.h"

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/text_format.h"

namespace mailpolicy {
namespace bench {
namespace {

constexpr char kDomain[] = "hzxt.com.cn";

// Content rules added to the example's 28 patterns to make 50: English
// advertising without variant folding, the rest folded.
constexpr char kExtraRules[] = R"pb(
  rules {
    id: "bench-ads-en"
    scope { directions: [DIRECTION_OUTBOUND, DIRECTION_INTERNAL] }
    severity: SEVERITY_NEEDS_APPROVAL
    advertising {
      patterns: [
        "\\bfree (gift|trial|shipping)\\b",
        "\\bclick here\\b",
        "\\b(best|lowest) price\\b",
        "\\bact now\\b",
        "\\b100% (free|guaranteed)\\b",
        "\\bexclusive deal\\b"
      ]
    }
  }
  rules {
    id: "bench-chain-letter"
    severity: SEVERITY_DENY
    chain_letter {
      patterns: [
        "請(務必)?轉發",
        "祝福.{0,8}轉發",
        "(?i)\\bpass (this|it) on\\b",
        "(?i)\\bgood luck will come\\b"
      ]
      fold_chinese_variants: true
    }
  }
  rules {
    id: "bench-secrets"
    scope { directions: [DIRECTION_OUTBOUND] }
    severity: SEVERITY_DENY
    confidential {
      patterns: ["密級", "保密(文件|資料)", "(?i)\\bstrictly private\\b", "不得外傳", "商業秘密"]
      fold_chinese_variants: true
    }
  }
  rules {
    id: "bench-prohibited"
    severity: SEVERITY_DENY
    prohibited {
      patterns: ["毒品", "槍支", "洗錢", "偽造證件", "(?i)\\bcasino\\b", "傳銷", "高利貸"]
      fold_chinese_variants: true
    }
  }
)pb";

struct Syllable {
  const char* pinyin;
  const char* han;
};

constexpr Syllable kSurnames[] = {
    {"wang", "王"}, {"li", "李"},    {"zhang", "張"}, {"liu", "劉"},  {"chen", "陳"},
    {"yang", "楊"}, {"huang", "黃"}, {"zhao", "趙"},  {"wu", "吳"},   {"zhou", "周"},
    {"xu", "徐"},   {"sun", "孫"},   {"ma", "馬"},    {"zhu", "朱"},  {"hu", "胡"},
    {"guo", "郭"},  {"he", "何"},    {"gao", "高"},   {"lin", "林"},  {"luo", "羅"},
    {"zheng", "鄭"}, {"liang", "梁"}, {"xie", "謝"},  {"song", "宋"}, {"tang", "唐"},
    {"han", "韓"},  {"feng", "馮"},  {"deng", "鄧"},  {"cao", "曹"},  {"peng", "彭"},
    {"zeng", "曾"}, {"xiao", "蕭"},  {"tian", "田"},  {"dong", "董"}, {"pan", "潘"},
    {"yuan", "袁"}, {"cai", "蔡"},   {"jiang", "蔣"}, {"yu", "余"},   {"du", "杜"},
};

constexpr Syllable kGiven[] = {
    {"wei", "偉"},   {"fang", "芳"},  {"min", "敏"},   {"jing", "靜"},  {"li", "麗"},
    {"qiang", "強"}, {"lei", "磊"},   {"jun", "軍"},   {"yang", "洋"},  {"yong", "勇"},
    {"yan", "艷"},   {"jie", "傑"},   {"juan", "娟"},  {"tao", "濤"},   {"ming", "明"},
    {"chao", "超"},  {"xiu", "秀"},   {"xia", "霞"},   {"ping", "平"},  {"gang", "剛"},
    {"hua", "華"},   {"hui", "慧"},   {"ning", "寧"},  {"bo", "博"},    {"zhi", "志"},
    {"hao", "浩"},   {"yu", "宇"},    {"xin", "欣"},   {"kai", "凱"},   {"lan", "蘭"},
    {"feng", "峰"},  {"rui", "瑞"},   {"shan", "珊"},  {"cheng", "成"}, {"long", "龍"},
    {"wen", "文"},   {"qing", "清"},  {"dong", "東"},  {"hong", "紅"},  {"jian", "建"},
};

constexpr const char* kDomainWords[] = {
    "jianshe", "gongcheng", "sheji",  "jianli", "keji",    "wuye",
    "shiye",   "touzi",     "zhuangshi", "jiaotong", "shuili", "dianli",
};
constexpr const char* kTlds[] = {".com.cn", ".com", ".cn", ".net", ".com.cn", ".cn"};

constexpr const char* kDepartmentNames[] = {"業務部", "財務部", "工程部", "資訊部", "辦公室",
                                            "人事部", "質量部", "安全部", "合約部", "技術部"};

class Generator {
 public:
  explicit Generator(const SyntheticOptions& o) : o_(o), rng_(o.seed) {}

  void Run(v1::Policy* p) {
    Departments(p->mutable_organization());
    ExternalPools();
    Accounts(p->mutable_directory());
    Groups(p->mutable_directory());
    DepartmentContacts(p->mutable_organization());
    p->mutable_directory()->add_allowed_domains("mohurd.gov.cn");
    p->mutable_directory()->add_allowed_domains("jst.zj.gov.cn");
  }

 private:
  uint32_t Next(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }

  // A free local part: `base`, else base2, base3, ...
  std::string Claim(const std::string& base) {
    std::string local = base;
    for (int n = 2; !used_.insert(local).second; ++n) local = absl::StrCat(base, n);
    return local;
  }

  void Departments(v1::Organization* org) {
    for (int d = 0; d < o_.departments; ++d) {
      v1::Department* dep = org->add_departments();
      dep->set_id(absl::StrFormat("d%02d", d));
      dep->set_mailbox_code(absl::StrFormat("bm%02d", d));
      used_.insert(dep->mailbox_code());
      if (d < 10) {
        dep->set_name_zh(kDepartmentNames[d % 10]);
        dep->set_name_en(absl::StrCat("Head office department ", d));
      } else {
        // Site offices report to a head-office department.
        dep->set_name_zh(absl::StrCat("第", d, "監理辦"));
        dep->set_name_en(absl::StrCat("Site office ", d));
        dep->set_parent(absl::StrFormat("d%02d", d % 10));
        dep->set_site_office(true);
      }
    }
  }

  std::string ExternalDomain() {
    uint32_t n = Next(20000);
    return absl::StrCat(kDomainWords[n % 12], n, kTlds[n % 6]);
  }

  std::string PersonLocal() {
    const Syllable& s = kSurnames[Next(40)];
    const Syllable& g = kGiven[Next(40)];
    return absl::StrCat(s.pinyin, ".", g.pinyin);
  }

  // Correspondents several people know (clients, suppliers, authorities).
  void ExternalPools() {
    shared_.reserve(200000);
    for (int i = 0; i < 200000; ++i) {
      shared_.push_back(absl::StrCat(PersonLocal(), i % 97, "@", ExternalDomain()));
    }
  }

  const std::string& SharedContact() { return shared_[Next(shared_.size())]; }

  void Accounts(v1::Directory* dir) {
    const int shared_mailboxes = o_.departments + 1;  // one per department + bgs@
    const int personal = o_.accounts - shared_mailboxes;
    by_department_.assign(o_.departments, {});
    const int personal_contacts = static_cast<int>(o_.contacts * 0.9);
    // Contacts per personal account: 4..(2 * mean - 4), mean as asked.
    const int mean = std::max(1, personal_contacts / std::max(1, personal));
    const int spread = std::max(1, 2 * mean - 8 + 1);
    for (int i = 0; i < personal; ++i) {
      v1::Account* a = dir->add_accounts();
      const Syllable& s = kSurnames[Next(40)];
      const Syllable& g1 = kGiven[Next(40)];
      const Syllable& g2 = kGiven[Next(40)];
      const std::string local = Claim(absl::StrCat(s.pinyin, g1.pinyin, g2.pinyin));
      a->set_address(absl::StrCat(local, "@", kDomain));
      if (i % 2 == 0) {
        const std::string alias =
            Claim(absl::StrCat(s.pinyin, std::string(1, g1.pinyin[0]), std::string(1, g2.pinyin[0])));
        a->add_aliases(absl::StrCat(alias, "@", kDomain));
      }
      a->set_display_name(absl::StrCat(s.han, g1.han, g2.han));
      a->set_kind(v1::MAILBOX_KIND_PERSONAL);
      const uint32_t roll = Next(1000);
      if (roll < 5) {
        a->set_state(v1::ACCOUNT_STATE_PENDING);
      } else if (roll < 15) {
        a->set_state(v1::ACCOUNT_STATE_SUSPENDED);
        a->set_state_since("2026-06-01");
      } else if (roll < 25) {
        a->set_state(v1::ACCOUNT_STATE_DEREGISTERED);
        a->set_state_since("2026-03-15");
      } else if (roll < 30) {
        a->set_state(v1::ACCOUNT_STATE_RETIRED);
        a->set_state_since("2025-12-31");
      } else {
        a->set_state(v1::ACCOUNT_STATE_ACTIVE);
      }
      const int department = static_cast<int>(Next(o_.departments));
      a->set_department(absl::StrFormat("d%02d", department));
      by_department_[department].push_back(i);
      v1::Credentials* c = a->mutable_credentials();
      // Changed within the last 87 days: some are in the warning window.
      absl::CivilDay day = absl::CivilDay(2026, 11, 19) - static_cast<int>(Next(87));
      c->set_password_changed(absl::FormatCivilTime(day));
      if (Next(200) == 0) c->set_must_change_password(true);
      if (Next(1000) == 0) c->set_compromised_since("2026-11-01");
      if (i == 0) a->set_administrator(true);
      addresses_.push_back(a->address());
      const int contacts = 4 + static_cast<int>(Next(spread));
      for (int j = 0; j < contacts; ++j) {
        const uint32_t kind = Next(100);
        if (kind < 15 && i > 0) {
          a->add_contacts(addresses_[Next(i)]);  // a colleague
        } else if (kind < 57) {
          a->add_contacts(SharedContact());
        } else {
          a->add_contacts(absl::StrCat(PersonLocal(), ".", i, "-", j, "@", ExternalDomain()));
        }
      }
    }
    // Department mailboxes, looked after by two of the department's people,
    // and the office mailbox the example's rules exempt.
    for (int d = 0; d <= o_.departments; ++d) {
      v1::Account* a = dir->add_accounts();
      const bool office = d == o_.departments;
      a->set_address(absl::StrCat(office ? "bgs" : absl::StrFormat("bm%02d", d), "@", kDomain));
      a->set_kind(office ? v1::MAILBOX_KIND_OFFICE_SHARED : v1::MAILBOX_KIND_DEPARTMENT);
      a->set_state(v1::ACCOUNT_STATE_ACTIVE);
      const std::vector<int>& people = by_department_[office ? 0 : d];
      a->set_department(absl::StrFormat("d%02d", office ? 0 : d));
      a->set_public_window(!office && d % 5 == 0);
      for (int k = 0; k < 2 && k < static_cast<int>(people.size()); ++k) {
        a->add_custodians(addresses_[people[k]]);
      }
      addresses_.push_back(a->address());
    }
  }

  // Group 0 is exec@, which the example's rules exempt. Groups 1..999 hold
  // people of one department; from 1000 on, every tenth group also nests
  // two to four of those, and from 1100 every hundredth nests three
  // nesting groups instead (three levels).
  void Groups(v1::Directory* dir) {
    const int contacts_per_group = std::max(0, static_cast<int>(o_.contacts * 0.08) /
                                                   std::max(1, o_.groups));
    std::vector<std::string> names;
    for (int k = 0; k < o_.groups; ++k) {
      v1::Group* g = dir->add_groups();
      const int d = k % o_.departments;
      const std::vector<int>& people = by_department_[d];
      if (k == 0) {
        g->set_address(absl::StrCat("exec@", kDomain));
        g->set_name_zh("總裁辦");
      } else {
        g->set_address(absl::StrFormat("bm%02d-team%d@%s", d, k, kDomain));
        g->set_name_zh(absl::StrCat(kDepartmentNames[d % 10], "第", k, "組"));
      }
      const int members = k == 0 ? 5 : 20 + static_cast<int>(Next(61));
      for (int m = 0; m < members && !people.empty(); ++m) {
        g->add_members(addresses_[people[Next(people.size())]]);
      }
      if (k >= 1100 && k % 100 == 0) {
        for (int c = 0; c < 3; ++c) g->add_members(names[1000 + 10 * (Next((k - 1000) / 10))]);
      } else if (k >= 1000 && k % 10 == 0) {
        const int children = 2 + static_cast<int>(Next(3));
        for (int c = 0; c < children; ++c) g->add_members(names[1 + Next(999)]);
      }
      for (int c = 0; c < contacts_per_group; ++c) g->add_contacts(SharedContact());
      names.push_back(g->address());
    }
  }

  void DepartmentContacts(v1::Organization* org) {
    const int per = static_cast<int>(o_.contacts * 0.02) / std::max(1, o_.departments);
    for (v1::Department& d : *org->mutable_departments()) {
      for (int c = 0; c < per; ++c) d.add_contacts(SharedContact());
    }
  }

  const SyntheticOptions& o_;
  std::mt19937 rng_;
  absl::flat_hash_set<std::string> used_;
  std::vector<std::string> shared_;
  std::vector<std::string> addresses_;  // accounts' primary addresses, by index
  std::vector<std::vector<int>> by_department_;
};

bool External(const std::string& address) { return !absl::EndsWith(address, "@hzxt.com.cn"); }

}  // namespace

absl::Time SyntheticNow() {
  return absl::FromCivil(absl::CivilMinute(2026, 11, 20, 10, 0), absl::FixedTimeZone(8 * 3600));
}

absl::StatusOr<v1::Policy> MakeSyntheticPolicy(const SyntheticOptions& options) {
  std::ifstream in(options.rules_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", options.rules_path));
  std::stringstream text;
  text << in.rdbuf();
  v1::Policy policy;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &policy)) {
    return absl::InvalidArgumentError(absl::StrCat(options.rules_path, " does not parse"));
  }
  v1::Policy extra;
  if (!google::protobuf::TextFormat::ParseFromString(kExtraRules, &extra)) {
    return absl::InternalError("the benchmark's extra rules do not parse");
  }
  policy.MergeFrom(extra);
  // Keep the rules and settings; the organization's departments and the
  // whole directory are generated.
  policy.clear_includes();
  policy.clear_directory();
  policy.mutable_organization()->clear_departments();
  Generator(options).Run(&policy);
  // The example's hold names a person of its own directory.
  for (v1::Hold& h : *policy.mutable_holds()) {
    h.clear_accounts();
    h.add_accounts(policy.directory().accounts(0).address());
  }
  return policy;
}

int CountContentPatterns(const v1::Policy& policy) {
  int n = 0;
  for (const v1::Rule& r : policy.rules()) {
    n += r.advertising().patterns_size() + r.chain_letter().patterns_size() +
         r.confidential().patterns_size() + r.prohibited().patterns_size();
  }
  return n;
}

std::vector<MessageFacts> MakeEnvelopes(const v1::Policy& policy, int n, uint32_t seed) {
  std::mt19937 rng(seed);
  const v1::Directory& dir = policy.directory();
  absl::flat_hash_map<std::string, int> account_index;
  for (int i = 0; i < dir.accounts_size(); ++i) account_index[dir.accounts(i).address()] = i;
  // Direct groups of each account that have contacts.
  std::vector<std::vector<int>> groups_of(dir.accounts_size());
  for (int g = 0; g < dir.groups_size(); ++g) {
    if (dir.groups(g).contacts_size() == 0) continue;
    for (const std::string& m : dir.groups(g).members()) {
      auto it = account_index.find(m);
      if (it != account_index.end()) groups_of[it->second].push_back(g);
    }
  }
  auto usable = [&](int i) {
    const v1::Account& a = dir.accounts(i);
    return a.kind() == v1::MAILBOX_KIND_PERSONAL && a.state() == v1::ACCOUNT_STATE_ACTIVE &&
           !a.credentials().must_change_password() &&
           a.credentials().compromised_since().empty() &&
           a.credentials().password_changed() >= "2026-09-20";  // not about to expire
  };
  std::vector<MessageFacts> out;
  while (static_cast<int>(out.size()) < n) {
    const int i = static_cast<int>(rng() % dir.accounts_size());
    const v1::Account& a = dir.accounts(i);
    if (!usable(i) || groups_of[i].empty()) continue;
    std::vector<std::string> external;
    for (const std::string& c : a.contacts()) {
      if (External(c)) external.push_back(c);
    }
    if (external.size() < 2) continue;
    MessageFacts f;
    f.channel = Channel::kSmtpSubmission;
    f.envelope_sender = a.address();
    f.authenticated_user = a.address();
    f.subject = "寧波項目第十二期監理月報";
    f.now = SyntheticNow();
    f.sender_recent_messages = 3;
    f.sender_mailbox_bytes = int64_t{512} << 20;
    f.envelope_only = true;
    for (int k = 0; k < 2;) {
      const int j = static_cast<int>(rng() % dir.accounts_size());
      if (!usable(j) || j == i) continue;
      f.recipients.push_back(dir.accounts(j).address());
      ++k;
    }
    std::shuffle(external.begin(), external.end(), rng);
    f.recipients.push_back(external[0]);
    // Hosts pass addresses as written: one in mixed case.
    std::string written = external[1];
    written[0] = absl::ascii_toupper(written[0]);
    f.recipients.push_back(written);
    const v1::Group& g = dir.groups(groups_of[i][rng() % groups_of[i].size()]);
    f.recipients.push_back(g.contacts(static_cast<int>(rng() % g.contacts_size())));
    out.push_back(std::move(f));
  }
  return out;
}

std::string MakeBody(size_t bytes, bool with_hit, uint32_t seed) {
  static const char* const kSentences[] = {
      "各位同事:本週監理例會定於週三下午兩點在三樓會議室召開,請準時參加。\n",
      "The concrete pour for block C is scheduled for Thursday morning, weather permitting.\n",
      "附件為寧波項目第十二期監理月報,請審閱後回覆意見。\n",
      "Please review the attached inspection checklist and return your comments by Friday.\n",
      "现场安全检查发现脚手架连接件松动,已要求施工单位限期整改。\n",
      "According to the schedule, the steel structure will be installed within two weeks.\n",
      "溫州監理辦已完成隱蔽工程驗收,相關記錄已歸檔。\n",
      "Meeting minutes: attendees agreed to revise the drainage design before the next "
      "milestone.\n",
      "请各部门于月底前提交下季度工作计划及预算。\n",
      "Site photos from the foundation works are stored on the project share for reference.\n",
      "本工程材料進場檢驗合格,鋼筋抽樣送檢報告見附件。\n",
      "If you have questions about the revised drawings, contact the design coordinator.\n",
      "業主方要求在下月十五日前提交竣工驗收資料清單。\n",
      "混凝土试块强度报告已送达,结果符合设计要求。\n",
      "The contractor requested a two-day extension for the curtain wall submittal.\n",
      "紹興監理辦本月共完成旁站記錄三十六份、巡視記錄五十二份。\n",
      "Thank you for your cooperation. Best regards, the project supervision team.\n",
  };
  constexpr size_t kCount = sizeof(kSentences) / sizeof(kSentences[0]);
  std::mt19937 rng(seed);
  std::string body;
  body.reserve(bytes + 256);
  bool hit = !with_hit;
  while (body.size() < bytes) {
    if (!hit && body.size() >= bytes / 2) {
      body += "本報告涉及機密,請勿外發。\n";
      hit = true;
    }
    body += kSentences[rng() % kCount];
  }
  // Cut at a character boundary: before a UTF-8 lead byte.
  size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xc0) == 0x80) --end;
  body.resize(end);
  return body;
}

}  // namespace bench
}  // namespace mailpolicy

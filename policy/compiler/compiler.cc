// Copyright 2026 The mailpolicy Authors.
//
// The slow phase: validates parsed sources, reports every error with its
// location, and builds the immutable internal::Snapshot.

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "policy/compiler/rule_compiler.h"
#include "policy/compiler/source.h"
#include "policy/compiler/values.h"
#include "policy/content/chinese_variants.h"
#include "policy/content/prefilter.h"
#include "policy/internal/rule_kinds.h"
#include "policy/internal/unicode.h"
#include "policy/internal/snapshot.h"
#include "policy/policy.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {

// Builds a Policy from a Snapshot; the only friend of Policy's constructor.
class PolicyBuilder {
 public:
  static std::shared_ptr<const Policy> Make(std::unique_ptr<internal::Snapshot> s) {
    return std::shared_ptr<const Policy>(new Policy(std::move(s)));
  }
};

namespace compiler {
namespace {

using internal::AddressEntry;
using internal::CompiledRule;
using internal::kNone;
using internal::Snapshot;

constexpr int kDefaultMaxGroupDepth = 8;
constexpr int kDefaultMaxGroupMembers = 10000;

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

class Compiler {
 public:
  Compiler(const std::vector<ParsedSource>& sources, std::vector<CompileError>* errors)
      : sources_(sources), errors_(errors), snapshot_(std::make_unique<Snapshot>()) {}

  std::unique_ptr<Snapshot> Run() {
    // Enum numbers outside the schema (a policy written for a newer schema,
    // or a damaged one) would index tables and shift bits; stop at them.
    const size_t first_error = errors_->size();
    for (size_t s = 0; s < sources_.size(); ++s) {
      if (HasUnknownEnum(*sources_[s].policy)) {
        CheckEnums(s, *sources_[s].policy, FieldPath(), "");
      }
    }
    if (errors_->size() != first_error) return std::move(snapshot_);
    CompileSettings();
    CompileOrganization();
    RegisterDirectory();
    ResolveDirectory();
    FlattenGroups();
    BuildContactLists();
    IndexContacts();
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Policy& p = *sources_[s].policy;
      for (int i = 0; i < p.rules_size(); ++i) {
        CompileRule(s, p.rules(i), FieldPath().Field("rules", i));
      }
    }
    CompileHolds();
    BuildMatchers();
    return std::move(snapshot_);
  }

 private:
  // ---- errors ----------------------------------------------------------

  void Error(size_t source, const FieldPath& path, absl::string_view rule_id,
             std::string message, std::string hint = "") {
    errors_->push_back(
        LocatedError(sources_[source], path, rule_id, std::move(message), std::move(hint)));
  }

  std::string Where(size_t source, const FieldPath& path) const {
    int line, column;
    sources_[source].Locate(path, &line, &column);
    if (line == 0) return absl::StrCat(sources_[source].name, " (", path.ToString(), ")");
    return absl::StrCat(sources_[source].name, ":", line, ":", column);
  }

  // Reports every enum value of `m` (at `path`) that its enum does not name.
  void CheckEnums(size_t s, const google::protobuf::Message& m, const FieldPath& path,
                  const std::string& rule_id) {
    const google::protobuf::Reflection* reflection = m.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(m, &fields);
    for (const google::protobuf::FieldDescriptor* f : fields) {
      if (f->is_map()) continue;  // map<string, string> only
      const bool is_enum = f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM;
      // Most of a directory is strings: skip what cannot hold an enum.
      if (!is_enum && !MayHoldEnums(f->message_type())) continue;
      const int n = f->is_repeated() ? reflection->FieldSize(m, f) : 1;
      for (int i = 0; i < n; ++i) {
        if (is_enum) {
          int value = f->is_repeated() ? reflection->GetRepeatedEnumValue(m, f, i)
                                       : reflection->GetEnumValue(m, f);
          if (f->enum_type()->FindValueByNumber(value) == nullptr) {
            Error(s, path.Field(f->name(), i), rule_id,
                  absl::StrCat(f->name(), " is ", value, ", which ", f->enum_type()->full_name(),
                               " does not name"),
                  "the policy may be written for a newer schema; see policy/proto/policy.proto");
          }
        } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
          const google::protobuf::Message& sub = f->is_repeated()
                                                     ? reflection->GetRepeatedMessage(m, f, i)
                                                     : reflection->GetMessage(m, f);
          if (!HasUnknownEnum(sub)) continue;
          const bool is_rule = path.steps().empty() && f->name() == "rules";
          CheckEnums(s, sub, path.Field(f->name(), i),
                     is_rule ? static_cast<const v1::Rule&>(sub).id() : rule_id);
        }
      }
    }
  }

  // Whether `m` holds an enum value its enum does not name. Quick, makes no
  // paths: CheckEnums goes only where this finds something.
  bool HasUnknownEnum(const google::protobuf::Message& m) {
    const google::protobuf::Descriptor* type = m.GetDescriptor();
    const google::protobuf::Reflection* reflection = m.GetReflection();
    for (int k = 0; k < type->field_count(); ++k) {
      const google::protobuf::FieldDescriptor* f = type->field(k);
      if (f->is_map()) continue;
      const bool is_enum = f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM;
      if (!is_enum && !MayHoldEnums(f->message_type())) continue;
      if (!f->is_repeated() && !reflection->HasField(m, f)) continue;
      const int n = f->is_repeated() ? reflection->FieldSize(m, f) : 1;
      for (int i = 0; i < n; ++i) {
        if (is_enum) {
          int value = f->is_repeated() ? reflection->GetRepeatedEnumValue(m, f, i)
                                       : reflection->GetEnumValue(m, f);
          if (f->enum_type()->FindValueByNumber(value) == nullptr) return true;
        } else if (HasUnknownEnum(f->is_repeated() ? reflection->GetRepeatedMessage(m, f, i)
                                                   : reflection->GetMessage(m, f))) {
          return true;
        }
      }
    }
    return false;
  }

  // Whether a message of `type` (null: not a message) has an enum field,
  // directly or in a field's message.
  bool MayHoldEnums(const google::protobuf::Descriptor* type) {
    if (type == nullptr) return false;
    auto [it, inserted] = holds_enums_.try_emplace(type, false);  // false while visiting
    if (!inserted) return it->second;
    bool holds = false;
    for (int i = 0; i < type->field_count() && !holds; ++i) {
      const google::protobuf::FieldDescriptor* f = type->field(i);
      holds = f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM ||
              MayHoldEnums(f->message_type());
    }
    holds_enums_[type] = holds;
    return holds;
  }

  // ---- settings and organization ----------------------------------------

  void CompileSettings() {
    internal::CompiledRule& limits_rule = snapshot_->message_limits_rule;
    limits_rule.id = "settings.message_limits";
    limits_rule.code = ReasonCode::kMessageTooComplex;
    limits_rule.index = kNone;
    limits_rule.severity = snapshot_->message_limits.severity;
    std::string timezone = "Asia/Shanghai";
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Policy& p = *sources_[s].policy;
      FieldPath settings = FieldPath().Field("settings");
      if (!p.name().empty()) snapshot_->name = p.name();
      if (!p.version().empty()) snapshot_->version = p.version();
      if (!p.has_settings()) continue;
      const v1::Settings& st = p.settings();
      if (st.megabyte_bytes() != 0) {
        if (st.megabyte_bytes() != 1000000 && st.megabyte_bytes() != 1048576) {
          Error(s, settings.Field("megabyte_bytes"), "",
                absl::StrCat("megabyte_bytes is ", st.megabyte_bytes(),
                             "; a megabyte is 1048576 or 1000000 bytes"),
                "leave it out for the default 1048576");
        } else {
          snapshot_->megabyte_bytes = st.megabyte_bytes();
        }
      }
      if (!st.timezone().empty()) {
        timezone = st.timezone();
        timezone_path_ = {s, settings.Field("timezone")};
      }
      if (st.failure_mode() == v1::FAILURE_MODE_OPEN) snapshot_->fail_closed = false;
      if (!st.recipient_delimiter().empty()) {
        const std::string& d = st.recipient_delimiter();
        bool ok = d.size() <= 8;
        for (char c : d) {
          ok &= static_cast<unsigned char>(c) > ' ' && static_cast<unsigned char>(c) < 0x7f &&
                !absl::ascii_isalnum(c) && c != '@' && c != '.';
        }
        if (ok) {
          snapshot_->recipient_delimiter = d;
        } else {
          Error(s, settings.Field("recipient_delimiter"), "",
                absl::StrCat("recipient_delimiter \"", absl::CHexEscape(d),
                             "\" must be 1 to 8 ASCII punctuation characters other than '@' "
                             "and '.'"),
                "as Postfix's recipient_delimiter, e.g. \"+\" or \"+-\"");
        }
      }
      if (st.max_group_depth() < 0 || st.max_group_depth() > 64) {
        Error(s, settings.Field("max_group_depth"), "",
              absl::StrCat("max_group_depth is ", st.max_group_depth(),
                           "; it must be between 1 and 64"));
      } else if (st.max_group_depth() > 0) {
        max_group_depth_ = st.max_group_depth();
      }
      const v1::MessageLimits& ml = st.message_limits();
      const FieldPath mp = settings.Field("message_limits");
      Snapshot::MessageLimits& limits = snapshot_->message_limits;
      for (auto [name, value, out] : {std::tuple<const char*, int32_t, int32_t*>{
                                          "max_parts", ml.max_parts(), &limits.max_parts},
                                      {"max_depth", ml.max_depth(), &limits.max_depth},
                                      {"max_contained_files", ml.max_contained_files(),
                                       &limits.max_contained_files},
                                      {"max_reasons_per_rule", ml.max_reasons_per_rule(),
                                       &limits.max_reasons_per_rule}}) {
        if (value < 0) {
          Error(s, mp.Field(name), "", absl::StrCat(name, " is ", value, "; it must be 0 (the default) or more"));
        } else if (value > 0) {
          *out = value;
        }
      }
      if (ml.severity() != v1::SEVERITY_UNSPECIFIED) {
        limits.severity = static_cast<Severity>(ml.severity() - 1);
      }
      snapshot_->message_limits_rule.severity = limits.severity;
      if (st.max_group_members() < 0) {
        Error(s, settings.Field("max_group_members"), "",
              "max_group_members must not be negative");
      } else if (st.max_group_members() > 0) {
        max_group_members_ = st.max_group_members();
      }
    }
    if (!absl::LoadTimeZone(timezone, &snapshot_->timezone)) {
      Error(timezone_path_.first, timezone_path_.second, "",
            absl::StrCat("unknown time zone \"", timezone, "\""),
            "use an IANA name such as \"Asia/Shanghai\" (package tzdata)");
      snapshot_->timezone = absl::FixedTimeZone(8 * 3600);
    }
  }

  void CompileOrganization() {
    bool any_domain = false;
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Organization& org = sources_[s].policy->organization();
      FieldPath op = FieldPath().Field("organization");
      for (int i = 0; i < org.domains_size(); ++i) {
        any_domain = true;
        AddDomain(s, op.Field("domains", i), org.domains(i), &snapshot_->company_domains);
      }
      for (int i = 0; i < org.legacy_domains_size(); ++i) {
        AddDomain(s, op.Field("legacy_domains", i), org.legacy_domains(i),
                  &snapshot_->legacy_domains);
      }
      for (int i = 0; i < org.departments_size(); ++i) {
        const v1::Department& d = org.departments(i);
        FieldPath dp = op.Field("departments", i);
        if (d.id().empty()) {
          Error(s, dp, "", "department has no id", "give it a short id such as \"yw\"");
          continue;
        }
        if (department_index_.contains(d.id())) {
          Error(s, dp.Field("id"), "", absl::StrCat("duplicate department id \"", d.id(), "\""));
          continue;
        }
        department_index_[d.id()] = snapshot_->departments.size();
        internal::CompiledDepartment cd;
        cd.id = d.id();
        cd.name_zh = d.name_zh();
        cd.name_en = d.name_en();
        cd.mailbox_code = d.mailbox_code();
        if (!d.mailbox_code().empty()) {
          for (char c : d.mailbox_code()) {
            if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c)) {
              Error(s, dp.Field("mailbox_code"), "",
                    absl::StrCat("mailbox_code \"", d.mailbox_code(),
                                 "\" must be lower-case pinyin initials (a-z, 0-9)"));
              break;
            }
          }
        }
        snapshot_->departments.push_back(std::move(cd));
        department_sources_.push_back({s, dp});
      }
    }
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Organization& org = sources_[s].policy->organization();
      for (int i = 0; i < org.legacy_domains_size(); ++i) {
        if (snapshot_->IsCompanyDomain(internal::CanonicalDomain(org.legacy_domains(i)))) {
          Error(s, FieldPath().Field("organization").Field("legacy_domains", i), "",
                absl::StrCat("domain \"", org.legacy_domains(i),
                             "\" is both a company and a legacy domain"));
        }
      }
    }
    if (!any_domain) {
      Error(0, FieldPath().Field("organization"), "",
            "organization.domains is empty: the company needs at least one mail domain",
            "add domains: \"example.com.cn\"");
    }
    // Parents, and cycles among them.
    for (size_t i = 0; i < snapshot_->departments.size(); ++i) {
      const auto& [s, dp] = department_sources_[i];
      const v1::Department& d =
          sources_[s].policy->organization().departments(dp.steps().back().index);
      if (d.parent().empty()) continue;
      auto it = department_index_.find(d.parent());
      if (it == department_index_.end()) {
        Error(s, dp.Field("parent"), "",
              absl::StrCat("department \"", d.id(), "\" names unknown parent \"", d.parent(), "\""));
        continue;
      }
      snapshot_->departments[i].parent = it->second;
    }
    for (size_t i = 0; i < snapshot_->departments.size(); ++i) {
      uint32_t at = snapshot_->departments[i].parent;
      for (size_t steps = 0; at != kNone; ++steps, at = snapshot_->departments[at].parent) {
        if (at == i || steps > snapshot_->departments.size()) {
          const auto& [s, dp] = department_sources_[i];
          Error(s, dp.Field("parent"), "",
                absl::StrCat("department \"", snapshot_->departments[i].id,
                             "\" is its own ancestor (parent cycle)"));
          snapshot_->departments[i].parent = kNone;
          break;
        }
      }
    }
  }

  void AddDomain(size_t s, const FieldPath& path, const std::string& domain,
                 std::vector<std::string>* out) {
    absl::Status st = ValidateDomain(domain);
    if (!st.ok()) {
      Error(s, path, "", std::string(st.message()));
      return;
    }
    std::string lower = internal::CanonicalDomain(domain);
    if (std::find(out->begin(), out->end(), lower) != out->end()) {
      Error(s, path, "", absl::StrCat("duplicate domain \"", domain, "\""));
      return;
    }
    out->push_back(std::move(lower));
  }

  // ---- directory ----------------------------------------------------------

  // REQUIRES: `lower` is a valid address in lower case.
  AddressEntry& Intern(absl::string_view lower) {
    auto it = snapshot_->addresses.lazy_emplace(lower, [&](const auto& construct) {
      AddressEntry entry;
      entry.id = next_address_id_++;
      construct(snapshot_->address_text.Add(lower), entry);
    });
    return it->second;
  }

  // Where the directory first used the address of `e`, an account's or a
  // group's; for error messages only.
  std::string FirstUse(const AddressEntry& e, absl::string_view lower) const {
    if (e.group != kNone) {
      const auto& [s, gp, g] = group_sources_[e.group];
      return Where(s, gp.Field("address"));
    }
    const auto& [s, ap, a] = account_sources_[e.account];
    if (internal::CanonicalAddress(a->address()) != lower) {
      for (int j = 0; j < a->aliases_size(); ++j) {
        if (internal::CanonicalAddress(a->aliases(j)) == lower) {
          return Where(s, ap.Field("aliases", j));
        }
      }
    }
    return Where(s, ap.Field("address"));
  }

  // Registers an account or group address, field `field`[`index`] of the
  // entry at `owner`; false (with an error) if taken. The path is made only
  // for an error: directories hold a hundred thousand addresses.
  bool Claim(size_t s, const FieldPath& owner, absl::string_view field, int index,
             const std::string& address, bool is_group, uint32_t entry_index) {
    absl::Status st = ValidateAddress(address);
    if (!st.ok()) {
      Error(s, owner.Field(field, index), "", std::string(st.message()));
      return false;
    }
    char buffer[internal::kMaxAddressLength];
    absl::string_view lower = internal::CanonicalAddress(address, buffer);
    if (!snapshot_->IsCompanyDomain(internal::DomainOf(lower))) {
      Error(s, owner.Field(field, index), "",
            absl::StrCat("address \"", address, "\" is not in a company domain"),
            absl::StrCat("company domains: ", absl::StrJoin(snapshot_->company_domains, ", ")));
      return false;
    }
    // Contacts are interned later: an entry here is an account or a group.
    AddressEntry& entry = Intern(lower);
    if (entry.account != kNone || entry.group != kNone) {
      Error(s, owner.Field(field, index), "",
            absl::StrCat("duplicate address \"", address, "\", first used at ",
                         FirstUse(entry, lower)));
      return false;
    }
    (is_group ? entry.group : entry.account) = entry_index;
    return true;
  }

  void RegisterDirectory() {
    // Room for everything at once: growing the tables of a large directory
    // step by step costs more than filling them. Contacts repeat (clients
    // several people know, colleagues): reckon half of them new addresses.
    size_t accounts = 0, addresses = 0, contacts = 0;
    for (const ParsedSource& source : sources_) {
      const v1::Policy& p = *source.policy;
      for (const v1::Account& a : p.directory().accounts()) {
        addresses += 1 + a.aliases_size();
        contacts += a.contacts_size();
      }
      for (const v1::Group& g : p.directory().groups()) contacts += g.contacts_size();
      for (const v1::Department& d : p.organization().departments()) contacts += d.contacts_size();
      accounts += p.directory().accounts_size();
      addresses += p.directory().groups_size();
    }
    snapshot_->accounts.reserve(accounts);
    account_sources_.reserve(accounts);
    snapshot_->addresses.reserve(addresses + contacts / 2);
    contact_pairs_.reserve(contacts);
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Directory& dir = sources_[s].policy->directory();
      FieldPath dirp = FieldPath().Field("directory");
      for (int i = 0; i < dir.accounts_size(); ++i) {
        const v1::Account& a = dir.accounts(i);
        FieldPath ap = dirp.Field("accounts", i);
        uint32_t index = snapshot_->accounts.size();
        if (!Claim(s, ap, "address", -1, a.address(), false, index)) continue;
        internal::CompiledAccount ca;
        ca.address = internal::CanonicalAddress(a.address());
        snapshot_->accounts.push_back(std::move(ca));
        account_sources_.push_back({s, ap, &a});
        for (int j = 0; j < a.aliases_size(); ++j) {
          if (Claim(s, ap, "aliases", j, a.aliases(j), false, index)) {
            ++snapshot_->aliases;
          }
        }
      }
      for (int i = 0; i < dir.groups_size(); ++i) {
        const v1::Group& g = dir.groups(i);
        FieldPath gp = dirp.Field("groups", i);
        uint32_t index = snapshot_->groups.size();
        if (!Claim(s, gp, "address", -1, g.address(), true, index)) continue;
        internal::CompiledGroup cg;
        cg.address = internal::CanonicalAddress(g.address());
        cg.name_zh = g.name_zh();
        snapshot_->groups.push_back(std::move(cg));
        group_sources_.push_back({s, gp, &g});
      }
      for (int i = 0; i < dir.allowed_domains_size(); ++i) {
        FieldPath dp = dirp.Field("allowed_domains", i);
        absl::Status st = ValidateDomain(dir.allowed_domains(i));
        if (!st.ok()) {
          Error(s, dp, "", std::string(st.message()));
          continue;
        }
        snapshot_->allowed_domains.insert(internal::CanonicalDomain(dir.allowed_domains(i)));
      }
    }
  }

  uint32_t FindAccount(const std::string& address) const {
    const AddressEntry* e = snapshot_->FindAddress(address);
    return e == nullptr ? kNone : e->account;
  }
  uint32_t FindGroup(const std::string& address) const {
    const AddressEntry* e = snapshot_->FindAddress(address);
    return e == nullptr ? kNone : e->group;
  }

  // Adds a contact address, contacts[`index`] of the entry at `owner`, to
  // contact list `list`. The path is made only for an error.
  void AddContact(size_t s, const FieldPath& owner, int index, uint32_t list,
                  const std::string& address) {
    char buffer[internal::kMaxAddressLength];
    const absl::string_view lower = internal::CanonicalAddress(address, buffer);
    // Most contacts are known by now (colleagues, shared clients), and an
    // address known was valid: validity does not depend on letter case.
    auto known = snapshot_->addresses.find(lower);
    if (known == snapshot_->addresses.end()) {
      absl::Status st = ValidateAddress(address);
      if (!st.ok()) {
        Error(s, owner.Field("contacts", index), "", absl::StrCat("contact ", st.message()));
        return;
      }
    }
    AddressEntry& entry = known != snapshot_->addresses.end() ? known->second : Intern(lower);
    contact_pairs_.push_back({entry.id, list});
    ++snapshot_->contacts;
    has_contacts_[list] = true;
  }

  // Adds the `contacts` of the entry at `owner` to contact list `list`,
  // looking a few ahead so that the address table's cache misses overlap.
  void AddContacts(size_t s, const FieldPath& owner, uint32_t list,
                   const google::protobuf::RepeatedPtrField<std::string>& contacts) {
    constexpr int kAhead = 8;
    auto prefetch = [&](const std::string& address) {
      char buffer[internal::kMaxAddressLength];
      const absl::string_view lower = internal::CanonicalAddress(address, buffer);
      if (!lower.empty()) snapshot_->addresses.prefetch(lower);
    };
    for (int j = 0; j < contacts.size() && j < kAhead; ++j) prefetch(contacts.Get(j));
    for (int j = 0; j < contacts.size(); ++j) {
      if (j + kAhead < contacts.size()) prefetch(contacts.Get(j + kAhead));
      AddContact(s, owner, j, list, contacts.Get(j));
    }
  }

  // AB-ALLOWLIST: for each address, the sorted contact lists naming it
  // (Snapshot::contact_lists), so that a recipient is checked against the
  // sender's lists with one lookup.
  void IndexContacts() {
    std::vector<uint32_t> begin(next_address_id_ + 1, 0);
    for (const auto& [id, list] : contact_pairs_) ++begin[id + 1];
    for (uint32_t id = 0; id < next_address_id_; ++id) begin[id + 1] += begin[id];
    std::vector<uint32_t> lists(contact_pairs_.size());
    std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
    for (const auto& [id, list] : contact_pairs_) lists[next[id]++] = list;
    contact_pairs_ = {};
    // Sorted and without repeats, per address, packed.
    uint32_t out = 0;
    std::vector<uint32_t> packed_begin(next_address_id_ + 1, 0);
    for (uint32_t id = 0; id < next_address_id_; ++id) {
      auto first = lists.begin() + begin[id];
      auto last = lists.begin() + begin[id + 1];
      std::sort(first, last);
      last = std::unique(first, last);
      packed_begin[id] = out;
      for (auto it = first; it != last; ++it) lists[out++] = *it;
    }
    packed_begin[next_address_id_] = out;
    lists.resize(out);
    lists.shrink_to_fit();
    snapshot_->contact_lists = std::move(lists);
    for (auto& [address, entry] : snapshot_->addresses) {
      entry.lists_begin = packed_begin[entry.id];
      entry.lists_end = packed_begin[entry.id + 1];
    }
  }

  absl::Time Date(size_t s, const FieldPath& path, const std::string& text,
                  absl::Time fallback, absl::string_view rule_id = "") {
    if (text.empty()) return fallback;
    auto t = ParseDate(text, snapshot_->timezone);
    if (!t.ok()) {
      Error(s, path, rule_id, std::string(t.status().message()));
      return fallback;
    }
    return *t;
  }

  void ResolveDirectory() {
    const uint32_t num_accounts = snapshot_->accounts.size();
    const uint32_t num_groups = snapshot_->groups.size();
    has_contacts_.assign(num_accounts + num_groups + snapshot_->departments.size(), false);
    for (uint32_t i = 0; i < num_accounts; ++i) {
      auto& [s, ap, a] = account_sources_[i];
      internal::CompiledAccount& ca = snapshot_->accounts[i];
      ca.display_name = a->display_name();
      ca.kind = a->kind() == v1::MAILBOX_KIND_UNSPECIFIED
                    ? MailboxKind::kPersonal
                    : static_cast<MailboxKind>(a->kind());
      ca.state = a->state() == v1::ACCOUNT_STATE_UNSPECIFIED
                     ? AccountState::kActive
                     : static_cast<AccountState>(a->state());
      ca.state_since = Date(s, ap.Field("state_since"), a->state_since(), absl::InfinitePast());
      ca.public_window = a->public_window();
      ca.administrator = a->administrator();
      if (a->public_window() && ca.kind == MailboxKind::kPersonal) {
        Error(s, ap.Field("public_window"), "",
              absl::StrCat("personal mailbox \"", a->address(),
                           "\" cannot be a public window"),
              "D2 2.4 publishes department mailboxes; set kind: MAILBOX_KIND_DEPARTMENT");
      }
      if (!a->department().empty()) {
        auto it = department_index_.find(a->department());
        if (it == department_index_.end()) {
          Error(s, ap.Field("department"), "",
                absl::StrCat("account \"", a->address(), "\" names unknown department \"",
                             a->department(), "\""));
        } else {
          ca.department = it->second;
        }
      }
      ResolveDelegates(s, ap, *a, "custodians", a->custodians(), &ca);
      ResolveDelegates(s, ap, *a, "delegates", a->delegates(), &ca);
      if (ca.kind != MailboxKind::kPersonal && a->custodians_size() == 0 &&
          a->delegates_size() == 0 && ca.state == AccountState::kActive) {
        Error(s, ap.Field("kind"), "",
              absl::StrCat("shared mailbox \"", a->address(),
                           "\" has no custodians or delegates"),
              "D2 2.3: shared and department mailboxes are looked after by named custodians");
      }
      SortUnique(&ca.delegates);
      const v1::Credentials& c = a->credentials();
      FieldPath cp = ap.Field("credentials");
      ca.must_change_password = c.must_change_password();
      ca.password_changed =
          Date(s, cp.Field("password_changed"), c.password_changed(), absl::InfinitePast());
      ca.compromised_since =
          Date(s, cp.Field("compromised_since"), c.compromised_since(), absl::InfiniteFuture());
      AddContacts(s, ap, i, a->contacts());
    }
    for (uint32_t g = 0; g < num_groups; ++g) {
      auto& [s, gp, grp] = group_sources_[g];
      for (int j = 0; j < grp->members_size(); ++j) {
        const std::string& m = grp->members(j);
        uint32_t account = FindAccount(m);
        uint32_t group = FindGroup(m);
        if (account != kNone) {
          direct_accounts_[g].push_back(account);
        } else if (group != kNone) {
          direct_groups_[g].push_back(group);
        } else {
          Error(s, gp.Field("members", j), "",
                absl::StrCat("group \"", grp->address(), "\" has unknown member \"", m, "\""),
                "members are account or group addresses of the directory");
        }
      }
      AddContacts(s, gp, num_accounts + g, grp->contacts());
    }
    for (uint32_t d = 0; d < snapshot_->departments.size(); ++d) {
      auto& [s, dp] = department_sources_[d];
      const v1::Department& dep =
          sources_[s].policy->organization().departments(dp.steps().back().index);
      AddContacts(s, dp, num_accounts + num_groups + d, dep.contacts());
    }
  }

  void ResolveDelegates(size_t s, const FieldPath& ap, const v1::Account& a,
                        absl::string_view field,
                        const google::protobuf::RepeatedPtrField<std::string>& list,
                        internal::CompiledAccount* ca) {
    for (int j = 0; j < list.size(); ++j) {
      uint32_t who = FindAccount(list.Get(j));
      if (who == kNone) {
        Error(s, ap.Field(field, j), "",
              absl::StrCat("mailbox \"", a.address(), "\" names unknown ",
                           field == "custodians" ? "custodian" : "delegate", " \"",
                           list.Get(j), "\""),
              "custodians and delegates are personal accounts of the directory");
        continue;
      }
      if (a.kind() == v1::MAILBOX_KIND_PERSONAL || a.kind() == v1::MAILBOX_KIND_UNSPECIFIED) {
        Error(s, ap.Field(field, j), "",
              absl::StrCat("personal mailbox \"", a.address(), "\" cannot have ", field),
              "ACC-NO-TRANSFER: a personal mailbox is used by its owner only (D4 二.5)");
        return;
      }
      ca->delegates.push_back(who);
    }
  }

  // AB-GROUPS: flattens nested groups, rejecting cycles and oversized groups.
  void FlattenGroups() {
    const uint32_t n = snapshot_->groups.size();
    std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<int> depth(n, 1);
    std::vector<bool> cut(n, false);  // depth[g] counts only part of g's nesting
    std::vector<uint32_t> stack;
    std::function<void(uint32_t)> visit = [&](uint32_t g) {
      state[g] = 1;
      stack.push_back(g);
      std::vector<uint32_t>& members = snapshot_->groups[g].members;
      members = direct_accounts_[g];
      for (uint32_t child : direct_groups_[g]) {
        if (state[child] == 1) {
          std::vector<std::string> cycle;
          auto from = std::find(stack.begin(), stack.end(), child);
          for (auto it = from; it != stack.end(); ++it) {
            cycle.push_back(snapshot_->groups[*it].address);
          }
          cycle.push_back(snapshot_->groups[child].address);
          auto& [s, gp, grp] = group_sources_[g];
          int index = 0;
          for (int j = 0; j < grp->members_size(); ++j) {
            if (internal::CanonicalAddress(grp->members(j)) == snapshot_->groups[child].address) {
              index = j;
            }
          }
          Error(s, gp.Field("members", index), "",
                absl::StrCat("group cycle: ", absl::StrJoin(cycle, " -> ")),
                "a group must not contain itself, directly or through other groups");
          continue;
        }
        if (state[child] == 0) {
          // Past the limit the depth is an error anyway; not descending
          // keeps the recursion bounded, whatever the input. The child is
          // visited later from the outer loop.
          if (stack.size() > static_cast<size_t>(max_group_depth_)) {
            cut[g] = true;
            continue;
          }
          visit(child);
        }
        depth[g] = std::max(depth[g], depth[child] + 1);
        cut[g] = cut[g] || cut[child];
        const auto& sub = snapshot_->groups[child].members;
        members.insert(members.end(), sub.begin(), sub.end());
      }
      SortUnique(&members);
      auto& [s, gp, grp] = group_sources_[g];
      if (depth[g] > max_group_depth_) {
        Error(s, gp.Field("members"), "",
              absl::StrCat("group \"", grp->address(), "\" nests ", cut[g] ? "at least " : "",
                           depth[g], " levels deep; the limit is ", max_group_depth_),
              "raise settings.max_group_depth or flatten the groups");
      }
      if (static_cast<int64_t>(members.size()) > max_group_members_) {
        Error(s, gp.Field("members"), "",
              absl::StrCat("group \"", grp->address(), "\" expands to ", members.size(),
                           " accounts; the limit is ", max_group_members_),
              "raise settings.max_group_members");
      }
      stack.pop_back();
      state[g] = 2;
    };
    for (uint32_t g = 0; g < n; ++g) {
      if (state[g] == 0) visit(g);
    }
    for (uint32_t g = 0; g < n; ++g) {
      for (uint32_t a : snapshot_->groups[g].members) {
        snapshot_->accounts[a].groups.push_back(g);
      }
    }
    for (auto& a : snapshot_->accounts) SortUnique(&a.groups);
  }

  // AB-ALLOWLIST: the contact lists each account may use.
  void BuildContactLists() {
    const uint32_t num_accounts = snapshot_->accounts.size();
    const uint32_t num_groups = snapshot_->groups.size();
    for (uint32_t i = 0; i < num_accounts; ++i) {
      internal::CompiledAccount& a = snapshot_->accounts[i];
      if (has_contacts_[i]) a.contact_lists.push_back(i);
      for (uint32_t g : a.groups) {
        if (has_contacts_[num_accounts + g]) a.contact_lists.push_back(num_accounts + g);
      }
      for (uint32_t d = a.department; d != kNone; d = snapshot_->departments[d].parent) {
        uint32_t list = num_accounts + num_groups + d;
        if (has_contacts_[list]) a.contact_lists.push_back(list);
      }
      SortUnique(&a.contact_lists);
    }
  }

  // ---- rules --------------------------------------------------------------

  // Compiles what every rule has (id, messages, mode, severity, activation
  // window, scope, exemptions) here, and the kind's settings in the kind's
  // unit (policy/internal/rule.h).
  void CompileRule(size_t s, const v1::Rule& r, const FieldPath& rp) {
    const std::string& id = r.id();
    if (id.empty()) {
      Error(s, rp, "", "rule has no id", "every rule needs a unique id, e.g. \"ab-allowlist\"");
      return;
    }
    for (char c : id) {
      if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
        Error(s, rp.Field("id"), id,
              absl::StrCat("rule id \"", id, "\" may only use letters, digits, '-', '_' and '.'"));
        return;
      }
    }
    auto seen = rule_ids_.find(id);
    if (seen != rule_ids_.end()) {
      Error(s, rp.Field("id"), id,
            absl::StrCat("duplicate rule id \"", id, "\", first used at ", seen->second));
      return;
    }
    rule_ids_[id] = Where(s, rp.Field("id"));
    if (r.kind_case() == v1::Rule::KIND_NOT_SET) {
      Error(s, rp, id, absl::StrCat("rule \"", id, "\" sets no kind"),
            "add one rule kind, e.g. `address_book {}` or `subject {}`");
      return;
    }
    const internal::RuleKindDef* kind = internal::FindRuleKind(r.kind_case());
    if (kind == nullptr) {  // a schema kind without a unit: a bug, not the policy's
      Error(s, rp, id, absl::StrCat("rule kind field ", r.kind_case(), " is not implemented"));
      return;
    }
    RuleCompiler rc(sources_[s], rp, id, snapshot_->megabyte_bytes, errors_);
    CompiledRule cr;
    cr.id = id;
    cr.message_zh = r.message_zh();
    cr.message_en = r.message_en();
    cr.source = r.source();
    cr.kind = kind;
    cr.scope_account = kind->scope_account;
    cr.recipients = kind->recipients;
    cr.code = kind->code;
    cr.severity = r.severity() == v1::SEVERITY_UNSPECIFIED
                      ? kind->severity
                      : static_cast<Severity>(r.severity() - 1);
    cr.audit_only = r.mode() == v1::MODE_AUDIT_ONLY;
    cr.active_from = Date(s, rp.Field("active_from"), r.active_from(), absl::InfinitePast(), id);
    cr.active_until =
        Date(s, rp.Field("active_until"), r.active_until(), absl::InfiniteFuture(), id);
    if (cr.active_from >= cr.active_until) {
      Error(s, rp.Field("active_until"), id,
            absl::StrCat("rule \"", id, "\" is never active: active_until ", r.active_until(),
                         " is not after active_from ", r.active_from()));
    }
    CompileScope(s, r, rp, rc, &cr);
    std::unique_ptr<internal::RuleBody> body = kind->compile(r, rc);
    if (body == nullptr) return;
    cr.body = std::move(body);
    cr.index = static_cast<uint32_t>(snapshot_->rules.size());
    for (int side = 0; side < 3; ++side) {
      if ((kind->sides & (1u << side)) == 0) continue;
      snapshot_->rules_by_side[side].push_back(cr.index);
      if (!kind->needs_message) snapshot_->envelope_rules_by_side[side].push_back(cr.index);
    }
    if (snapshot_->group_report_rule == kNone && cr.body->reports_groups()) {
      snapshot_->group_report_rule = cr.index;
    }
    snapshot_->rules.push_back(std::move(cr));
  }

  void CompileScope(size_t s, const v1::Rule& r, const FieldPath& rp, RuleCompiler& rc,
                    CompiledRule* cr) {
    const v1::Scope& sc = r.scope();
    FieldPath sp = rp.Field("scope");
    for (int i = 0; i < sc.departments_size(); ++i) {
      auto it = department_index_.find(sc.departments(i));
      if (it == department_index_.end()) {
        Error(s, sp.Field("departments", i), r.id(),
              absl::StrCat("scope names unknown department \"", sc.departments(i), "\""),
              "departments are named by their id in organization.departments");
      } else {
        cr->scope.departments.push_back(it->second);
      }
    }
    for (int i = 0; i < sc.groups_size(); ++i) {
      uint32_t g = FindGroup(sc.groups(i));
      if (g == kNone) {
        Error(s, sp.Field("groups", i), r.id(),
              absl::StrCat("scope names unknown group \"", sc.groups(i), "\""));
      } else {
        cr->scope.groups.push_back(g);
      }
    }
    for (int k : sc.mailbox_kinds()) cr->scope.kind_mask |= 1u << k;
    for (int c : sc.channels()) cr->scope.channel_mask |= 1u << c;
    for (int d : sc.directions()) cr->scope.direction_mask |= 1u << d;
    if (cr->scope.direction_mask == 0) cr->scope.direction_mask = cr->kind->default_directions;
    for (int i = 0; i < sc.mailbox_kinds_size(); ++i) {
      if (sc.mailbox_kinds(i) == v1::MAILBOX_KIND_UNSPECIFIED) {
        Error(s, sp.Field("mailbox_kinds", i), r.id(), "scope lists MAILBOX_KIND_UNSPECIFIED");
      }
    }
    for (int i = 0; i < sc.channels_size(); ++i) {
      if (sc.channels(i) == v1::CHANNEL_UNSPECIFIED) {
        Error(s, sp.Field("channels", i), r.id(), "scope lists CHANNEL_UNSPECIFIED");
      }
    }
    SortUnique(&cr->scope.departments);
    SortUnique(&cr->scope.groups);
    const v1::Exemptions& ex = r.except();
    FieldPath ep = rp.Field("except");
    for (int i = 0; i < ex.accounts_size(); ++i) {
      uint32_t a = FindAccount(ex.accounts(i));
      if (a == kNone) {
        Error(s, ep.Field("accounts", i), r.id(),
              absl::StrCat("exemption names unknown account \"", ex.accounts(i), "\""));
      } else {
        cr->exempt_accounts.push_back(a);
      }
    }
    for (int i = 0; i < ex.groups_size(); ++i) {
      uint32_t g = FindGroup(ex.groups(i));
      if (g == kNone) {
        Error(s, ep.Field("groups", i), r.id(),
              absl::StrCat("exemption names unknown group \"", ex.groups(i), "\""));
      } else {
        cr->exempt_groups.push_back(g);
      }
    }
    if (ex.domains_size() > 0 && (cr->kind->sides & internal::kSideRecipient) == 0) {
      // Recipient domains exempt recipients; a kind that decides on the
      // message as a whole has none to leave out.
      Error(s, ep.Field("domains", 0), r.id(),
            absl::StrCat("except.domains has no effect on a ", cr->kind->name,
                         " rule: it decides on the message, not per recipient"),
            "exempt senders with except.accounts or except.groups, or scope the rule");
    }
    rc.Domains(ep.Field("domains"), ex.domains(), &cr->exempt_domains);
    SortUnique(&cr->exempt_accounts);
    SortUnique(&cr->exempt_groups);
    const internal::CompiledScope& scope = cr->scope;
    cr->plain = scope.channel_mask == 0 && scope.kind_mask == 0 && scope.departments.empty() &&
                scope.groups.empty() && cr->exempt_accounts.empty() &&
                cr->exempt_groups.empty();
  }

  void CompileHolds() {
    absl::flat_hash_map<std::string, std::string> ids;
    for (size_t s = 0; s < sources_.size(); ++s) {
      const v1::Policy& p = *sources_[s].policy;
      for (int i = 0; i < p.holds_size(); ++i) {
        const v1::Hold& h = p.holds(i);
        FieldPath hp = FieldPath().Field("holds", i);
        if (h.id().empty()) {
          Error(s, hp, "", "hold has no id");
          continue;
        }
        if (!ids.emplace(h.id(), Where(s, hp)).second) {
          Error(s, hp.Field("id"), h.id(),
                absl::StrCat("duplicate hold id \"", h.id(), "\", first used at ", ids[h.id()]));
          continue;
        }
        if (h.accounts_size() == 0) {
          Error(s, hp, h.id(), absl::StrCat("hold \"", h.id(), "\" names no accounts"));
        }
        for (int j = 0; j < h.accounts_size(); ++j) {
          if (FindAccount(h.accounts(j)) == kNone) {
            Error(s, hp.Field("accounts", j), h.id(),
                  absl::StrCat("hold names unknown account \"", h.accounts(j), "\""));
          }
        }
        absl::Time from = Date(s, hp.Field("from"), h.from(), absl::InfinitePast(), h.id());
        absl::Time until = Date(s, hp.Field("until"), h.until(), absl::InfiniteFuture(), h.id());
        if (from >= until) {
          Error(s, hp.Field("until"), h.id(),
                absl::StrCat("hold \"", h.id(), "\" ends (", h.until(), ") before it starts (",
                             h.from(), ")"));
        }
        ++snapshot_->holds;
      }
    }
  }

  // One RE2::Set per content field over every content rule's patterns.
  void BuildMatchers() {
    // A link as written, up to white space, quotes or angle brackets; the
    // links rule takes its host with an RFC 3986 parser. The body's scan
    // looks only for where links start (kUrlPattern: a form Hyperscan takes).
    // A link ends at white space, markup quotes, or CJK and full-width
    // punctuation (U+3000-U+303F, U+FF01-U+FF20: ，。「」（）), as clients
    // linkify Chinese text written without spaces.
    constexpr char kLinkPattern[] =
        R"re((?i)((?:https?://|ftp://|www\.)[^\s<>"'\x{3000}-\x{303F}\x{FF01}-\x{FF20}]+))re";
    constexpr char kUrlPattern[] = R"((?i)(?:https?://|ftp://|www\.))";
    bool any_links = false;
    for (const CompiledRule& rule : snapshot_->rules) any_links |= rule.body->needs_links();
    if (any_links) snapshot_->url_pattern = std::make_unique<RE2>(kLinkPattern);
    for (int field = 0; field < 3; ++field) {
      RE2::Options options;
      options.set_log_errors(false);
      options.set_max_mem(64 << 20);
      auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
      std::vector<uint32_t> owners;
      std::vector<std::string> forms;  // in set order
      for (uint32_t i = 0; i < snapshot_->rules.size(); ++i) {
        const CompiledRule& rule = snapshot_->rules[i];
        const internal::ContentPatterns* patterns = rule.body->content_patterns();
        if (patterns == nullptr || (patterns->field_mask & (1u << field)) == 0) continue;
        for (const std::string& form : patterns->forms) {
          std::string error;
          if (set->Add(form, &error) < 0) {
            errors_->push_back({"", 0, 0, "", rule.id, "pattern set: " + error, ""});
            continue;
          }
          owners.push_back(i);
          forms.push_back(form);
        }
      }
      if (owners.empty()) continue;
      // CNT-URL: the body's one scan also tells whether it holds a link.
      bool finds_links = false;
      if (field == internal::kFieldBody && any_links) {
        std::string error;
        finds_links = set->Add(kUrlPattern, &error) >= 0;
        if (finds_links) {
          owners.push_back(kNone);
          forms.push_back(kUrlPattern);
        }
      }
      if (!set->Compile()) {
        errors_->push_back({sources_.empty() ? "" : sources_[0].name, 0, 0, "", "",
                            "content patterns together are too large to compile",
                            "split the pattern lists or simplify the patterns"});
        continue;
      }
      snapshot_->field_matchers[field].set = std::move(set);
      // The body is long; subjects and file names are not worth a Hyperscan
      // database (tens of milliseconds to build). An optimisation only:
      // without it the field is matched by RE2 alone.
      if (field == internal::kFieldBody) {
        snapshot_->field_matchers[field].prefilter = content::Prefilter::Build(forms);
      }
      snapshot_->field_matchers[field].pattern_rule = std::move(owners);
      snapshot_->field_matchers[field].finds_links = finds_links;
    }
  }

  template <typename T>
  struct LocatedProto {
    size_t source;
    FieldPath path;
    const T* proto;
  };

  const std::vector<ParsedSource>& sources_;
  std::vector<CompileError>* errors_;
  std::unique_ptr<Snapshot> snapshot_;
  std::pair<size_t, FieldPath> timezone_path_{0, FieldPath()};
  int max_group_depth_ = kDefaultMaxGroupDepth;
  int64_t max_group_members_ = kDefaultMaxGroupMembers;
  uint32_t next_address_id_ = 0;

  absl::flat_hash_map<std::string, uint32_t> department_index_;
  std::vector<std::pair<size_t, FieldPath>> department_sources_;
  std::vector<LocatedProto<v1::Account>> account_sources_;
  std::vector<LocatedProto<v1::Group>> group_sources_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> direct_accounts_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> direct_groups_;
  std::vector<bool> has_contacts_;  // per contact list
  std::vector<std::pair<uint32_t, uint32_t>> contact_pairs_;  // (address id, list)
  absl::flat_hash_map<const google::protobuf::Descriptor*, bool> holds_enums_;
  absl::flat_hash_map<std::string, std::string> rule_ids_;
};

}  // namespace
}  // namespace compiler

namespace compiler {

absl::Status ErrorsToStatus(const std::vector<CompileError>& errors, size_t first) {
  std::string message;
  for (size_t i = first; i < errors.size(); ++i) {
    if (!message.empty()) message += '\n';
    message += errors[i].ToString();
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace compiler

std::string CompileError::ToString() const {
  std::string out = file.empty() ? "<policy>" : file;
  if (line > 0) absl::StrAppend(&out, ":", line, ":", column);
  absl::StrAppend(&out, ": error: ", message);
  if (!rule_id.empty()) absl::StrAppend(&out, " [rule ", rule_id, "]");
  if (!field_path.empty()) absl::StrAppend(&out, " [at ", field_path, "]");
  if (!hint.empty()) absl::StrAppend(&out, " (hint: ", hint, ")");
  // One line, valid UTF-8, whatever a path or a quoted policy fragment
  // holds: a newline in a file name cannot forge a second error.
  return internal::EscapeForDisplay(out);
}

absl::StatusOr<std::shared_ptr<const Policy>> Compile(absl::Span<const PolicySource> sources,
                                                      std::vector<CompileError>* errors) {
  std::vector<CompileError> local;
  std::vector<CompileError>* out = errors != nullptr ? errors : &local;
  size_t first = out->size();
  std::vector<compiler::ParsedSource> parsed(sources.size());
  bool parsed_all = true;
  for (size_t i = 0; i < sources.size(); ++i) {
    parsed_all &= compiler::ParseSource(sources[i], &parsed[i], out);
  }
  if (sources.empty()) {
    out->push_back({"", 0, 0, "", "", "no policy sources given", ""});
  }
  for (size_t i = 0; i < sources.size() && parsed_all; ++i) {
    if (sources[i].includes_followed || parsed[i].policy->includes_size() == 0) continue;
    CompileError e;
    e.file = sources[i].name;
    const compiler::FieldPath first_include = compiler::FieldPath().Field("includes", 0);
    parsed[i].Locate(first_include, &e.line, &e.column);
    e.field_path = first_include.ToString();
    e.message = absl::StrCat("includes (\"", parsed[i].policy->includes(0),
                             "\") are followed only when the policy is read from a file");
    e.hint = "load the file (mp_engine_reload_file, CompileFiles), or merge it first: "
             "mailpolicy compile FILE --out merged.binpb";
    out->push_back(std::move(e));
  }
  if (parsed_all && !sources.empty()) {
    compiler::Compiler compiler(parsed, out);
    std::unique_ptr<internal::Snapshot> snapshot = compiler.Run();
    if (out->size() == first) return PolicyBuilder::Make(std::move(snapshot));
  }
  return compiler::ErrorsToStatus(*out, first);
}

}  // namespace mailpolicy

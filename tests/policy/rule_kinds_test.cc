// Copyright 2026 The mailpolicy Authors.
//
// The table of rule kinds (policy/rule_kinds.cc) against the schema: every
// case of mailpolicy.v1.Rule.kind has exactly one unit, whose name, field
// number and domain agree with it.

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "policy/internal/rule_kinds.h"
#include "policy/proto/policy.pb.h"

namespace mailpolicy {
namespace internal {
namespace {

const google::protobuf::OneofDescriptor* KindOneof() {
  return v1::Rule::descriptor()->FindOneofByName("kind");
}

TEST(RuleKinds, EverySchemaKindHasOneUnit) {
  const google::protobuf::OneofDescriptor* kind = KindOneof();
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(RuleKinds().size(), static_cast<size_t>(kind->field_count()));
  for (int i = 0; i < kind->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = kind->field(i);
    const RuleKindDef* def = FindRuleKind(field->number());
    ASSERT_NE(def, nullptr) << "rule kind " << field->name() << " has no unit";
    EXPECT_EQ(def->name, field->name()) << "field " << field->number();
  }
}

TEST(RuleKinds, UnitsAreWellFormed) {
  const std::set<std::string> domains = {"accounts", "address_book", "attachments",
                                         "content",  "retention",    "naming"};
  std::set<int> fields;
  std::set<std::string> names;
  for (const RuleKindDef* def : RuleKinds()) {
    const std::string name(def->name);
    EXPECT_TRUE(fields.insert(def->schema_field).second) << name << ": field listed twice";
    EXPECT_TRUE(names.insert(name).second) << name << ": listed twice";
    EXPECT_TRUE(domains.count(std::string(def->domain))) << name << ": domain " << def->domain;
    EXPECT_NE(def->compile, nullptr) << name;
    EXPECT_NE(def->default_directions, 0u) << name << ": no default direction";
    EXPECT_EQ(def->sides & ~(kSideSender | kSideRecipient | kSideMessage), 0) << name;
    if (def->scope_account == ScopeAccount::kRecipient) {
      EXPECT_EQ(def->sides, kSideRecipient) << name << ": the receiving mailbox is per recipient";
    }
    if (def->scope_account == ScopeAccount::kEither) {
      EXPECT_EQ(def->sides, kSideMessage) << name << ": either side is a message-level check";
    }
  }
}

}  // namespace
}  // namespace internal
}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.

#include "policy/content/chinese_variants.h"

#include "gtest/gtest.h"

namespace mailpolicy {
namespace content {
namespace {

TEST(ChineseVariants, TraditionalAndSimplifiedBothWays) {
  auto from_traditional = ChineseVariants("機密|內部資料");
  ASSERT_EQ(from_traditional.size(), 2u);
  EXPECT_EQ(from_traditional[0], "机密|内部资料");
  EXPECT_EQ(from_traditional[1], "機密|內部資料");
  auto from_simplified = ChineseVariants("广告");
  EXPECT_EQ(from_simplified[0], "广告");
  EXPECT_EQ(from_simplified[1], "廣告");
}

TEST(ChineseVariants, Re2SyntaxPassesThrough) {
  auto v = ChineseVariants(R"((?i)confidential\s+\d+)");
  EXPECT_EQ(v[0], R"((?i)confidential\s+\d+)");
  EXPECT_EQ(v[1], R"((?i)confidential\s+\d+)");
}

}  // namespace
}  // namespace content
}  // namespace mailpolicy

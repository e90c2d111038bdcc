// Copyright 2026 The mailpolicy Authors.
//
// The notations administrators write: sizes, durations, dates, addresses.

#include "policy/compiler/values.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace mailpolicy {
namespace compiler {
namespace {

TEST(ParseSize, MegabytesFollowThePolicy) {
  EXPECT_EQ(*ParseSize("2 MB", 1048576), 2097152);
  EXPECT_EQ(*ParseSize("2MB", 1000000), 2000000);
  EXPECT_EQ(*ParseSize("10 MiB", 1000000), 10485760);
  EXPECT_EQ(*ParseSize("512 KB", 1048576), 524288);
  EXPECT_EQ(*ParseSize("1.5 MB", 1048576), 1572864);
  EXPECT_EQ(*ParseSize("100", 1048576), 100);
}

TEST(ParseSize, RejectsWithAReason) {
  auto bad_unit = ParseSize("2 MiBs", 1048576);
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_NE(bad_unit.status().message().find("unknown unit"), absl::string_view::npos);
  EXPECT_FALSE(ParseSize("MB", 1048576).ok());
  EXPECT_FALSE(ParseSize("", 1048576).ok());
}

TEST(ParseDuration, UnitsAndSums) {
  EXPECT_EQ(*ParseDuration("90d"), absl::Hours(24 * 90));
  EXPECT_EQ(*ParseDuration("2w"), absl::Hours(24 * 14));
  EXPECT_EQ(*ParseDuration("1d12h"), absl::Hours(36));
  EXPECT_FALSE(ParseDuration("90").ok());
  EXPECT_FALSE(ParseDuration("90y").ok());
  EXPECT_FALSE(ParseDuration("").ok());
}

TEST(ParseDate, BareDatesAreLocalMidnight) {
  absl::TimeZone shanghai = absl::FixedTimeZone(8 * 3600);
  absl::Time t = *ParseDate("2026-03-01", shanghai);
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, absl::UTCTimeZone()),
            "2026-02-28T16:00:00+00:00");
  EXPECT_TRUE(ParseDate("2026-03-01T08:00:00+08:00", shanghai).ok());
  EXPECT_FALSE(ParseDate("2026-13-01", shanghai).ok());
  EXPECT_FALSE(ParseDate("yesterday", shanghai).ok());
}

TEST(ValidateAddress, SaysWhatIsWrong) {
  EXPECT_TRUE(ValidateAddress("zhangsanfeng@hzxt.com.cn").ok());
  EXPECT_NE(ValidateAddress("zhangsanfeng").message().find("no '@'"), absl::string_view::npos);
  EXPECT_FALSE(ValidateAddress("@hzxt.com.cn").ok());
  EXPECT_FALSE(ValidateAddress("a b@hzxt.com.cn").ok());
  EXPECT_FALSE(ValidateAddress("zhang@hzxt..cn").ok());
  EXPECT_FALSE(ValidateDomain("hzxt_com.cn").ok());
}

TEST(ParseTimeOfDay, Bounds) {
  EXPECT_EQ(*ParseTimeOfDay("09:00"), 540);
  EXPECT_FALSE(ParseTimeOfDay("25:00").ok());
  EXPECT_FALSE(ParseTimeOfDay("9:00").ok());
}

}  // namespace
}  // namespace compiler
}  // namespace mailpolicy

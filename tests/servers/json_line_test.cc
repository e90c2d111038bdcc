// Copyright 2026 The mailpolicy Authors.
//
// The decision log's line: valid JSON whatever the request's bytes.

#include "servers/common/json_line.h"

#include <string>

#include "gtest/gtest.h"

namespace mailpolicy {
namespace servers {
namespace {

TEST(JsonLineTest, EscapesWhatJsonRequires) {
  JsonLine j;
  j.Begin();
  j.String("plain", "zhaomin@hzxt.com.cn");
  j.String("quote", "a\"b\\c");
  j.String("controls", std::string("a\nb\r\x01", 5));
  j.String("utf8", "報價單");
  j.String("not utf8", "\xff\xfe" "a\"");
  j.Int("n", -3);
  j.BeginObject("rate_counts");
  j.Member(3600, 12);
  j.Member(60, 0);
  j.EndObject();
  j.BeginArray("reasons");
  j.Item("rate.exceeded");
  j.Item("x");
  j.EndArray();
  j.BeginArray("empty");
  j.EndArray();
  EXPECT_EQ(j.End(),
            "{\"plain\":\"zhaomin@hzxt.com.cn\",\"quote\":\"a\\\"b\\\\c\","
            "\"controls\":\"a\\u000ab\\u000d\\u0001\",\"utf8\":\"報價單\","
            "\"not utf8\":\"\\\\xff\\\\xfea\\\"\",\"n\":-3,"
            "\"rate_counts\":{\"3600\":12,\"60\":0},\"reasons\":[\"rate.exceeded\",\"x\"],"
            "\"empty\":[]}");
}

TEST(JsonLineTest, BeginStartsOver) {
  JsonLine j;
  j.Begin();
  j.String("a", "1");
  j.End();
  j.Begin();
  j.String("b", "2");
  EXPECT_EQ(j.End(), "{\"b\":\"2\"}");
}

}  // namespace
}  // namespace servers
}  // namespace mailpolicy

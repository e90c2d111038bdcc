// Copyright 2026 The mailpolicy Authors.
//
// The policy delegation protocol's request reader: requests as Postfix
// sends them, in any cuts, and the malformed input that closes a connection.

#include "servers/policyd/policy_protocol.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mailpolicy {
namespace policyd {
namespace {

constexpr char kRcpt[] =
    "request=smtpd_access_policy\n"
    "protocol_state=RCPT\n"
    "protocol_name=ESMTP\n"
    "sender=\n"
    "recipient=liuyang@hzxt.com.cn\n"
    "instance=1a2b.6759a3c1.8e2f0.0\n"
    "size=0\n"
    "policy_context=mta\n"
    "\n";

// Every request in `input`, read in pieces of `step` bytes; "ERROR: ..."
// for an error.
std::vector<std::string> Read(const std::string& input, size_t step) {
  PolicyRequestReader reader;
  std::vector<std::string> out;
  for (size_t at = 0; at < input.size(); at += step) {
    reader.Feed(input.substr(at, step));
    PolicyRequest r;
    while (true) {
      const PolicyRequestReader::Result result = reader.Next(&r);
      if (result == PolicyRequestReader::Result::kNeedMore) break;
      if (result == PolicyRequestReader::Result::kError) {
        out.push_back("ERROR: " + std::string(reader.error().message()));
        return out;
      }
      out.push_back(std::string(r.Get("protocol_state")) + " " + std::string(r.Get("recipient")) +
                    " " + std::to_string(r.size()));
    }
  }
  return out;
}

TEST(PolicyRequestReaderTest, RequestsInAnyCuts) {
  const std::string two = std::string(kRcpt) + kRcpt;
  for (size_t step = 1; step <= two.size(); ++step) {
    EXPECT_EQ(Read(two, step),
              (std::vector<std::string>{"RCPT liuyang@hzxt.com.cn 8", "RCPT liuyang@hzxt.com.cn 8"}))
        << "step " << step;
  }
}

TEST(PolicyRequestReaderTest, AttributesAsSent) {
  PolicyRequestReader reader;
  reader.Feed(kRcpt);
  PolicyRequest r;
  ASSERT_EQ(reader.Next(&r), PolicyRequestReader::Result::kRequest);
  EXPECT_TRUE(r.Has("sender"));  // present, empty: the null sender
  EXPECT_EQ(r.Get("sender"), "");
  EXPECT_FALSE(r.Has("sasl_username"));
  EXPECT_EQ(r.Get("policy_context"), "mta");
  EXPECT_EQ(reader.Next(&r), PolicyRequestReader::Result::kNeedMore);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(PolicyRequestReaderTest, CrLfLineEndsAndValuesWithEquals) {
  EXPECT_EQ(Read("request=smtpd_access_policy\r\nprotocol_state=RCPT\r\n"
                 "recipient=a=b@x.example\r\n\r\n", 5),
            (std::vector<std::string>{"RCPT a=b@x.example 3"}));
}

struct BadCase {
  const char* name;
  std::string input;
  const char* says;
};

TEST(PolicyRequestReaderTest, MalformedInputIsAnError) {
  const std::vector<BadCase> cases = {
      {"no equals", "request=smtpd_access_policy\ngarbage\n\n", "line 2 of the connection: no '='"},
      {"empty request", "\n", "an empty request"},
      {"upper-case name", "Request=x\n\n", "is not lower-case letters"},
      {"empty name", "=x\n\n", "an empty attribute name"},
      {"NUL in a value", std::string("sender=a\0b\n\n", 12), "a NUL byte in the value of sender"},
      {"long line", "recipient=" + std::string(5000, 'a') + "\n\n", "longer than 4096 bytes"},
      {"endless line", std::string(1 << 20, 'x'), "without a line end"},
      {"binary", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 12), "no '='"},
      {"too many attributes",
       [] {
         std::string s;
         for (int i = 0; i < 10000; ++i) s += "a" + std::to_string(i) + "=v\n";
         return s + "\n";
       }(),
       "more than 256 attributes"},
  };
  for (const BadCase& c : cases) {
    for (size_t step : {size_t{1}, size_t{7}, c.input.size()}) {
      const std::vector<std::string> got = Read(c.input, step);
      ASSERT_FALSE(got.empty()) << c.name << " step " << step;
      EXPECT_NE(got.back().find(c.says), std::string::npos)
          << c.name << " step " << step << ": " << got.back();
    }
  }
}

TEST(PolicyRequestReaderTest, AnErrorIsFinal) {
  PolicyRequestReader reader;
  reader.Feed("garbage\n");
  PolicyRequest r;
  EXPECT_EQ(reader.Next(&r), PolicyRequestReader::Result::kError);
  reader.Feed(kRcpt);
  EXPECT_EQ(reader.Next(&r), PolicyRequestReader::Result::kError);
}

TEST(PolicyRequestReaderTest, MemoryStaysBoundedOnAnEndlessLine) {
  PolicyRequestReader reader;
  const std::string chunk(1000, 'x');
  PolicyRequest r;
  PolicyRequestReader::Result result = PolicyRequestReader::Result::kNeedMore;
  for (int i = 0; i < 100 && result == PolicyRequestReader::Result::kNeedMore; ++i) {
    reader.Feed(chunk);
    result = reader.Next(&r);
    if (result == PolicyRequestReader::Result::kNeedMore) {
      EXPECT_LE(reader.buffered(), kMaxLineBytes + 1);
    }
  }
  EXPECT_EQ(result, PolicyRequestReader::Result::kError);
}

}  // namespace
}  // namespace policyd
}  // namespace mailpolicy

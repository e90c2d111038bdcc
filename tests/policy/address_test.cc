// Copyright 2026 The mailpolicy Authors.
//
// Envelope addresses at the boundary (policy/address.h): the forms an MTA
// hands over are taken, everything else is refused with the byte at fault.

#include "policy/address.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mailpolicy {
namespace {

using ::testing::HasSubstr;

struct AddressCase {
  const char* name;
  std::string text;
  EnvelopeRole role;
  bool ok;
  std::string result_or_error;  // the address, or part of the error
};

TEST(ParseEnvelopeAddress, TakesWhatAnMtaHandsOverAndNothingElse) {
  constexpr EnvelopeRole kSender = EnvelopeRole::kSender;
  constexpr EnvelopeRole kRecipient = EnvelopeRole::kRecipient;
  const AddressCase cases[] = {
      {"plain", "zhaomin@hzxt.com.cn", kRecipient, true, "zhaomin@hzxt.com.cn"},
      {"in angle brackets", "<zhaomin@hzxt.com.cn>", kRecipient, true, "zhaomin@hzxt.com.cn"},
      {"the null sender, empty", "", kSender, true, ""},
      {"the null sender, <>", "<>", kSender, true, ""},
      {"an empty recipient", "", kRecipient, false, "empty recipient"},
      {"<> as a recipient", "<>", kRecipient, false, "null sender"},
      {"a display name", "Zhao Min <zhaomin@hzxt.com.cn>", kRecipient, false, "display name"},
      {"a Chinese display name", "趙敏 <zhaomin@hzxt.com.cn>", kSender, false, "display name"},
      {"a leading space", " zhaomin@hzxt.com.cn", kSender, false, "byte 0: a space before"},
      {"a trailing NUL", std::string("a@b.cn\0", 7), kSender, false, "byte 6: a NUL byte after"},
      {"an embedded NUL", std::string("a\0b@c.cn", 8), kSender, false, "byte 1: a NUL byte"},
      {"a tab inside", "zhao\tmin@hzxt.com.cn", kSender, false, "byte 4: a tab"},
      {"a second SMTP command after a line feed", "li@a.cn\nRCPT TO:<x@evil.com>", kRecipient,
       false, "byte 7: "},
      {"CR LF at the end", "zhaomin@hzxt.com.cn\r\n", kSender, false, "byte 19: "},
      {"a 64-octet domain label", "a@" + std::string(64, 'b') + ".cn", kRecipient, false,
       "longer than 63 octets"},
      // Linear work whatever the text (a megabyte of control bytes in quotes).
      {"a megabyte of quoted control bytes", "\"" + std::string(1 << 20, '\x01') + "\"@b.cn",
       kRecipient, false, "longer than 254 octets"},
      {"a source route (RFC 5321 4.1.2: accepted, the route ignored)",
       "<@relay1.example,@relay2.example:zhaomin@hzxt.com.cn>", kRecipient, true,
       "zhaomin@hzxt.com.cn"},
      {"a source route without its ':'", "<@relay.example>", kRecipient, false,
       "without its ':'"},
      {"a 63-octet domain label", "a@" + std::string(63, 'b') + ".cn", kRecipient, true,
       "a@" + std::string(63, 'b') + ".cn"},
      {"no @", "not-an-address", kRecipient, false, "no '@'"},
      {"an empty local part", "@hzxt.com.cn", kRecipient, false, "empty local part"},
      {"an empty domain", "zhaomin@", kRecipient, false, "empty domain"},
      {"two dots", "zhao..min@hzxt.com.cn", kRecipient, false, "two in a row"},
      {"an empty label", "a@hzxt..cn", kRecipient, false, "empty label"},
      {"an unclosed bracket", "<a@b.cn", kRecipient, false, "without a closing '>'"},
      {"a quoted local part", "\"zhao min\"@hzxt.com.cn", kRecipient, true,
       "\"zhao min\"@hzxt.com.cn"},
      {"a UTF-8 local part and domain (RFC 6531)", "趙敏@例子.中国", kRecipient, true,
       "趙敏@例子.中国"},
      {"an address literal", "postmaster@[192.0.2.1]", kRecipient, true,
       "postmaster@[192.0.2.1]"},
      {"the root's trailing dot", "a@hzxt.com.cn.", kRecipient, true, "a@hzxt.com.cn."},
      {"a quoted local part that needs no quotes", "\"zhaomin\"@hzxt.com.cn", kSender, true,
       "zhaomin@hzxt.com.cn"},
      {"a trailing no-break space", "zhaomin@hzxt.com.cn\xC2\xA0", kSender, false,
       "Unicode white space (U+00A0)"},
      {"an ideographic space", "\xE3\x80\x80zhaomin@hzxt.com.cn", kSender, false,
       "byte 0: Unicode white space (U+3000)"},
      {"a BOM", "\xEF\xBB\xBFzhaomin@hzxt.com.cn", kRecipient, false, "invisible"},
      {"a C1 control", "zhaomin\xC2\x85@hzxt.com.cn", kRecipient, false, "U+0085"},
      {"a line separator", "a@b.cn\xE2\x80\xA8", kRecipient, false, "U+2028"},
      {"invalid UTF-8", "zhao\xFFmin@hzxt.com.cn", kSender, false, "byte 4: a byte that is not"},
      {"a local part of 65 octets", std::string(65, 'a') + "@b.cn", kRecipient, false,
       "longer than 64"},
      {"a path of 255 octets", "a@" + std::string(253, 'b'), kRecipient, false,
       "longer than 254"},
  };
  for (const AddressCase& c : cases) {
    absl::StatusOr<std::string> got = ParseEnvelopeAddress(c.text, c.role);
    ASSERT_EQ(got.ok(), c.ok) << c.name << ": " << got.status();
    if (c.ok) {
      EXPECT_EQ(*got, c.result_or_error) << c.name;
    } else {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
      EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.result_or_error)) << c.name;
    }
  }
}

TEST(CheckSendRequest, NamesWhatIsMissingOrWrong) {
  MessageFacts facts;
  absl::Status st = CheckSendRequest(facts);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(st.message()), HasSubstr("no channel, no recipient"));
  facts.channel = Channel::kWeb;
  facts.recipients = {"wangjianguo@hzxt.com.cn"};
  st = CheckSendRequest(facts);  // the time is still the epoch
  EXPECT_THAT(std::string(st.message()), HasSubstr("outside the years 2000 to 2199"));
  facts.now = absl::FromUnixSeconds(1795658400);
  facts.envelope_sender = "zhaomin@hzxt.com.cn";
  EXPECT_TRUE(CheckSendRequest(facts).ok());
  facts.envelope_sender = "";  // the null sender
  EXPECT_TRUE(CheckSendRequest(facts).ok());
  facts.recipients.push_back("<lisi@hzxt.com.cn>");
  st = CheckSendRequest(facts);
  EXPECT_THAT(std::string(st.message()), HasSubstr("must be given as \"lisi@hzxt.com.cn\""));
  facts.recipients.back() = "Li Si <lisi@hzxt.com.cn>";
  st = CheckSendRequest(facts);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("recipient 1"));
}

}  // namespace
}  // namespace mailpolicy

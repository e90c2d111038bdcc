// Copyright 2026 The mailpolicy Authors.

#include "policy/mime/mime.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>  // NOLINT(build/c++11)
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/message.h"
#include "tests/mime/test_files.h"

// ThreadSanitizer: glib's GMutex is a bare futex, which TSan cannot see, so
// the caches GMime and glib guard with it look racy; likewise glibc's
// loading and unloading of iconv's gconv modules (dlopen/dlclose under the
// loader's own lock), which concurrent charset conversions trigger. All
// are uninstrumented system code; what is ours is still checked.
extern "C" const char* __tsan_default_suppressions() {
  return "race:libglib-2.0.so.0\nrace:libgmime-3.0.so.0\nrace:_dl_close_worker\n"
         "race:ld-linux-x86-64.so.2\n";
}

namespace mailpolicy {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Bazel runs tests in the workspace's runfiles directory.
std::string ReadTestdata(absl::string_view name) {
  const std::string path = absl::StrCat("tests/mime/testdata/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

MessageFacts ParseTestdata(absl::string_view name) {
  absl::StatusOr<MessageFacts> facts = ParseMessage(ReadTestdata(name));
  EXPECT_TRUE(facts.ok()) << name << ": " << facts.status();
  return facts.ok() ? *std::move(facts) : MessageFacts();
}

testing::Matcher<const Attachment&> IsAttachment(
    const std::string& file_name, const std::string& content_type,
    uint64_t size, const std::string& first_bytes) {
  return AllOf(Field("file_name", &Attachment::file_name, file_name),
               Field("content_type", &Attachment::content_type, content_type),
               Field("size", &Attachment::size, size),
               Field("first_bytes", &Attachment::first_bytes, first_bytes));
}

// A one-line-body message with `headers` (lines without the final "\n").
absl::StatusOr<MessageFacts> ParseWithHeaders(absl::string_view headers) {
  return ParseMessage(absl::StrCat("From: a@example.cn\n", headers, "\n\nb\n"));
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t n = c < 0x80         ? 1
               : (c >> 5) == 6  ? 2
               : (c >> 4) == 14 ? 3
               : (c >> 3) == 30 ? 4
                                : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

void ExpectAllUtf8(const MessageFacts& facts) {
  EXPECT_TRUE(IsValidUtf8(facts.subject)) << facts.subject;
  for (const std::string& text : facts.text_parts) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
  for (const Attachment& attachment : facts.attachments) {
    EXPECT_TRUE(IsValidUtf8(attachment.file_name)) << attachment.file_name;
  }
}

// --- Character sets -------------------------------------------------------

TEST(ParseMessageTest, GbkBodyWithGb2312Subject) {
  const std::string raw = ReadTestdata("gbk_body.eml");
  const MessageFacts facts = ParseTestdata("gbk_body.eml");
  EXPECT_TRUE(facts.has_subject);
  EXPECT_EQ(facts.subject, "关于第一季度报价单的通知");
  // 镕 is in GBK but not in GB 2312.
  EXPECT_THAT(facts.text_parts,
              ElementsAre("李娜您好：\n\n附件是第一季度的报价单，请查收。"
                          "朱镕基同志的讲话稿另附。\n\n王小明\n"));
  EXPECT_THAT(facts.attachments, IsEmpty());
  EXPECT_EQ(facts.message_size, raw.size());
  EXPECT_FALSE(facts.forwarded);
  EXPECT_FALSE(facts.auto_forwarded);
}

TEST(ParseMessageTest, Gb2312LabelIsDecodedAsGb18030) {
  // Labelled gb2312, yet carrying 镕 (GBK), 䶮 (GB 18030 two-byte, a private
  // use code point in GBK) and 𠮷 (GB 18030 four-byte), in both the subject
  // and the quoted-printable body.
  const MessageFacts facts = ParseTestdata("gb2312_mislabelled.eml");
  EXPECT_EQ(facts.subject, "刘䶮与朱镕基、𠮷野");
  EXPECT_THAT(facts.text_parts, ElementsAre("报价：刘䶮、朱镕基、𠮷野。\n"));
}

TEST(ParseMessageTest, Big5BodyAsOutlookSendsIt) {
  // Labelled big5, encoded as CP950 (the euro sign is not in plain Big5);
  // CRLF line endings are kept.
  const MessageFacts facts = ParseTestdata("big5_body.eml");
  EXPECT_EQ(facts.subject, "報價單確認");
  EXPECT_THAT(facts.text_parts,
              ElementsAre("陳先生您好：\r\n\r\n報價單已確認，總價 €1,200 元。"
                          "\r\n\r\n張美玲\r\n"));
}

TEST(ParseMessageTest, UndeclaredEightBitGbkIsDecoded) {
  // Raw GBK bytes with no charset anywhere, as old clients send them.
  const MessageFacts facts =
      ParseMessage(
          "From: a@example.cn\nSubject: \xB1\xA8\xBC\xDB\n\n"
          "\xB1\xA8\xBC\xDB\xB5\xA5\n")
          .value();
  EXPECT_EQ(facts.subject, "报价");
  EXPECT_THAT(facts.text_parts, ElementsAre("报价单\n"));
}

TEST(ParseMessageTest, BadBytesBecomeReplacementCharacters) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n"
          "ok \xFF\xFE ok\n")
          .value();
  EXPECT_THAT(facts.text_parts,
              ElementsAre("ok \xEF\xBF\xBD\xEF\xBF\xBD ok\n"));
}

TEST(ParseMessageTest, CharsetUnknownToIconvIsReadAsUndeclared) {
  const MessageFacts facts = ParseMessage(
                                 "Subject: x\nContent-Type: text/plain; "
                                 "charset=x-no-such-charset\n\n中文\n")
                                 .value();
  EXPECT_THAT(facts.text_parts, ElementsAre("中文\n"));
}

TEST(ParseMessageTest, OtherDeclaredCharsetsGoThroughIconv) {
  const MessageFacts facts = ParseMessage(
                                 "Subject: =?ISO-8859-1?Q?Caf=E9?=\n"
                                 "Content-Type: text/plain; charset=utf-16le\n"
                                 "Content-Transfer-Encoding: base64\n\n"
                                 "SgBhAHAAYQBuACAA5WUsZw==\n")
                                 .value();
  EXPECT_EQ(facts.subject, "Café");
  EXPECT_THAT(facts.text_parts, ElementsAre("Japan 日本"));
}

// --- Subject --------------------------------------------------------------

TEST(ParseMessageTest, MissingSubject) {
  const MessageFacts facts = ParseTestdata("no_subject.eml");
  EXPECT_FALSE(facts.has_subject);
  EXPECT_EQ(facts.subject, "");
  EXPECT_THAT(facts.text_parts, ElementsAre("A message without a subject.\n"));
}

TEST(ParseMessageTest, WhitespaceOnlySubjectIsEmpty) {
  const MessageFacts facts = ParseTestdata("blank_subject.eml");
  EXPECT_TRUE(facts.has_subject);
  EXPECT_EQ(facts.subject, "");
}

TEST(ParseMessageTest, IdeographicSpaceSubjectIsEmpty) {
  const MessageFacts facts =
      ParseMessage("Subject: =?UTF-8?B?44CA44CA?= \n\nbody\n").value();
  EXPECT_TRUE(facts.has_subject);
  EXPECT_EQ(facts.subject, "");
}

TEST(ParseMessageTest, SubjectIsTrimmedAndUnfolded) {
  const MessageFacts facts =
      ParseMessage(
          "Subject:   =?UTF-8?B?5aCx5YO5?=\r\n =?UTF-8?B?5Zau?=  "
          "Q1 \r\n\r\nbody\r\n")
          .value();
  EXPECT_EQ(facts.subject, "報價單  Q1");
}

// --- Attachments ----------------------------------------------------------

TEST(ParseMessageTest, AttachmentNamesDecodedFromRfc2231AndRfc2047) {
  const MessageFacts facts = ParseTestdata("attachment_names.eml");
  EXPECT_EQ(facts.subject, "報價單與合同");
  EXPECT_THAT(facts.text_parts, ElementsAre("請見附件。"));
  const std::string zip("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10);
  const std::string pdf("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n");
  const std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  EXPECT_THAT(
      facts.attachments,
      ElementsAre(
          // filename*=UTF-8''%E5%A0%B1...
          IsAttachment("報價單.zip", "application/zip", 50,
                       zip + std::string("\x00\x01\x02\x03\x04\x05", 6)),
          // filename="=?UTF-8?B?...?="; declared "Application/PDF".
          IsAttachment("合同.pdf", "application/pdf", pdf.size(),
                       pdf.substr(0, 16)),
          // filename*=gb2312''... carrying 镕 (GBK only).
          IsAttachment("镕钢报价.xls", "application/vnd.ms-excel", 32,
                       xls + std::string(8, '\0'))));
  EXPECT_FALSE(facts.forwarded);
}

TEST(ParseMessageTest, TwoMebibyteAttachment) {
  const std::string raw = ReadTestdata("large_attachment.eml");
  ASSERT_LT(raw.size(), 3u * 1000 * 1000);
  const MessageFacts facts = ParseMessage(raw).value();
  EXPECT_EQ(facts.message_size, raw.size());
  EXPECT_THAT(facts.text_parts, ElementsAre("The archive is attached."));
  ASSERT_EQ(facts.attachments.size(), 1u);
  const Attachment& zip = facts.attachments[0];
  EXPECT_EQ(zip.file_name, "q1-archive.zip");
  EXPECT_EQ(zip.content_type, "application/zip");
  EXPECT_EQ(zip.size, 2097152u);
  EXPECT_EQ(zip.first_bytes.size(), 16u);
  EXPECT_THAT(zip.first_bytes, StartsWith(std::string("PK\x03\x04")));
}

TEST(ParseMessageTest, NestedAlternativeAndInlineParts) {
  const MessageFacts facts = ParseTestdata("nested_alternative.eml");
  EXPECT_EQ(facts.subject, "會議 agenda");
  // Both alternatives, in order; the inline picture without a name counts
  // as an attachment (so that no file slips past the attachment rules), as
  // does the named calendar. The
  // line break before a boundary belongs to the boundary (RFC 2046 5.1.1),
  // so a part in a multipart ends without it unless it is encoded.
  // The HTML alternative as its visible text (a <p> is a line; the source's
  // line break after it is white space, as HTML renders it).
  EXPECT_THAT(facts.text_parts, ElementsAre("會議議程見下。", "\n會議議程見下。\n "));
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[0].file_name, "");
  EXPECT_EQ(facts.attachments[0].content_type, "image/png");
  EXPECT_THAT(facts.attachments[1],
              IsAttachment("agenda.ics", "text/calendar", 29, "BEGIN:VCALENDAR\n"));
}

TEST(ParseMessageTest, DispositionAttachmentWithoutNameIsAnAttachment) {
  const MessageFacts facts = ParseMessage(
                                 "Subject: log\nContent-Type: text/plain\n"
                                 "Content-Disposition: attachment\n\nline 1\n")
                                 .value();
  EXPECT_THAT(facts.text_parts, IsEmpty());
  EXPECT_THAT(facts.attachments,
              ElementsAre(IsAttachment("", "text/plain", 7, "line 1\n")));
}

// --- Forwarding -----------------------------------------------------------

TEST(ParseMessageTest, AutoForwardedByMailboxRule) {
  const MessageFacts facts = ParseTestdata("auto_forwarded.eml");
  EXPECT_TRUE(facts.auto_forwarded);
  EXPECT_FALSE(facts.forwarded);
  EXPECT_EQ(facts.subject, "周报");
  EXPECT_THAT(facts.text_parts, ElementsAre("本周工作总结。\n"));
}

TEST(ParseMessageTest, AutoForwardHeaders) {
  struct Case {
    const char* header;
    bool auto_forwarded;
  };
  const Case cases[] = {
      {"Auto-Submitted: auto-forwarded", true},
      {"auto-submitted: Auto-Forwarded; owner=rules", true},
      {"Auto-Submitted: auto-replied", false},
      {"Auto-Submitted: no", false},
      {"X-Forwarded-For: zhang.wei@example.cn", true},
      {"Resent-From: zhang.wei@example.cn", true},
      {"Resent-To: zhang.wei@gmail.example.com", true},
      {"X-Forwarded-To: elsewhere@example.com", false},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<MessageFacts> facts =
        ParseWithHeaders(absl::StrCat(c.header, "\nSubject: s"));
    ASSERT_TRUE(facts.ok()) << c.header;
    EXPECT_EQ(facts->auto_forwarded, c.auto_forwarded) << c.header;
    EXPECT_FALSE(facts->forwarded) << c.header;
  }
}

TEST(ParseMessageTest, ForwardSubjectPrefixes) {
  struct Case {
    const char* subject;
    bool forwarded;
  };
  const Case cases[] = {
      {"Fwd: Q1 quote", true},
      {"FW: Q1 quote", true},
      {"Fw: Q1 quote", true},
      {"fwd : Q1 quote", true},
      {"FW\xEF\xBC\x9A"
       "Q1 quote",
       true},                                      // full-width colon
      {"=?UTF-8?B?6L2s5Y+R77ya5oql5Lu3?=", true},  // 转发：报价
      {"=?Big5?B?wuC1b6FHs/i7+Q==?=", true},       // 轉發：報價
      {"  Fwd: leading space", true},
      {"Re: Fwd: Q1 quote", false},
      {"Forward planning", false},
      {"FWIW: not a forward", false},
      {"Q1 quote", false},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<MessageFacts> facts =
        ParseWithHeaders(absl::StrCat("Subject: ", c.subject));
    ASSERT_TRUE(facts.ok()) << c.subject;
    EXPECT_EQ(facts->forwarded, c.forwarded) << c.subject;
    EXPECT_FALSE(facts->auto_forwarded) << c.subject;
  }
}

TEST(ParseMessageTest, ForwardedAsAttachedMessage) {
  const std::string raw = ReadTestdata("forwarded_rfc822.eml");
  const MessageFacts facts = ParseMessage(raw).value();
  EXPECT_EQ(facts.subject, "請參考附件中的郵件");
  EXPECT_TRUE(facts.forwarded);
  EXPECT_FALSE(facts.auto_forwarded);
  // The attached message's own text is seen too, after the outer text.
  EXPECT_THAT(facts.text_parts, ElementsAre("轉給你看看。", "請參考報價。\n"));
  // The embedded message runs from its first header through its closing
  // MIME delimiter.
  const size_t begin = raw.find("From: chen.jie@");
  const size_t end =
      raw.find("--inner-boundary--") + std::string("--inner-boundary--").size();
  ASSERT_NE(begin, std::string::npos);
  const std::string pdf("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n");
  EXPECT_THAT(facts.attachments,
              ElementsAre(IsAttachment("message.eml", "message/rfc822",
                                       end - begin, "From: chen.jie@s"),
                          IsAttachment("quote-2026.pdf", "application/pdf",
                                       pdf.size(), pdf.substr(0, 16))));
}

TEST(ParseMessageTest, AttachedMessageKeepsItsFileName) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: see attached\n"
          "Content-Type: multipart/mixed; boundary=b\n\n"
          "--b\n"
          "Content-Type: message/rfc822; name=\"original.eml\"\n\n"
          "Subject: inner\n\ninner text\n"
          "--b--\n")
          .value();
  EXPECT_TRUE(facts.forwarded);
  EXPECT_THAT(facts.attachments,
              ElementsAre(IsAttachment("original.eml", "message/rfc822", 26,
                                       "Subject: inner\n\n")));
  EXPECT_THAT(facts.text_parts, ElementsAre("inner text"));
}

// An inline picture referenced by cid: is a file the recipient can save:
// an attachment, named or not, so that it meets the attachment rules.
TEST(MimeTest, InlinePictureIsAnAttachment) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: photo\nContent-Type: multipart/related; boundary=r\n\n"
          "--r\nContent-Type: text/html; charset=UTF-8\n\n<p>site <img src=\"cid:p1\"></p>\n"
          "--r\nContent-Type: image/png\nContent-ID: <p1>\nContent-Disposition: inline\n"
          "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--r--\n")
          .value();
  EXPECT_THAT(facts.text_parts, ElementsAre(HasSubstr("site")));
  EXPECT_THAT(facts.attachments,
              ElementsAre(IsAttachment("", "image/png", 8, "\x89PNG\r\n\x1a\n")));
}

// --- The text a reader sees ----------------------------------------------

TEST(ReaderViewTest, HtmlBecomesItsVisibleText) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: quote\nContent-Type: text/html; charset=UTF-8\n\n"
          "<html><head><title>t</title><style>p{}</style></head><body>"
          "<p>報價<b>機</b><span>密</span>&amp;<!-- 密件 --></p>"
          "<script>var x='絕密';</script>"
          "<a href=\"https://bid.example.net/q\">here</a></body></html>\n")
          .value();
  ASSERT_EQ(facts.text_parts.size(), 1u);
  const std::string& text = facts.text_parts[0];
  EXPECT_THAT(text, HasSubstr("報價機密&"));
  EXPECT_THAT(text, HasSubstr("here"));
  EXPECT_THAT(text, HasSubstr("https://bid.example.net/q"));  // the link's target
  EXPECT_THAT(text, Not(HasSubstr("絕密")));                   // the script
  EXPECT_THAT(text, Not(HasSubstr("密件")));                   // the comment
  EXPECT_THAT(text, Not(HasSubstr("<b>")));
}

// The visible text of HTML bodies as mail clients write them, and as a
// hostile sender writes them.
struct HtmlCase {
  const char* name;
  std::string charset;  // the part's charset parameter
  std::string html;
  std::string contains;      // visible text expected
  std::string not_contains;  // hidden text
};

TEST(ReaderViewTest, HtmlBodiesOfEveryShape) {
  const HtmlCase cases[] = {
      {"a meta charset inside a UTF-8 part does not re-decode it", "UTF-8",
       "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
       "</head><body>機密文件</body></html>",
       "機密文件", "head"},
      {"a GB2312 part with its meta charset", "gb2312",
       "<html><head><meta charset=\"gb2312\"></head><body>\xBB\xFA\xC3\xDC</body></html>",
       "机密", "meta"},
      {"tag names in capitals", "UTF-8",
       "<HTML><BODY><P>機<B>密</B></P><SCRIPT>secret()</SCRIPT></BODY></HTML>", "機密",
       "secret()"},
      {"a style left open hides the rest, as a browser hides it", "UTF-8",
       "<p>visible</p><style>p{} 機密", "visible", "機密"},
      {"text after a closed script is read", "UTF-8",
       "<script>a<b</script><p>機<span>密</span></p>", "機密", "a<b"},
      {"entities and numeric references", "UTF-8", "<p>&#27231;&#x5BC6; &lt;tag&gt;</p>",
       "機密 <tag>", "&#"},
      {"no markup at all", "UTF-8", "機密 only text", "機密 only text", ""},
      {"a link's target follows the text", "UTF-8",
       "<a HREF=\"https://bid.example.net/q\">here</a>", "https://bid.example.net/q", ""},
  };
  for (const HtmlCase& c : cases) {
    const absl::StatusOr<MessageFacts> facts = ParseMessage(
        "Subject: x\nContent-Type: text/html; charset=" + c.charset + "\n\n" + c.html + "\n");
    ASSERT_TRUE(facts.ok()) << c.name;
    ASSERT_EQ(facts->text_parts.size(), 1u) << c.name;
    const std::string& text = facts->text_parts[0];
    EXPECT_THAT(text, HasSubstr(c.contains)) << c.name << ": " << text;
    if (!c.not_contains.empty()) {
      EXPECT_THAT(text, Not(HasSubstr(c.not_contains))) << c.name << ": " << text;
    }
  }
}

TEST(ReaderViewTest, BothAlternativesAreRead) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: x\nContent-Type: multipart/alternative; boundary=a\n\n"
          "--a\nContent-Type: text/plain\n\nplain text\n"
          "--a\nContent-Type: text/html\n\n<p>html <i>text</i></p>\n--a--\n")
          .value();
  ASSERT_EQ(facts.text_parts.size(), 2u);
  EXPECT_THAT(facts.text_parts[1], HasSubstr("html text"));
}

TEST(ReaderViewTest, FormatFlowedIsUndone) {
  const MessageFacts delsp =
      ParseMessage(
          "Subject: x\nContent-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\n\n"
          "\xE9\x80\x99\xE6\x98\xAF\xE6\xA9\x9F \r\n\xE5\xAF\x86\xE6\x96\x87\xE4\xBB\xB6\r\n"
          " From the stuffed line\r\n-- \r\nsig\r\n")
          .value();
  ASSERT_EQ(delsp.text_parts.size(), 1u);
  EXPECT_EQ(delsp.text_parts[0], "這是機密文件\nFrom the stuffed line\n-- \nsig\n");
  const MessageFacts keep =
      ParseMessage("Subject: x\nContent-Type: text/plain; format=flowed\n\n"
                   "one soft \r\nbreak\r\n")
          .value();
  EXPECT_EQ(keep.text_parts[0], "one soft break\n");
  // RFC 3676 4.5: quoted lines flow at the same quote depth, and the quote
  // marks of the lines joined go.
  const MessageFacts quoted =
      ParseMessage(
          "Subject: x\nContent-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\n\n"
          "> \xE6\xA9\x9F \r\n> \xE5\xAF\x86\r\n>> deeper \r\n> shallower\r\nend\r\n")
          .value();
  EXPECT_EQ(quoted.text_parts[0], "> 機密\n>> deeper\n> shallower\nend\n");
}

TEST(ReaderViewTest, HtmlLinesAndLinks) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: x\nContent-Type: text/html; charset=UTF-8\n\n"
          "<table><tr><td>訂購飛機</td><td>密封圈</td></tr></table>"
          "<p>機<br>密</p><a href=\"//evil.example/a\">x</a><img src=\"https://img.example/p.png\">"
          "<img src=\"cid:logo\"><form action=\"https://form.example/post\"></form>\n")
          .value();
  ASSERT_EQ(facts.text_parts.size(), 1u);
  const std::string& text = facts.text_parts[0];
  EXPECT_THAT(text, HasSubstr("訂購飛機\n\n"));  // two cells: a blank line, a gap
  EXPECT_THAT(text, HasSubstr("機\n密"));         // <br>: one line break, a wrap
  EXPECT_THAT(text, HasSubstr("https://evil.example/a"));  // scheme-relative
  EXPECT_THAT(text, HasSubstr("https://img.example/p.png"));
  EXPECT_THAT(text, HasSubstr("https://form.example/post"));
  EXPECT_THAT(text, Not(HasSubstr("cid:logo")));
}

// Where a reader's client goes or loads from, written as browsers forgive.
TEST(ReaderViewTest, LinkTargetsAsBrowsersReadThem) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: x\nContent-Type: text/html; charset=UTF-8\n\n"
          "<html><head><base href=\"https://base.example/\">"
          "<meta http-equiv=\"refresh\" content=\"0; url='https://refresh.example/'\"></head>"
          "<body background=\"https://bg.example/b.png\">"
          "<a href=\"  //spaced.example/\">a</a><a href=\"\\\\backslash.example\">b</a>"
          "<a href=\"https:noslash.example/x\">c</a><a href=\"ht\ttps://tab.example/\">d</a>"
          "<img srcset=\"https://one.example/1x.png 1x, https://two.example/2x.png 2x\">"
          "<button formaction=\"https://formaction.example/\">e</button>"
          "<div>機</div><div>密</div><p>訂購飛機</p>\n<h1>x</h1>密封圈</body></html>\n")
          .value();
  ASSERT_EQ(facts.text_parts.size(), 1u);
  const std::string& text = facts.text_parts[0];
  for (const char* target :
       {"https://base.example/", "https://refresh.example/", "https://bg.example/b.png",
        "https://spaced.example/", "https://backslash.example", "https://noslash.example/x",
        "https://tab.example/", "https://one.example/1x.png", "https://two.example/2x.png",
        "https://formaction.example/"}) {
    EXPECT_THAT(text, HasSubstr(target));
  }
  EXPECT_THAT(text, HasSubstr("機\n密"));     // <div> per line: one break, a wrap
  EXPECT_THAT(text, HasSubstr("x\n\n密封圈"));  // a heading: a gap
}

// --- Every file a recipient could save, under every name -----------------

// A message whose one part is `part_headers` + blank line + `part_body`.
std::string WithPart(const std::string& part_headers, const std::string& part_body) {
  return absl::StrCat(
      "Subject: files\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain; charset=UTF-8\n\nsee attached\n"
      "--b\n", part_headers, "\n\n", part_body, "\n--b--\n");
}

// The facts of a message whose one attachment, under `headers` (lines
// without the final "\n"), is `content` sent in base64.
MessageFacts ParseBase64Part(const std::string& headers, const std::string& content) {
  return ParseMessage(WithPart(headers + "\nContent-Transfer-Encoding: base64",
                               absl::Base64Escape(content)))
      .value();
}

TEST(EveryFileTest, AttachedMessageSentInBase64IsParsed) {
  const std::string inner =
      "Subject: inner\nContent-Type: multipart/mixed; boundary=i\n\n"
      "--i\nContent-Type: text/plain\n\ninner text\n"
      "--i\nContent-Type: application/octet-stream; name=tool.exe\n"
      "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAA=\n--i--\n";
  const MessageFacts facts =
      ParseMessage(WithPart("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64",
                            absl::Base64Escape(inner)))
          .value();
  EXPECT_TRUE(facts.forwarded);
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[0].file_name, "message.eml");
  EXPECT_EQ(facts.attachments[0].size, inner.size());
  EXPECT_EQ(facts.attachments[0].container, -1);
  EXPECT_EQ(facts.attachments[1].file_name, "tool.exe");
  EXPECT_EQ(facts.attachments[1].first_bytes, std::string("MZ\x90\x00\x03\x00\x00\x00", 8));
  EXPECT_EQ(facts.attachments[1].container, 0);
  EXPECT_EQ(facts.attachments[1].path, "message.eml/tool.exe");
  EXPECT_THAT(facts.text_parts, ElementsAre("see attached", "inner text"));
}

TEST(EveryFileTest, FilesOfAnAttachedMessageNameTheirContainer) {
  const MessageFacts facts = ParseTestdata("forwarded_rfc822.eml");
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[0].container, -1);
  EXPECT_EQ(facts.attachments[0].path, "");
  EXPECT_EQ(facts.attachments[1].container, 0);
  EXPECT_EQ(facts.attachments[1].path, "message.eml/quote-2026.pdf");
}

TEST(EveryFileTest, EveryNameOfAPartIsKept) {
  const MessageFacts facts =
      ParseMessage(WithPart("Content-Type: application/octet-stream; name=\"notes.txt\"\n"
                            "Content-Disposition: attachment; filename=\"readme.txt\";\n"
                            " filename*=UTF-8''%E5%B7%A5%E5%85%B7.exe",
                            "aGVsbG8="))
          .value();
  ASSERT_EQ(facts.attachments.size(), 1u);
  EXPECT_EQ(facts.attachments[0].file_name, "readme.txt");
  EXPECT_THAT(facts.attachments[0].other_names, ElementsAre("工具.exe", "notes.txt"));
}

// Encoded words inside RFC 2231 continuations: not what either RFC says,
// but some clients write them and others decode them, so the name a
// recipient saves may be the decoded one.
TEST(EveryFileTest, EncodedWordsInRfc2231ContinuationsAreDecoded) {
  struct Case {
    const char* name;
    std::string disposition;
    std::string file_name;
  };
  // 安裝程式 is 5a6J6KOd56iL5byP in base64, ".vbs" LnZicw==.
  const Case cases[] = {
      {"one word per piece",
       "attachment;\n filename*0=\"=?UTF-8?B?5a6J6KOd56iL5byP?=\";\n"
       " filename*1=\"=?UTF-8?B?LnZicw==?=\"",
       "安裝程式.vbs"},
      {"a word split across pieces",
       "attachment;\n filename*0=\"=?UTF-8?B?5a6J6KOd\";\n filename*1=\"56iL5byP?=.vbs\"",
       "安裝程式.vbs"},
      {"a GB2312 word", "attachment; filename*0=\"=?GB2312?B?sLLXsA==?=\"; filename*1=\".vbs\"",
       "安装.vbs"},
      {"text that only looks like a word stays", "attachment; filename*0=\"a=?b\"; filename*1=\"?=c.txt\"",
       "a=?b?=c.txt"},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<MessageFacts> facts = ParseMessage(
        WithPart("Content-Type: application/octet-stream\nContent-Disposition: " + c.disposition,
                 "aGVsbG8="));
    ASSERT_TRUE(facts.ok()) << c.name;
    ASSERT_EQ(facts->attachments.size(), 1u) << c.name;
    EXPECT_EQ(facts->attachments[0].file_name, c.file_name) << c.name;
  }
}

TEST(EveryFileTest, EveryContentDispositionIsRead) {
  const MessageFacts facts =
      ParseMessage(WithPart("Content-Type: application/octet-stream\n"
                            "Content-Disposition: attachment; filename=\"readme.txt\"\n"
                            "Content-Disposition: attachment; filename=\"run.vbs\"",
                            "aGVsbG8="))
          .value();
  ASSERT_EQ(facts.attachments.size(), 1u);
  EXPECT_EQ(facts.attachments[0].file_name, "readme.txt");
  EXPECT_THAT(facts.attachments[0].other_names, ElementsAre("run.vbs"));
}

TEST(EveryFileTest, AttachedMessageSentQuotedPrintableIsDecoded) {
  const MessageFacts facts =
      ParseMessage(WithPart("Content-Type: message/rfc822\n"
                            "Content-Transfer-Encoding: quoted-printable",
                            "Subject: inner\n"
                            "Content-Type: text/plain; name=3D\"run.vbs\"\n"
                            "Content-Disposition: attachment; filename=3D\"run.vbs\"\n\n"
                            "CreateObject(\"WScript.Shell\")\n"))
          .value();
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[1].file_name, "run.vbs");
  EXPECT_EQ(facts.attachments[1].path, "message.eml/run.vbs");
}

TEST(EveryFileTest, SavedMessageUnderAnotherTypeIsParsed) {
  const std::string inner =
      "Subject: inner\nContent-Type: application/octet-stream; name=tool.exe\n"
      "Content-Transfer-Encoding: base64\n\nTVqQAA==\n";
  const MessageFacts facts =
      ParseBase64Part("Content-Type: application/octet-stream; name=\"fwd.eml\"", inner);
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[1].path, "fwd.eml/tool.exe");
}

TEST(EveryFileTest, UuencodedFileInATextBody) {
  const MessageFacts facts =
      ParseMessage(
          "Subject: tool\nContent-Type: text/plain\n\n"
          "The tool is below.\n\n"
          "begin 644 tool.exe\n"
          "M35J0  ,   !4:&ES('!R;V=R86T@8V%N;F]T(&)E(')U;B!I;B!$3U,@;6]D\n"
          "\"92X \n"
          "`\n"
          "end\n"
          "Regards\n")
          .value();
  ASSERT_EQ(facts.attachments.size(), 1u);
  EXPECT_EQ(facts.attachments[0].file_name, "tool.exe");
  EXPECT_EQ(facts.attachments[0].size, 47u);
  EXPECT_EQ(facts.attachments[0].first_bytes, std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + "This pro");
  EXPECT_EQ(facts.attachments[0].container, -1);
  // The same with CRLF lines, as on the wire.
  const MessageFacts crlf =
      ParseMessage(
          "Subject: tool\r\nContent-Type: text/plain\r\n\r\n"
          "begin 644 tool.exe\r\n"
          "M35J0  ,   !4:&ES('!R;V=R86T@8V%N;F]T(&)E(')U;B!I;B!$3U,@;6]D\r\n"
          "\"92X \r\n"
          "`\r\n"
          "end\r\n")
          .value();
  ASSERT_EQ(crlf.attachments.size(), 1u);
  EXPECT_EQ(crlf.attachments[0].size, 47u);
  EXPECT_EQ(crlf.attachments[0].first_bytes, facts.attachments[0].first_bytes);
  // Not a uuencoded block: "begin" inside a line, without a mode, or with
  // nothing encoded after it.
  EXPECT_THAT(ParseMessage("Subject: x\n\nwe begin 644 at nine\nbegin here\n"
                           "begin 644 is the mode\nend\n")
                  .value()
                  .attachments,
              IsEmpty());
  // A quoted name.
  const MessageFacts quoted =
      ParseMessage(
          "Subject: tool\n\nbegin 644 \"run.vbs\"\n"
          "M35J0  ,   !4:&ES('!R;V=R86T@8V%N;F]T(&)E(')U;B!I;B!$3U,@;6]D\n`\nend\n")
          .value();
  ASSERT_EQ(quoted.attachments.size(), 1u);
  EXPECT_EQ(quoted.attachments[0].file_name, "run.vbs");
}

TEST(EveryFileTest, FilesInsideArchivesAtAnyDepth) {
  const std::string exe = std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(50, 'x');
  const std::string inner = testing_files::MakeArchive({{"bin/setup.exe", exe}}, "zip");
  const std::string outer = testing_files::MakeArchive(
      {{"docs/readme.txt", "read me"}, {"more/inner.zip", inner}}, "ustar", "gzip");
  const MessageFacts facts =
      ParseBase64Part("Content-Type: application/gzip; name=tools.tar.gz", outer);
  ASSERT_EQ(facts.attachments.size(), 4u);
  EXPECT_EQ(facts.attachments[0].file_name, "tools.tar.gz");
  EXPECT_EQ(facts.attachments[0].size, outer.size());
  EXPECT_EQ(facts.attachments[1].file_name, "readme.txt");
  EXPECT_EQ(facts.attachments[1].path, "tools.tar.gz/docs/readme.txt");
  EXPECT_EQ(facts.attachments[1].container, 0);
  EXPECT_EQ(facts.attachments[2].path, "tools.tar.gz/more/inner.zip");
  EXPECT_EQ(facts.attachments[3].file_name, "setup.exe");
  EXPECT_EQ(facts.attachments[3].path, "tools.tar.gz/more/inner.zip/bin/setup.exe");
  EXPECT_EQ(facts.attachments[3].container, 2);
  EXPECT_EQ(facts.attachments[3].size, exe.size());
  EXPECT_EQ(facts.attachments[3].first_bytes, exe.substr(0, 16));
}

TEST(EveryFileTest, EncryptedAndDamagedArchivesAreMarked) {
  const std::string exe = std::string("MZ\x90\x00", 4) + std::string(200, 'x');
  const std::string secret = testing_files::MakeArchive(
      {{"setup.exe", exe}}, "zip", "none", "zip:encryption=zipcrypt", "password");
  const std::string broken = testing_files::MakeArchive(
      {{"a.txt", std::string(3000, 'a')}, {"b.exe", exe}}, "ustar", "gzip");
  const MessageFacts facts =
      ParseMessage(absl::StrCat(
                       "Subject: files\nContent-Type: multipart/mixed; boundary=b\n\n",
                       "--b\nContent-Type: application/zip; name=secret.zip\n"
                       "Content-Transfer-Encoding: base64\n\n",
                       absl::Base64Escape(secret),
                       "\n--b\nContent-Type: application/gzip; name=broken.tar.gz\n"
                       "Content-Transfer-Encoding: base64\n\n",
                       absl::Base64Escape(broken.substr(0, broken.size() / 2)), "\n--b--\n"))
          .value();
  ASSERT_GE(facts.attachments.size(), 3u);
  EXPECT_EQ(facts.attachments[0].file_name, "secret.zip");
  EXPECT_TRUE(facts.attachments[0].encrypted);
  EXPECT_EQ(facts.attachments[1].path, "secret.zip/setup.exe");  // listed by name
  EXPECT_TRUE(facts.attachments[1].encrypted);
  EXPECT_EQ(facts.attachments[2].file_name, "broken.tar.gz");
  EXPECT_TRUE(facts.attachments[2].unreadable);
  EXPECT_FALSE(facts.attachments[0].unreadable);
}

// A disk image is read like an archive, whatever it is named, and inside
// a zip too.
TEST(EveryFileTest, FilesInsideDiskImages) {
  const std::string exe = std::string("MZ\x90\x00", 4) + std::string(200, 'x');
  const std::string iso = testing_files::MakeArchive({{"setup.exe", exe}}, "iso9660");
  const std::string zip = testing_files::MakeArchive({{"disk/invoice.img", iso}}, "zip");
  // The system area may hold anything: here a PDF header (a polyglot).
  std::string polyglot = iso;
  polyglot.replace(0, 9, "%PDF-1.4\n");
  const std::string zip_of_polyglot =
      testing_files::MakeArchive({{"disk/statement.iso", polyglot}}, "zip");
  for (const auto& [name, content, path] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"invoice.iso", iso, "invoice.iso/setup.exe"},
           {"scan.pdf", iso, "scan.pdf/setup.exe"},
           {"pack.zip", zip, "pack.zip/disk/invoice.img/setup.exe"},
           {"statement.pdf", polyglot, "statement.pdf/setup.exe"},
           {"pack.zip", zip_of_polyglot, "pack.zip/disk/statement.iso/setup.exe"}}) {
    const MessageFacts facts =
        ParseBase64Part("Content-Type: application/octet-stream; name=" + name, content);
    std::vector<std::string> paths;
    for (const Attachment& a : facts.attachments) paths.push_back(a.path);
    EXPECT_THAT(paths, Contains(path)) << name;
    EXPECT_FALSE(facts.complexity.truncated) << name;
  }
}

TEST(EveryFileTest, CompressedSingleFileTakesItsContainersName) {
  const std::string exe = std::string("MZ\x90\x00", 4) + std::string(50, 'x');
  const MessageFacts facts =
      ParseBase64Part("Content-Type: application/gzip; name=run.vbs.gz",
                      testing_files::MakeArchive({{"ignored", exe}}, "raw", "gzip"));
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[1].file_name, "run.vbs");
  EXPECT_EQ(facts.attachments[1].path, "run.vbs.gz/run.vbs");
}

TEST(EveryFileTest, FilesInsideTnef) {
  const std::string tnef =
      testing_files::MakeTnef({{"setup.exe", std::string("MZ\x90\x00", 4)}});
  const MessageFacts facts =
      ParseBase64Part("Content-Type: application/ms-tnef; name=winmail.dat", tnef);
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[1].file_name, "setup.exe");
  EXPECT_EQ(facts.attachments[1].path, "winmail.dat/setup.exe");
  EXPECT_EQ(facts.attachments[1].first_bytes, std::string("MZ\x90\x00", 4));
}

TEST(EveryFileTest, TnefFilesTakeTheirLongNames) {
  const std::string tnef = testing_files::MakeTnef({{"INVOIC~1.TXT", "plain"}},
                                                   {"invoice.txt.js"});
  const MessageFacts facts =
      ParseBase64Part("Content-Type: application/ms-tnef; name=winmail.dat", tnef);
  ASSERT_EQ(facts.attachments.size(), 2u);
  EXPECT_EQ(facts.attachments[1].file_name, "invoice.txt.js");
  EXPECT_THAT(facts.attachments[1].other_names, ElementsAre("INVOIC~1.TXT"));
  EXPECT_EQ(facts.attachments[1].path, "winmail.dat/invoice.txt.js");
}

TEST(ComplexityTest, PartsDepthAndFilesInsideAreCounted) {
  const MessageFacts facts = ParseTestdata("forwarded_rfc822.eml");
  EXPECT_EQ(facts.complexity.parts, 3);  // text, the attached message's text and PDF
  EXPECT_GE(facts.complexity.depth, 2);
  EXPECT_EQ(facts.complexity.contained_files, 1);
  EXPECT_FALSE(facts.complexity.truncated);
}

TEST(ComplexityTest, ManyPartsAreCountedButNotRead) {
  std::string raw = "Subject: many\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 10050; ++i) {
    absl::StrAppend(&raw, "--b\nContent-Type: application/octet-stream; name=f", i, ".bin\n\nx\n");
  }
  raw += "--b--\n";
  const MessageFacts facts = ParseMessage(raw).value();
  EXPECT_EQ(facts.complexity.parts, 10050);
  EXPECT_TRUE(facts.complexity.truncated);
  EXPECT_EQ(facts.attachments.size(), 10000u);
}

TEST(ComplexityTest, DeepNestingIsMeasuredNotRecursed) {
  std::string raw;
  for (int i = 0; i < 2000; ++i) {
    absl::StrAppend(&raw, "Subject: level ", i, "\nContent-Type: message/rfc822\n\n");
  }
  raw += "Subject: core\n\nhello\n";
  const MessageFacts facts = ParseMessage(raw).value();
  EXPECT_GT(facts.complexity.depth, 32);
}

// GMime 3.2.13 stops decoding base64 at the first '=' (see mime.cc); these
// hold whatever GMime the build finds.
TEST(GMimeBase64Test, WordsAfterAPaddedEncodedWordAreKept) {
  const std::string first = absl::Base64Escape("報價A");  // 7 bytes: padded
  ASSERT_TRUE(absl::EndsWith(first, "="));
  const MessageFacts facts =
      ParseMessage(absl::StrCat("Subject: =?UTF-8?B?", first, "?= =?utf-8?B?",
                                absl::Base64Escape("機密"), "?=\n"
                                "Content-Type: application/octet-stream;\n"
                                " name=\"=?UTF-8?B?", absl::Base64Escape("setup"), "?=\n"
                                " =?UTF-8?B?", absl::Base64Escape(".exe"), "?=\"\n\nx\n"))
          .value();
  EXPECT_EQ(facts.subject, "報價A機密");
  ASSERT_EQ(facts.attachments.size(), 1u);
  EXPECT_EQ(facts.attachments[0].file_name, "setup.exe");
}

TEST(GMimeBase64Test, BodyInPaddedChunksIsDecodedWhole) {
  const std::string chunk1(1000, 'a');  // 1000 bytes: padded
  const std::string chunk2(2001, 'b');
  const std::string body =
      absl::StrCat(absl::Base64Escape(chunk1), "\n", absl::Base64Escape(chunk2));
  const MessageFacts facts =
      ParseMessage(WithPart("Content-Type: application/zip; name=a.zip\n"
                            "Content-Transfer-Encoding: base64",
                            body))
          .value();
  ASSERT_EQ(facts.attachments.size(), 1u);
  EXPECT_EQ(facts.attachments[0].size, 3001u);
}

// --- Errors and robustness ------------------------------------------------

TEST(ParseMessageTest, ByteOrderMarkAndMboxLineAreSkipped) {
  const std::string body = "Subject: saved\n\nbody\n";
  for (const std::string& raw :
       {"\xEF\xBB\xBF" + body,
        "From wang.xiaoming@example.cn Mon Jan 12 09:30:00 2026\n" + body}) {
    const MessageFacts facts = ParseMessage(raw).value();
    EXPECT_EQ(facts.subject, "saved");
    EXPECT_THAT(facts.text_parts, ElementsAre("body\n"));
    EXPECT_EQ(facts.message_size, raw.size());
  }
}

TEST(ParseMessageTest, HeadersOnly) {
  const MessageFacts facts = ParseMessage("Subject: no body\n").value();
  EXPECT_EQ(facts.subject, "no body");
  EXPECT_THAT(facts.text_parts, IsEmpty());
  EXPECT_THAT(facts.attachments, IsEmpty());
}

TEST(ParseMessageTest, EmptyInputIsNotAMessage) {
  const absl::StatusOr<MessageFacts> facts = ParseMessage("");
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(facts.status().message(), HasSubstr("the input is empty"));
}

TEST(ParseMessageTest, BodyWithoutHeadersIsNotAMessage) {
  const absl::StatusOr<MessageFacts> facts =
      ParseMessage("\r\njust a body\r\n");
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(facts.status().message(), HasSubstr("no header fields"));
}

TEST(ParseMessageTest, TextIsNotAMessage) {
  const absl::StatusOr<MessageFacts> facts =
      ParseMessage("hello world, this is not mail\nsecond line\n");
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(facts.status().message(),
              HasSubstr("starts \"hello world, this is not mail\""));
}

TEST(ParseMessageTest, NullFactsIsAnError) {
  EXPECT_EQ(ParseMessageInto("Subject: x\n\n", nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseMessageIntoTest, KeepsEnvelopeAndReplacesMessageFields) {
  MessageFacts facts;
  facts.direction = Direction::kOutbound;
  facts.channel = Channel::kSmtpSubmission;
  facts.envelope_sender = "wang.xiaoming@example.cn";
  facts.authenticated_user = "wangxm";
  facts.recipients = {"li.na@partner.example.com"};
  facts.reply_to_first_contact = true;
  facts.sender_recent_messages = 7;
  facts.sender_mailbox_bytes = 1 << 20;
  facts.now = absl::FromUnixSeconds(1767225600);
  facts.text_parts = {"left over"};
  facts.attachments.resize(3);
  facts.forwarded = true;

  ASSERT_TRUE(
      ParseMessageInto(ReadTestdata("auto_forwarded.eml"), &facts).ok());
  EXPECT_EQ(facts.direction, Direction::kOutbound);
  EXPECT_EQ(facts.channel, Channel::kSmtpSubmission);
  EXPECT_EQ(facts.envelope_sender, "wang.xiaoming@example.cn");
  EXPECT_EQ(facts.authenticated_user, "wangxm");
  EXPECT_THAT(facts.recipients, ElementsAre("li.na@partner.example.com"));
  EXPECT_TRUE(facts.reply_to_first_contact);
  EXPECT_EQ(facts.sender_recent_messages, 7);
  EXPECT_EQ(facts.sender_mailbox_bytes, 1 << 20);
  EXPECT_EQ(facts.now, absl::FromUnixSeconds(1767225600));
  EXPECT_THAT(facts.text_parts, ElementsAre("本周工作总结。\n"));
  EXPECT_THAT(facts.attachments, IsEmpty());
  EXPECT_FALSE(facts.forwarded);
  EXPECT_TRUE(facts.auto_forwarded);

  // A failed parse leaves an empty message behind, envelope intact.
  EXPECT_FALSE(ParseMessageInto("\n\n", &facts).ok());
  EXPECT_FALSE(facts.has_subject);
  EXPECT_THAT(facts.text_parts, IsEmpty());
  EXPECT_FALSE(facts.auto_forwarded);
  EXPECT_EQ(facts.message_size, 2u);
  EXPECT_EQ(facts.envelope_sender, "wang.xiaoming@example.cn");
}

TEST(ParseMessageTest, EveryTruncationIsHandled) {
  // Cut every test message at every length (the large one excepted): each
  // prefix is either rejected or parsed into valid UTF-8, and nothing
  // crashes.
  for (const char* name :
       {"gbk_body.eml", "gb2312_mislabelled.eml", "big5_body.eml",
        "attachment_names.eml", "no_subject.eml", "blank_subject.eml",
        "auto_forwarded.eml", "forwarded_rfc822.eml",
        "nested_alternative.eml"}) {
    const std::string raw = ReadTestdata(name);
    for (size_t length = 0; length <= raw.size(); ++length) {
      const absl::StatusOr<MessageFacts> facts =
          ParseMessage(absl::string_view(raw).substr(0, length));
      if (!facts.ok()) {
        EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
        continue;
      }
      EXPECT_EQ(facts->message_size, length);
      ExpectAllUtf8(*facts);
      for (const Attachment& attachment : facts->attachments) {
        EXPECT_LE(attachment.first_bytes.size(), 16u);
        EXPECT_LE(attachment.first_bytes.size(), attachment.size);
      }
    }
  }
}

TEST(ParseMessageTest, BinaryGarbageIsHandled) {
  std::string garbage;
  uint32_t x = 2463534242u;
  for (int i = 0; i < 1 << 16; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    garbage.push_back(static_cast<char>(x));
  }
  for (const std::string& raw :
       {garbage, "X:" + garbage, "Subject: " + garbage,
        "Content-Type: multipart/mixed; boundary=\"\"\n\n" + garbage}) {
    const absl::StatusOr<MessageFacts> facts = ParseMessage(raw);
    if (facts.ok()) ExpectAllUtf8(*facts);
  }
}

TEST(ParseMessageTest, DeepMultipartNesting) {
  std::string raw =
      "Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n";
  constexpr int kDepth = 3000;
  for (int i = 1; i <= kDepth; ++i) {
    absl::StrAppend(&raw, "--b", i - 1,
                    "\nContent-Type: multipart/mixed; boundary=b", i, "\n\n");
  }
  absl::StrAppend(&raw, "--b", kDepth, "\nContent-Type: text/plain\n\nhi\n");
  const absl::StatusOr<MessageFacts> facts = ParseMessage(raw);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->subject, "deep");
}

TEST(ParseMessageTest, DeeplyNestedAttachedMessages) {
  // Each level forwards the one below; the walk stays linear in the input.
  constexpr int kDepth = 400;
  std::string raw;
  for (int i = 0; i < kDepth; ++i) {
    absl::StrAppend(&raw, "Subject: level ", i,
                    "\nContent-Type: message/rfc822\n\n");
  }
  absl::StrAppend(&raw, "Subject: bottom\n\nbottom text\n");
  const absl::StatusOr<MessageFacts> facts = ParseMessage(raw);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->subject, "level 0");
  EXPECT_TRUE(facts->forwarded);
  ASSERT_FALSE(facts->attachments.empty());
  EXPECT_EQ(facts->attachments[0].first_bytes, "Subject: level 1");
  EXPECT_EQ(facts->attachments[0].size,
            raw.size() - raw.find("Subject: level 1"));
  EXPECT_EQ(facts->attachments.size(), static_cast<size_t>(kDepth));
  EXPECT_THAT(facts->text_parts, ElementsAre("bottom text\n"));
}

TEST(ParseMessageTest, ConcurrentParsesAgree) {
  const std::string raw = ReadTestdata("attachment_names.eml");
  const MessageFacts expected = ParseMessage(raw).value();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&raw, &expected, &mismatches, t] {
      for (int i = 0; i < 50; ++i) {
        const absl::StatusOr<MessageFacts> facts = ParseMessage(raw);
        if (!facts.ok() || facts->subject != expected.subject ||
            facts->text_parts != expected.text_parts ||
            facts->attachments.size() != expected.attachments.size() ||
            facts->attachments[0].file_name !=
                expected.attachments[0].file_name) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace mailpolicy

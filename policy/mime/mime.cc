// Copyright 2026 The mailpolicy Authors.

#include "policy/mime/mime.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>  // NOLINT(build/c++11): std::call_once
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "policy/internal/unicode.h"
#include "policy/mime/containers.h"
#include "policy/mime/html.h"
#include "policy/message.h"

namespace mailpolicy {
namespace {

// ---------------------------------------------------------------------------
// GLib/GMime ownership.

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const {
    g_mime_parser_options_free(options);
  }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

void InitGMimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Bounds on the files found inside others: attached messages decoded before
// they can be parsed, nested at most this deep and read up to this size;
// uuencoded files per text part.
constexpr int kMaxEncodedMessageDepth = 8;
constexpr size_t kMaxEncodedMessageBytes = 64 << 20;
constexpr size_t kMaxUuencodedFiles = 64;
// Files inside archives and TNEF: listed from a container's first 64 MiB,
// 1,000 per message at most, containers nested 3 deep at most.
constexpr size_t kMaxContainerBytes = 64 << 20;
constexpr size_t kMaxContainedFiles = 1000;
constexpr int kMaxContainerDepth = 3;
// Leaf parts read at most; the rest are counted.
constexpr int32_t kMaxPartsWalked = 10000;
constexpr absl::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// ---------------------------------------------------------------------------
// Character sets.

// Labels of GB 2312 and its extensions; all are decoded as GB 18030.
bool IsGbLabel(absl::string_view label) {
  static constexpr absl::string_view kLabels[] = {
      "gb2312",    "gb_2312",      "gb_2312-80", "csgb2312",        "euc-cn",
      "x-euc-cn",  "cn-gb",        "gbk",        "x-gbk",           "cp936",
      "ms936",     "windows-936",  "chinese",    "csiso58gb231280", "gb18030",
      "x-gb18030", "eucgb2312_cn",
  };
  for (absl::string_view known : kLabels) {
    if (absl::EqualsIgnoreCase(label, known)) return true;
  }
  return false;
}

bool IsBig5Label(absl::string_view label) {
  static constexpr absl::string_view kLabels[] = {
      "big5",  "big-5", "x-big5",      "cn-big5",  "csbig5",
      "cp950", "ms950", "windows-950", "x-x-big5",
  };
  for (absl::string_view known : kLabels) {
    if (absl::EqualsIgnoreCase(label, known)) return true;
  }
  return false;
}

// Labels that promise nothing beyond ASCII, or nothing at all; such text is
// treated like text without a charset.
bool IsUndeclaredLabel(absl::string_view label) {
  static constexpr absl::string_view kLabels[] = {
      "",        "us-ascii",  "ascii",   "ansi_x3.4-1968", "unknown-8bit",
      "unknown", "x-unknown", "default",
  };
  for (absl::string_view known : kLabels) {
    if (absl::EqualsIgnoreCase(label, known)) return true;
  }
  return false;
}

bool IsAscii(absl::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && c != '\0';
  });
}

bool IsValidUtf8(absl::string_view bytes) {
  return internal::InvalidUtf8At(bytes) == internal::kValidUtf8;
}

// Converts `bytes` from the iconv charset `from` to UTF-8 into `*out`,
// replacing each byte that does not convert with U+FFFD and counting the
// replacements in `*replaced`. Returns false, with `*out` untouched, if iconv
// does not know `from`.
bool IconvToUtf8(absl::string_view bytes, const char* from, std::string* out,
                 size_t* replaced) {
  GIConv converter = g_iconv_open("UTF-8", from);
  if (converter == reinterpret_cast<GIConv>(-1)) return false;
  out->clear();
  out->reserve(bytes.size() + bytes.size() / 2);
  *replaced = 0;
  // iconv's prototype is not const-correct; it never writes through `in`.
  char* in = const_cast<char*>(bytes.data());
  gsize in_left = bytes.size();
  char buffer[4096];
  while (in_left > 0) {
    char* converted = buffer;
    gsize room = sizeof(buffer);
    const gsize result = g_iconv(converter, &in, &in_left, &converted, &room);
    out->append(buffer, static_cast<size_t>(converted - buffer));
    if (result != static_cast<gsize>(-1) || errno == E2BIG) continue;
    // EILSEQ (invalid sequence), EINVAL (truncated at the end) or anything
    // else: replace one byte and go on.
    out->append(kReplacementCharacter.data(), kReplacementCharacter.size());
    ++*replaced;
    ++in;
    --in_left;
  }
  char* converted = buffer;
  gsize room = sizeof(buffer);
  g_iconv(converter, nullptr, nullptr, &converted, &room);  // shift state
  out->append(buffer, static_cast<size_t>(converted - buffer));
  g_iconv_close(converter);
  return true;
}

// Decodes `bytes` labelled `charset` (as declared; may be empty) to UTF-8.
// The result is always valid UTF-8; see the header for the choices made.
std::string ToUtf8(absl::string_view bytes, absl::string_view charset) {
  const std::string label(absl::StripAsciiWhitespace(charset));
  std::string converted;
  size_t replaced = 0;
  std::vector<const char*> candidates;  // all ASCII-compatible
  if (IsUndeclaredLabel(label)) {
    candidates = {"UTF-8", "GB18030"};
  } else if (absl::EqualsIgnoreCase(label, "utf-8") ||
             absl::EqualsIgnoreCase(label, "utf8")) {
    candidates = {"UTF-8"};
  } else if (IsGbLabel(label)) {
    candidates = {"GB18030"};
  } else if (IsBig5Label(label)) {
    candidates = {"CP950", "BIG5-HKSCS"};
  } else if (absl::StartsWithIgnoreCase(label, "big5")) {  // big5-hkscs
    candidates = {"BIG5-HKSCS", "CP950"};
  } else if (IconvToUtf8(bytes, g_mime_charset_iconv_name(label.c_str()),
                         &converted, &replaced)) {
    return converted;  // declared and known: trusted, replacements and all
  } else {
    candidates = {"UTF-8", "GB18030"};  // unknown to iconv: as undeclared
  }
  if (IsAscii(bytes) || (candidates.front() == absl::string_view("UTF-8") &&
                         IsValidUtf8(bytes))) {
    return std::string(bytes);
  }

  // The first candidate that converts everything wins; otherwise the one
  // that replaced the fewest bytes.
  std::string best;
  size_t best_replaced = SIZE_MAX;
  for (const char* candidate : candidates) {
    if (!IconvToUtf8(bytes, candidate, &converted, &replaced)) continue;
    if (replaced < best_replaced) {
      best.swap(converted);
      best_replaced = replaced;
      if (replaced == 0) break;
    }
  }
  if (best_replaced != SIZE_MAX) return best;
  // Unreachable with glibc, which knows all the candidates; keep the promise
  // of valid UTF-8 anyway.
  GCharPtr valid(g_utf8_make_valid(bytes.data(), bytes.size()));
  return std::string(valid.get());
}

// A string GMime produced, made valid UTF-8 if it is not.
std::string Utf8From(const char* text) {
  if (text == nullptr) return std::string();
  return ToUtf8(text, "utf-8");
}

// Rewrites the charset labels of RFC 2047 encoded words ("=?gb2312?B?...")
// and RFC 2231 parameters ("filename*=gb2312''...") that name a GB charset to
// "GB18030", so that GMime, which maps gb2312 to GBK, decodes the GB 18030
// characters such mail often carries. Returns whether anything changed.
bool PromoteGbLabels(std::string* header_value) {
  std::string& value = *header_value;
  bool changed = false;
  // Rewrites the charset label starting at `begin` if it is a GB label
  // ended by a character from `terminators`; returns where scanning goes on.
  auto rewrite = [&](size_t begin, absl::string_view terminators) -> size_t {
    size_t end = begin;
    while (end < value.size() && end - begin < 32 &&
           (absl::ascii_isalnum(static_cast<unsigned char>(value[end])) ||
            absl::string_view("-_.:+").find(value[end]) !=
                absl::string_view::npos)) {
      ++end;
    }
    if (end >= value.size() ||
        terminators.find(value[end]) == absl::string_view::npos ||
        !IsGbLabel(absl::string_view(value).substr(begin, end - begin))) {
      return begin;
    }
    value.replace(begin, end - begin, "GB18030");
    changed = true;
    return begin + 7;
  };
  for (size_t i = 0; i + 1 < value.size();) {
    if (value[i] == '=' && value[i + 1] == '?') {
      i = rewrite(i + 2, "?*");  // =?charset?B?...?= or =?charset*lang?...
    } else if (value[i] == '*' && value[i + 1] == '=') {
      size_t begin = i + 2;
      if (begin < value.size() && value[begin] == '"') ++begin;
      i = rewrite(begin, "'");  // name*=charset'lang'%XX...
    } else {
      ++i;
    }
  }
  return changed;
}

// GMime 3.2.13 (Debian 12's) has a base64 decoder that stops at the first
// '=' (GMime issues #133 and #150, fixed after that release): text after a
// padded B-encoded word is lost when adjacent words are decoded as one run,
// and a base64 body sent in padded chunks ends after its first chunk. While
// the system GMime is older than 3.2.14, headers go through
// MergePaddedEncodedWords before GMime decodes them, and base64 bodies are
// decoded by GLib's g_base64_decode_step, which reads padded chunks. Built
// against a fixed GMime, both workarounds switch off; tests/mime checks the
// decoded results either way.
#if GMIME_CHECK_VERSION(3, 2, 14)
constexpr bool kGMimeBase64StopsAtPadding = false;
#else
constexpr bool kGMimeBase64StopsAtPadding = true;
#endif

// RFC 2047 6.2: adjacent encoded words (separated by white space only) are
// one text. Rewrites each run of adjacent B-encoded words in one charset, in
// which a word before the last ends in '=' padding, into a single word whose
// base64 is that of the run's decoded bytes (GLib's codec). Returns whether
// anything changed.
bool MergePaddedEncodedWords(std::string* header_value) {
  if (!kGMimeBase64StopsAtPadding) return false;
  std::string& value = *header_value;
  struct Word {
    size_t begin, end;          // the word "=?...?=" in `value`
    absl::string_view charset;  // as written, language included
    absl::string_view payload;  // the base64
  };
  std::vector<Word> words;
  for (size_t at = value.find("=?"); at != std::string::npos; at = value.find("=?", at + 2)) {
    const size_t charset_end = value.find('?', at + 2);
    if (charset_end == std::string::npos || charset_end + 2 >= value.size() ||
        (value[charset_end + 1] != 'B' && value[charset_end + 1] != 'b') ||
        value[charset_end + 2] != '?') {
      continue;
    }
    const size_t payload_begin = charset_end + 3;
    const size_t payload_end = value.find("?=", payload_begin);
    if (payload_end == std::string::npos) break;
    absl::string_view view(value);
    words.push_back({at, payload_end + 2, view.substr(at + 2, charset_end - at - 2),
                     view.substr(payload_begin, payload_end - payload_begin)});
    at = payload_end;
  }
  // Runs of adjacent words in the same charset, from the last (so that the
  // offsets of earlier words stay valid as later runs are rewritten).
  std::vector<std::pair<size_t, size_t>> runs;  // [first, last] word indexes
  for (size_t i = 0; i < words.size();) {
    size_t j = i;
    while (j + 1 < words.size() &&
           absl::EqualsIgnoreCase(words[j + 1].charset, words[i].charset) &&
           absl::StripAsciiWhitespace(absl::string_view(value).substr(
               words[j].end, words[j + 1].begin - words[j].end)).empty()) {
      ++j;
    }
    bool padded_inside = false;
    for (size_t k = i; k < j; ++k) padded_inside |= absl::EndsWith(words[k].payload, "=");
    if (padded_inside) runs.push_back({i, j});
    i = j + 1;
  }
  for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
    std::string bytes;
    for (size_t k = run->first; k <= run->second; ++k) {
      const std::string payload(words[k].payload);
      gsize n = 0;
      GCharPtr decoded(reinterpret_cast<char*>(g_base64_decode(payload.c_str(), &n)));
      if (decoded != nullptr) bytes.append(decoded.get(), n);
    }
    GCharPtr encoded(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
    const std::string merged = absl::StrCat("=?", words[run->first].charset, "?B?",
                                            encoded != nullptr ? encoded.get() : "", "?=");
    value.replace(words[run->first].begin, words[run->second].end - words[run->first].begin,
                  merged);
  }
  return !runs.empty();
}

// The unfolded raw value of the first header `name` of `object`; false if
// there is none.
bool RawHeader(GMimeObject* object, const char* name, std::string* value) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  if (headers == nullptr) return false;
  GMimeHeader* header = g_mime_header_list_get_header(headers, name);
  if (header == nullptr) return false;
  const char* raw = g_mime_header_get_raw_value(header);
  if (raw == nullptr) {
    value->clear();
    return true;
  }
  GCharPtr unfolded(g_mime_utils_header_unfold(raw));
  value->assign(unfolded != nullptr ? unfolded.get() : raw);
  return true;
}

// The first header `name` of `object` decoded as unstructured text (RFC 2047)
// to UTF-8; false if there is none.
bool DecodedHeader(GMimeObject* object, const char* name,
                   GMimeParserOptions* options, std::string* text) {
  std::string raw;
  if (!RawHeader(object, name, &raw)) return false;
  PromoteGbLabels(&raw);
  MergePaddedEncodedWords(&raw);
  GCharPtr decoded(g_mime_utils_header_decode_text(options, raw.c_str()));
  *text = Utf8From(decoded.get());
  return true;
}

// Every value of parameter `param` of the header `header`
// ("Content-Disposition" or "Content-Type") of `object`, in order, decoded
// to UTF-8 (RFC 2231 and RFC 2047, GB labels promoted); empty ones left out.
// A header can carry a parameter twice (`filename` and `filename*`), and
// mail clients disagree on which wins.
std::vector<std::string> ParameterValues(GMimeObject* object, const char* header,
                                         const char* param, GMimeParserOptions* options) {
  std::vector<std::string> values;
  // Every header of that name: a part may carry two Content-Dispositions,
  // and clients differ on which they read.
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int count = headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  for (int h = 0; h < count; ++h) {
    GMimeHeader* field = g_mime_header_list_get_header_at(headers, h);
    const char* field_name = g_mime_header_get_name(field);
    const char* raw_value = g_mime_header_get_raw_value(field);
    if (field_name == nullptr || raw_value == nullptr ||
        !absl::EqualsIgnoreCase(field_name, header)) {
      continue;
    }
    GCharPtr unfolded(g_mime_utils_header_unfold(raw_value));
    std::string raw = unfolded != nullptr ? unfolded.get() : raw_value;
    PromoteGbLabels(&raw);
    MergePaddedEncodedWords(&raw);
    GMimeParamList* list = nullptr;
    GObjectPtr<GMimeContentDisposition> disposition;
    GObjectPtr<GMimeContentType> type;
    if (absl::EqualsIgnoreCase(header, "Content-Disposition")) {
      disposition.reset(g_mime_content_disposition_parse(options, raw.c_str()));
      if (disposition != nullptr) {
        list = g_mime_content_disposition_get_parameters(disposition.get());
      }
    } else {
      type.reset(g_mime_content_type_parse(options, raw.c_str()));
      if (type != nullptr) list = g_mime_content_type_get_parameters(type.get());
    }
    if (list == nullptr) continue;
    for (int i = 0; i < g_mime_param_list_length(list); ++i) {
      GMimeParam* p = g_mime_param_list_get_parameter_at(list, i);
      const char* name = g_mime_param_get_name(p);
      if (name == nullptr || !absl::EqualsIgnoreCase(name, param)) continue;
      std::string value = Utf8From(g_mime_param_get_value(p));
      // Encoded words carried in RFC 2231 continuations (filename*0=
      // "=?UTF-8?B?...?="; filename*1="..."), as some clients write them
      // and others decode them: GMime joins the pieces but leaves the
      // words, so they are decoded here as a header's would be.
      if (value.find("=?") != std::string::npos && value.find("?=") != std::string::npos) {
        PromoteGbLabels(&value);
        MergePaddedEncodedWords(&value);
        GCharPtr decoded(g_mime_utils_header_decode_text(options, value.c_str()));
        if (decoded != nullptr) value = Utf8From(decoded.get());
      }
      if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(std::move(value));
      }
    }
  }
  return values;
}

// The names of a part: the Content-Disposition filename parameters, then
// the Content-Type name parameters, each once. The first is the one GMime
// (and most clients) show; empty if the part has none.
std::vector<std::string> FileNamesOf(GMimeObject* object, GMimeParserOptions* options) {
  std::vector<std::string> names =
      ParameterValues(object, "Content-Disposition", "filename", options);
  for (std::string& name : ParameterValues(object, "Content-Type", "name", options)) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

// Fills the names of `attachment` from `names` (FileNamesOf).
void SetNames(std::vector<std::string> names, Attachment* attachment) {
  if (names.empty()) return;
  attachment->file_name = std::move(names.front());
  attachment->other_names.assign(std::make_move_iterator(names.begin() + 1),
                                 std::make_move_iterator(names.end()));
}

// "type/subtype" of `object`, lower case.
std::string MimeTypeOf(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return std::string();
  GCharPtr mime_type(g_mime_content_type_get_mime_type(type));
  if (mime_type == nullptr) return std::string();
  return absl::AsciiStrToLower(mime_type.get());
}

bool IsMessageType(absl::string_view mime_type) {
  return mime_type == "message/rfc822" || mime_type == "message/global" ||
         mime_type == "message/news";
}

// ---------------------------------------------------------------------------
// Header-derived facts.

// Trims ASCII whitespace; a subject a reader sees as blank (white space and
// invisible characters only, internal::IsBlankText) becomes "".
std::string NormalizeSubject(absl::string_view subject) {
  if (internal::IsBlankText(subject)) return std::string();
  return std::string(absl::StripAsciiWhitespace(subject));
}

// Fwd:, FW: (any case, ASCII or full-width colon), 转发, 轉發.
bool HasForwardPrefix(absl::string_view subject) {
  subject = absl::StripLeadingAsciiWhitespace(subject);
  if (absl::StartsWith(subject, "转发") || absl::StartsWith(subject, "轉發")) {
    return true;
  }
  for (absl::string_view tag : {"fwd", "fw"}) {
    if (!absl::StartsWithIgnoreCase(subject, tag)) continue;
    absl::string_view rest = subject.substr(tag.size());
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (absl::StartsWith(rest, ":") || absl::StartsWith(rest, "：")) {
      return true;
    }
  }
  return false;
}

// "auto-forwarded", possibly followed by parameters or a comment.
bool IsAutoForwardedValue(absl::string_view value) {
  value = absl::StripLeadingAsciiWhitespace(value);
  const size_t end = value.find_first_of("; \t\r\n(");
  return absl::EqualsIgnoreCase(value.substr(0, end), "auto-forwarded");
}

// ---------------------------------------------------------------------------
// Bodies.

// Whether base64 `source` has '=' padding before more base64 (a body sent
// in padded chunks), which GMime 3.2.13 stops at; GMime's decoder is about
// twice as fast as GLib's and serves every other body. Leaves `source` at
// its start; false if it cannot be read.
bool PaddedInside(GMimeStream* source) {
  char buffer[16384];
  bool padded = false;
  bool inside = false;
  for (;;) {
    const ssize_t n = g_mime_stream_read(source, buffer, sizeof(buffer));
    if (n <= 0) break;
    const char* p = buffer;
    const char* end = buffer + n;
    while (p != end && !inside) {
      if (!padded) {
        p = static_cast<const char*>(memchr(p, '=', static_cast<size_t>(end - p)));
        if (p == nullptr) break;
        padded = true;
      } else if (absl::ascii_isalnum(static_cast<unsigned char>(*p)) || *p == '+' ||
                 *p == '/') {
        inside = true;
      }
      ++p;
    }
    if (inside) break;
  }
  return g_mime_stream_reset(source) != -1 && inside;
}

// Passes the transfer-decoded content of `part` to `consume(data, size)` in
// chunks, in order.
template <typename Consume>
void ReadDecodedContent(GMimePart* part, Consume consume) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return;
  GMimeStream* source = g_mime_data_wrapper_get_stream(content);
  if (source == nullptr) return;
  if (g_mime_stream_reset(source) == -1) return;

  GObjectPtr<GMimeStream> stream;
  const GMimeContentEncoding encoding =
      g_mime_data_wrapper_get_encoding(content);
  if (kGMimeBase64StopsAtPadding && encoding == GMIME_CONTENT_ENCODING_BASE64 &&
      PaddedInside(source)) {
    // GLib's decoder, which reads a body sent in padded chunks whole.
    char in[12288];
    unsigned char out[sizeof(in) / 4 * 3 + 3];
    gint state = 0;
    guint save = 0;
    for (;;) {
      const ssize_t n = g_mime_stream_read(source, in, sizeof(in));
      if (n <= 0) break;
      const gsize m = g_base64_decode_step(in, static_cast<gsize>(n), out, &state, &save);
      if (m > 0) consume(reinterpret_cast<const char*>(out), static_cast<size_t>(m));
    }
    return;
  }
  if (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
      encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
    stream.reset(g_mime_stream_filter_new(source));
    GObjectPtr<GMimeFilter> decoder(g_mime_filter_basic_new(encoding, FALSE));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(stream.get()), decoder.get());
  } else {
    g_object_ref(source);
    stream.reset(source);
  }

  char buffer[16384];
  gint64 last_position = -1;
  for (;;) {
    const ssize_t n = g_mime_stream_read(stream.get(), buffer, sizeof(buffer));
    if (n > 0) {
      consume(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 || g_mime_stream_eos(stream.get())) break;
    // A filter may turn a chunk into nothing (base64 of only line breaks);
    // stop only if the source did not move either.
    const gint64 position = g_mime_stream_tell(source);
    if (position == last_position) break;
    last_position = position;
  }
}

// RFC 3676: a text/plain part sent format=flowed, and whether delsp=yes.
bool IsFlowed(GMimeObject* object) {
  const char* format = g_mime_object_get_content_type_parameter(object, "format");
  return format != nullptr && absl::EqualsIgnoreCase(format, "flowed");
}
bool DeletesSpace(GMimeObject* object) {
  const char* delsp = g_mime_object_get_content_type_parameter(object, "delsp");
  return delsp != nullptr && absl::EqualsIgnoreCase(delsp, "yes");
}

// RFC 3676 4.1-4.2 undone: a line ending in a space is joined to the next
// (that space dropped when `delete_space`, delsp=yes), space-stuffing
// removed; the signature separator "-- " stays a hard break. Quote depths
// are not tracked: the text is for matching, not display.
std::string Unflow(absl::string_view text, bool delete_space) {
  std::string out;
  out.reserve(text.size());
  bool joining = false;  // the previous line was flowed
  size_t joining_depth = 0;
  for (absl::string_view rest = text; !rest.empty();) {
    const size_t end = rest.find('\n');
    absl::string_view line = rest.substr(0, end);
    rest = end == absl::string_view::npos ? absl::string_view() : rest.substr(end + 1);
    absl::ConsumeSuffix(&line, "\r");
    // 4.5: the quote depth, then space-stuffing; a flowed line joins the
    // next only at the same depth, whose quote marks then go.
    size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    line.remove_prefix(depth);
    absl::ConsumePrefix(&line, " ");  // space-stuffing
    const bool soft = absl::EndsWith(line, " ") && line != "-- ";
    if (soft && delete_space) line.remove_suffix(1);
    if (!(joining && depth == joining_depth)) {
      if (joining) out.push_back('\n');  // a flowed paragraph ended by a depth change
      if (depth > 0) absl::StrAppend(&out, std::string(depth, '>'), " ");
    }
    out.append(line.data(), line.size());
    if (!soft && end != absl::string_view::npos) out.push_back('\n');
    joining = soft;
    joining_depth = depth;
  }
  return out;
}

// A file uuencoded in a text body: "begin MODE NAME", the encoded lines,
// "end" (POSIX uuencode), as mail clients show it: an attachment.
struct UuencodedFile {
  std::string name;  // as written on the begin line, converted to UTF-8
  std::string data;  // decoded
};

// The uuencoded files in `text` (a text part's bytes after transfer
// decoding), decoded with GMime's uudecoder; at most `max_files`.
std::vector<UuencodedFile> FindUuencodedFiles(absl::string_view text, size_t max_files) {
  std::vector<UuencodedFile> files;
  size_t at = 0;
  while (files.size() < max_files && at < text.size()) {
    const size_t begin = text.find("begin ", at);
    if (begin == absl::string_view::npos) break;
    at = begin + 6;
    if (begin > 0 && text[begin - 1] != '\n') continue;  // not at a line start
    size_t line_end = text.find('\n', begin);
    if (line_end == absl::string_view::npos) break;
    absl::string_view line = text.substr(begin + 6, line_end - begin - 6);
    absl::ConsumeSuffix(&line, "\r");
    // MODE: three or four octal digits, then one space and the name.
    size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '7') ++digits;
    if (digits < 3 || digits > 4 || digits + 1 >= line.size() || line[digits] != ' ') continue;
    absl::string_view name = absl::StripAsciiWhitespace(line.substr(digits + 1));
    // Some encoders quote the name: "begin 644 \"run.vbs\"".
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    if (name.empty()) continue;
    // The block ends at a line "end".
    size_t end = line_end;
    for (;;) {
      end = text.find("\nend", end);
      if (end == absl::string_view::npos) break;
      const size_t after = end + 4;
      if (after == text.size() || text[after] == '\n' || text[after] == '\r') break;
      end = after;
    }
    const size_t block_end = end == absl::string_view::npos ? text.size() : end + 4;
    const absl::string_view block = text.substr(begin, block_end - begin);
    at = block_end;

    // GMime's uudecoder misreads CRLF lines, the usual form on the wire.
    std::string lines(block);
    lines.erase(std::remove(lines.begin(), lines.end(), '\r'), lines.end());
    GObjectPtr<GMimeStream> source(g_mime_stream_mem_new_with_buffer(lines.data(), lines.size()));
    GObjectPtr<GMimeStream> filtered(g_mime_stream_filter_new(source.get()));
    GObjectPtr<GMimeFilter> decoder(
        g_mime_filter_basic_new(GMIME_CONTENT_ENCODING_UUENCODE, FALSE));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), decoder.get());
    UuencodedFile file;
    file.name = ToUtf8(std::string(name), "");
    char buffer[8192];
    for (;;) {
      const ssize_t n = g_mime_stream_read(filtered.get(), buffer, sizeof(buffer));
      if (n <= 0) break;
      file.data.append(buffer, static_cast<size_t>(n));
    }
    // Prose that looks like a begin line decodes to nothing: no file.
    if (!file.data.empty()) files.push_back(std::move(file));
  }
  return files;
}

// Walks a parsed message in document order and fills the message fields.
class FactsBuilder {
 public:
  // `container`: the index of the attachment whose content `raw` is (an
  // attached message that had to be decoded before it could be parsed), or
  // -1 for the message itself; `depth`: how many such decodings lie around.
  FactsBuilder(absl::string_view raw, GMimeParserOptions* options,
               MessageFacts* facts, int32_t container = -1, int depth = 0,
               int base_depth = 0)
      : raw_(raw), options_(options), facts_(*facts), depth_(depth), base_depth_(base_depth) {
    if (container >= 0) containers_.push_back(container);
  }

  void Walk(GMimeObject* root) {
    std::vector<Task> tasks;
    tasks.push_back(Task{Task::kVisit, root, 0, 0, base_depth_});
    while (!tasks.empty()) {
      const Task task = tasks.back();
      tasks.pop_back();
      switch (task.kind) {
        case Task::kVisit:
          Visit(task.object, task.depth, &tasks);
          break;
        case Task::kEndMultipart:
          EndMultipart(GMIME_MULTIPART(task.object));
          break;
        case Task::kEndEmbeddedMessage:
          EndEmbeddedMessage(task);
          break;
      }
    }
  }

 private:
  struct Task {
    enum Kind { kVisit, kEndMultipart, kEndEmbeddedMessage } kind;
    GMimeObject* object;  // kVisit, kEndMultipart; kEndEmbeddedMessage: the
                          // embedded GMimeMessage
    size_t attachment;    // kEndEmbeddedMessage: index in attachments
    size_t leaves;        // kEndEmbeddedMessage: leaves_ when it began
    int depth;            // kVisit: multiparts and attached messages around it
  };

  void Visit(GMimeObject* object, int depth, std::vector<Task>* tasks) {
    if (object == nullptr) return;
    MessageComplexity& complexity = facts_.complexity;
    complexity.depth = std::max(complexity.depth, depth);
    if (GMIME_IS_MESSAGE_PART(object)) {
      BeginEmbeddedMessage(GMIME_MESSAGE_PART(object), depth, tasks);
    } else if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      tasks->push_back(Task{Task::kEndMultipart, object, 0, 0, depth});
      for (int i = g_mime_multipart_get_count(multipart) - 1; i >= 0; --i) {
        tasks->push_back(
            Task{Task::kVisit, g_mime_multipart_get_part(multipart, i), 0, 0, depth + 1});
      }
    } else if (GMIME_IS_PART(object)) {
      // Past the walk's bound the parts are counted, not read.
      if (++complexity.parts > kMaxPartsWalked) {
        complexity.truncated = true;
        return;
      }
      VisitLeaf(GMIME_PART(object), depth);
    }
  }

  void VisitLeaf(GMimePart* part, int depth) {
    GMimeObject* object = GMIME_OBJECT(part);
    ++leaves_;
    NoteLeafEnd(part);

    const std::string mime_type = MimeTypeOf(object);
    std::vector<std::string> names = FileNamesOf(object, options_);
    const char* disposition = g_mime_object_get_disposition(object);
    // An attached message GMime did not parse: sent with a transfer
    // encoding (base64, quoted-printable), which RFC 2046 5.2.1 forbids and
    // mail that hides a file uses.
    // Or a saved message sent under another type: mail clients open an
    // .eml file and let the user save what it holds.
    const bool is_message =
        IsMessageType(mime_type) ||
        (!names.empty() && absl::EndsWithIgnoreCase(names.front(), ".eml"));
    // A non-text part counts as an attachment even without a name or an
    // attachment disposition, so an unnamed file cannot slip past the
    // attachment rules.
    const bool is_attachment =
        is_message || !names.empty() ||
        !absl::StartsWith(mime_type, "text/") ||
        (disposition != nullptr &&
         absl::EqualsIgnoreCase(disposition, "attachment"));

    if (!is_attachment) {
      if (mime_type != "text/plain" && mime_type != "text/html") return;
      std::string bytes;
      ReadDecodedContent(part, [&bytes](const char* data, size_t size) {
        bytes.append(data, size);
      });
      const char* charset =
          g_mime_object_get_content_type_parameter(object, "charset");
      if (mime_type == "text/plain") AddUuencodedFiles(bytes);
      if (bytes.empty()) return;
      std::string text = ToUtf8(bytes, charset != nullptr ? charset : "");
      if (mime_type == "text/html") {
        text = mime::HtmlVisibleText(text);
      } else if (IsFlowed(object)) {
        text = Unflow(text, DeletesSpace(object));
      }
      facts_.text_parts.push_back(std::move(text));
      return;
    }

    Attachment attachment;
    SetNames(std::move(names), &attachment);
    if (is_message) {
      facts_.forwarded = true;
      if (attachment.file_name.empty()) attachment.file_name = "message.eml";
    }
    attachment.content_type = mime_type;
    // The content, to parse an attached message or list a container's
    // files; other files are only measured. Whether a file is a container is
    // known from its first chunk (a tar's magic lies at byte 257).
    std::string content;
    const size_t keep = is_message ? kMaxEncodedMessageBytes : kMaxContainerBytes;
    bool keeping = true;
    bool reserved = false;
    ReadDecodedContent(part, [&](const char* data, size_t size) {
      if (attachment.first_bytes.size() < kFirstBytesKept) {
        attachment.first_bytes.append(
            data, std::min(size, kFirstBytesKept - attachment.first_bytes.size()));
      }
      attachment.size += size;
      if (!keeping) return;
      content.append(data, std::min(size, keep - content.size()));
      if (!is_message && content.size() >= mime::kContainerMagicBytes && !reserved) {
        if (mime::ContainerKindOf(content) == mime::ContainerKind::kNone) {
          // An ISO image says so 32 KiB in, whatever its first bytes (a
          // system area may hold anything, a PDF header too).
          if (content.size() < mime::kDiskImageMagicBytes) {
            keeping = content.size() < keep;
            return;
          }
          keeping = false;
          std::string().swap(content);
          return;
        }
        // A container: room for all of it at once (its encoded size bounds
        // its decoded one), not a copy per doubling.
        content.reserve(std::min(keep, EncodedSize(part)));
        reserved = true;
      }
      keeping = content.size() < keep;
    });
    const int32_t index = Add(std::move(attachment));
    if (is_message) {
      ParseEncodedMessage(content, index, depth + 1);
    } else {
      AddContainedFiles(content, index, 0);
    }
  }

  // The files inside attachment `index` (an archive, a TNEF winmail.dat),
  // from its content, and inside those, `depth` containers deep.
  void AddContainedFiles(absl::string_view content, int32_t index, int depth) {
    const mime::ContainerKind kind = mime::ContainerKindOf(content);
    if (kind == mime::ContainerKind::kNone) return;
    MessageComplexity& complexity = facts_.complexity;
    if (depth >= kMaxContainerDepth ||
        complexity.contained_files >= static_cast<int32_t>(kMaxContainedFiles)) {
      complexity.truncated = true;  // a container left unopened
      return;
    }
    mime::ContainerLimits limits;
    limits.max_entries = kMaxContainedFiles - static_cast<size_t>(complexity.contained_files);
    std::vector<mime::ContainedFile> files;
    const mime::ListResult result = kind == mime::ContainerKind::kArchive
                                        ? mime::ListArchive(content, limits, &files)
                                        : mime::ListTnef(content, limits, &files);
    if (result == mime::ListResult::kTooLarge) complexity.truncated = true;
    if (result == mime::ListResult::kUnreadable) facts_.attachments[index].unreadable = true;
    for (const mime::ContainedFile& file : files) {
      if (file.encrypted) facts_.attachments[index].encrypted = true;
    }
    for (mime::ContainedFile& file : files) {
      std::string path = ToUtf8(file.name, "");
      if (path.empty()) path = WithoutCompressionSuffix(facts_.attachments[index].file_name);
      Attachment attachment;
      const size_t slash = path.find_last_of('/');
      attachment.file_name = slash == std::string::npos ? path : path.substr(slash + 1);
      for (const std::string& other : file.other_names) {
        attachment.other_names.push_back(ToUtf8(other, ""));
      }
      attachment.size = file.size;
      attachment.first_bytes = std::move(file.first_bytes);
      attachment.encrypted = file.encrypted;
      containers_.push_back(index);
      const int32_t inner = Add(std::move(attachment));
      containers_.pop_back();
      // The path inside the container, not only the name.
      const Attachment& outer = facts_.attachments[index];
      facts_.attachments[inner].path =
          absl::StrCat(outer.path.empty() ? outer.file_name : outer.path, "/", path);
      AddContainedFiles(file.data, inner, depth + 1);
    }
  }

  // "setup.exe.gz" -> "setup.exe": the name a compressed single file is
  // saved under; "tgz" and unknown suffixes give the name as it is.
  static std::string WithoutCompressionSuffix(const std::string& name) {
    for (absl::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".z", ".lz", ".lzma"}) {
      if (name.size() > suffix.size() && absl::EndsWithIgnoreCase(name, suffix)) {
        return name.substr(0, name.size() - suffix.size());
      }
    }
    return name;
  }

  // The size of a part's content as sent (before transfer decoding).
  static size_t EncodedSize(GMimePart* part) {
    GMimeStream* content = ContentStream(part);
    if (content == nullptr || content->bound_end < content->bound_start) return 0;
    return static_cast<size_t>(content->bound_end - content->bound_start);
  }

  // Appends `attachment` as found where the walk is now; returns its index.
  int32_t Add(Attachment attachment) {
    attachment.container = containers_.empty() ? -1 : containers_.back();
    if (attachment.container >= 0) {
      ++facts_.complexity.contained_files;
      const Attachment& outer = facts_.attachments[attachment.container];
      attachment.path = absl::StrCat(outer.path.empty() ? outer.file_name : outer.path, "/",
                                     attachment.file_name);
    }
    facts_.attachments.push_back(std::move(attachment));
    return static_cast<int32_t>(facts_.attachments.size() - 1);
  }

  // Files uuencoded in a plain text body (`bytes`, transfer-decoded).
  void AddUuencodedFiles(absl::string_view bytes) {
    if (bytes.find("begin ") == absl::string_view::npos) return;
    for (UuencodedFile& file : FindUuencodedFiles(bytes, kMaxUuencodedFiles)) {
      Attachment attachment;
      attachment.file_name = std::move(file.name);
      attachment.content_type = "application/octet-stream";
      attachment.size = file.data.size();
      attachment.first_bytes = file.data.substr(0, kFirstBytesKept);
      AddContainedFiles(file.data, Add(std::move(attachment)), 0);
    }
  }

  // An attached message that had to be decoded first: parsed from its
  // decoded bytes and walked by a builder of its own, its files contained
  // in attachment `index`. Bounded in depth.
  void ParseEncodedMessage(const std::string& content, int32_t index, int depth) {
    if (content.empty()) return;
    if (depth_ >= kMaxEncodedMessageDepth) {
      facts_.complexity.truncated = true;
      return;
    }
    GObjectPtr<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(content.data(), content.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_persist_stream(parser.get(), TRUE);
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options_));
    if (message == nullptr) return;
    FactsBuilder(content, options_, &facts_, index, depth_ + 1, depth)
        .Walk(g_mime_message_get_mime_part(message.get()));
  }

  // An attached message: an attachment, and its parts are walked too. Its
  // size is known once its last leaf has been seen (EndEmbeddedMessage):
  // taking it from offsets in the input keeps the walk linear however deeply
  // messages nest, where serialising each one again would not.
  void BeginEmbeddedMessage(GMimeMessagePart* part, int depth, std::vector<Task>* tasks) {
    GMimeObject* object = GMIME_OBJECT(part);
    facts_.forwarded = true;
    Attachment attachment;
    SetNames(FileNamesOf(object, options_), &attachment);
    if (attachment.file_name.empty()) attachment.file_name = "message.eml";
    attachment.content_type = MimeTypeOf(object);
    const int32_t index = Add(std::move(attachment));

    GMimeMessage* message = g_mime_message_part_get_message(part);
    if (message == nullptr) return;
    // Sent quoted-printable (RFC 2046 5.2.1 forbids it): GMime parsed the
    // encoded text as if it were the message. Decode it and parse that.
    std::string encoding;
    if (RawHeader(object, "Content-Transfer-Encoding", &encoding) &&
        absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(encoding), "quoted-printable")) {
      GObjectPtr<GMimeStream> written(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, written.get());
      g_mime_stream_reset(written.get());
      GObjectPtr<GMimeStream> filtered(g_mime_stream_filter_new(written.get()));
      GObjectPtr<GMimeFilter> decoder(
          g_mime_filter_basic_new(GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, FALSE));
      g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), decoder.get());
      std::string content;
      char buffer[16384];
      for (ssize_t n; (n = g_mime_stream_read(filtered.get(), buffer, sizeof(buffer))) > 0;) {
        content.append(buffer, static_cast<size_t>(std::min<size_t>(
                                   n, kMaxEncodedMessageBytes - std::min(content.size(),
                                                                         kMaxEncodedMessageBytes))));
      }
      Attachment& added = facts_.attachments[index];
      added.size = content.size();
      added.first_bytes = content.substr(0, kFirstBytesKept);
      ParseEncodedMessage(content, index, depth + 1);
      return;
    }
    // Its files are contained in it until EndEmbeddedMessage.
    containers_.push_back(index);
    tasks->push_back(Task{Task::kEndEmbeddedMessage, GMIME_OBJECT(message),
                          static_cast<size_t>(index), leaves_, depth});
    tasks->push_back(
        Task{Task::kVisit, g_mime_message_get_mime_part(message), 0, 0, depth + 1});
  }

  void EndEmbeddedMessage(const Task& task) {
    if (!containers_.empty()) containers_.pop_back();
    Attachment& attachment = facts_.attachments[task.attachment];
    GMimeMessage* message = GMIME_MESSAGE(task.object);
    const int64_t begin = RawBegin(message);
    if (leaves_ > task.leaves && begin >= 0 && last_leaf_end_ >= begin) {
      attachment.size = static_cast<uint64_t>(last_leaf_end_ - begin);
      attachment.first_bytes = std::string(
          raw_.substr(static_cast<size_t>(begin),
                      std::min<uint64_t>(attachment.size, kFirstBytesKept)));
      return;
    }
    // No body part to measure to (an empty message): serialise it, which
    // costs next to nothing here.
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    if (g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr,
                                      stream.get()) < 0) {
      return;
    }
    GByteArray* bytes =
        g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    if (bytes == nullptr) return;
    attachment.size = bytes->len;
    attachment.first_bytes.assign(reinterpret_cast<const char*>(bytes->data),
                                  std::min<size_t>(bytes->len, kFirstBytesKept));
  }

  // Offset in the input where `message` starts (its first header, else its
  // body); -1 if unknown.
  int64_t RawBegin(GMimeMessage* message) const {
    GMimeHeaderList* headers =
        g_mime_object_get_header_list(GMIME_OBJECT(message));
    if (headers != nullptr && g_mime_header_list_get_count(headers) > 0) {
      return InRaw(g_mime_header_get_offset(
          g_mime_header_list_get_header_at(headers, 0)));
    }
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body == nullptr) return -1;
    GMimeHeaderList* body_headers = g_mime_object_get_header_list(body);
    if (body_headers != nullptr &&
        g_mime_header_list_get_count(body_headers) > 0) {
      return InRaw(g_mime_header_get_offset(
          g_mime_header_list_get_header_at(body_headers, 0)));
    }
    if (!GMIME_IS_PART(body)) return -1;
    GMimeStream* content = ContentStream(GMIME_PART(body));
    return content != nullptr ? InRaw(content->bound_start) : -1;
  }

  // The input offset just past the last body part's content, extended over a
  // closing "--boundary--" line that follows it directly.
  void EndMultipart(GMimeMultipart* multipart) {
    const char* boundary = g_mime_multipart_get_boundary(multipart);
    if (boundary == nullptr || last_leaf_end_ < 0) return;
    absl::string_view rest = raw_.substr(static_cast<size_t>(last_leaf_end_));
    const size_t before = rest.size();
    if (!absl::ConsumePrefix(&rest, "\r\n")) absl::ConsumePrefix(&rest, "\n");
    if (!absl::ConsumePrefix(&rest, "--") ||
        !absl::ConsumePrefix(&rest, boundary) ||
        !absl::ConsumePrefix(&rest, "--")) {
      return;
    }
    last_leaf_end_ += static_cast<int64_t>(before - rest.size());
  }

  void NoteLeafEnd(GMimePart* part) {
    GMimeStream* content = ContentStream(part);
    if (content == nullptr) return;
    const int64_t end = InRaw(content->bound_end);
    if (end >= 0) last_leaf_end_ = std::max(last_leaf_end_, end);
  }

  static GMimeStream* ContentStream(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    return content != nullptr ? g_mime_data_wrapper_get_stream(content)
                              : nullptr;
  }

  // `offset` if it lies within the input, else -1.
  int64_t InRaw(gint64 offset) const {
    return offset >= 0 && static_cast<uint64_t>(offset) <= raw_.size()
               ? static_cast<int64_t>(offset)
               : -1;
  }

  const absl::string_view raw_;
  GMimeParserOptions* const options_;
  MessageFacts& facts_;
  const int depth_;  // attached messages decoded and parsed around this one
  const int base_depth_;  // the nesting (MessageComplexity::depth) of the root
  // The attachments (attached messages) the walk is inside, innermost last.
  std::vector<int32_t> containers_;
  size_t leaves_ = 0;           // leaf parts visited so far
  int64_t last_leaf_end_ = -1;  // input offset past the latest leaf's content
};

void ResetMessageFields(absl::string_view raw, MessageFacts* facts) {
  facts->subject.clear();
  facts->has_subject = false;
  facts->text_parts.clear();
  facts->attachments.clear();
  facts->message_size = raw.size();
  facts->auto_forwarded = false;
  facts->forwarded = false;
  facts->complexity = MessageComplexity();
}

// The first line of `raw`, escaped and shortened, for error messages.
std::string FirstLineForError(absl::string_view raw) {
  constexpr size_t kMax = 40;
  absl::string_view line = raw.substr(0, raw.find('\n'));
  if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
  std::string shown = absl::CHexEscape(line.substr(0, kMax));
  if (line.size() > kMax) shown += "...";
  return shown;
}

}  // namespace

absl::Status ParseMessageInto(absl::string_view raw_rfc5322,
                              MessageFacts* facts) {
  if (facts == nullptr) {
    return absl::InvalidArgumentError("ParseMessageInto: facts is null");
  }
  ResetMessageFields(raw_rfc5322, facts);
  if (raw_rfc5322.empty()) {
    return absl::InvalidArgumentError(
        "not an RFC 5322 message: the input is empty");
  }

  // A byte order mark some Windows tools put in front of saved messages.
  absl::string_view raw = raw_rfc5322;
  absl::ConsumePrefix(&raw, "\xEF\xBB\xBF");

  InitGMimeOnce();
  ParserOptionsPtr options(g_mime_parser_options_new());
  static const char* kFallbackCharsets[] = {"UTF-8", "GB18030", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), kFallbackCharsets);

  GObjectPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  // Part contents stay views of `stream`; attached messages are measured by
  // their offsets in it.
  g_mime_parser_set_persist_stream(parser.get(), TRUE);
  GObjectPtr<GMimeMessage> message(
      g_mime_parser_construct_message(parser.get(), options.get()));
  if (message == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not an RFC 5322 message: no header field before the body; the "
        "input starts \"",
        FirstLineForError(raw), "\""));
  }
  GMimeObject* root = GMIME_OBJECT(message.get());
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  GMimeHeaderList* headers = g_mime_object_get_header_list(root);
  const int header_count =
      headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  GMimeHeaderList* body_headers =
      body != nullptr ? g_mime_object_get_header_list(body) : nullptr;
  if (header_count == 0 && (body_headers == nullptr ||
                            g_mime_header_list_get_count(body_headers) == 0)) {
    return absl::InvalidArgumentError(
        "not an RFC 5322 message: no header fields; the input starts with a "
        "blank line");
  }

  facts->has_subject =
      DecodedHeader(root, "Subject", options.get(), &facts->subject);
  facts->subject = NormalizeSubject(facts->subject);
  facts->forwarded = HasForwardPrefix(facts->subject);

  for (int i = 0; i < header_count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(header);
    if (name == nullptr) continue;
    if (absl::EqualsIgnoreCase(name, "X-Forwarded-For") ||
        absl::StartsWithIgnoreCase(name, "Resent-")) {
      facts->auto_forwarded = true;
    } else if (absl::EqualsIgnoreCase(name, "Auto-Submitted")) {
      const char* value = g_mime_header_get_value(header);
      if (value != nullptr && IsAutoForwardedValue(value)) {
        facts->auto_forwarded = true;
      }
    }
  }

  FactsBuilder(raw, options.get(), facts).Walk(body);
  return absl::OkStatus();
}

absl::StatusOr<MessageFacts> ParseMessage(absl::string_view raw_rfc5322) {
  MessageFacts facts;
  absl::Status status = ParseMessageInto(raw_rfc5322, &facts);
  if (!status.ok()) return status;
  return facts;
}

}  // namespace mailpolicy

// Copyright 2026 The mailpolicy Authors.

#include "policy/mime/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cstring>
#include <mutex>  // NOLINT(build/c++11): std::call_once
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mailpolicy {
namespace mime {
namespace {

// kLine: a line of its own (p, div: Outlook and Gmail write one per line);
// kGap: set apart by a blank line (cells, list items, headings, ...), so
// that its text never joins the next block's; kBreak: <br>.
enum class Tag { kOther, kHidden, kLine, kGap, kBreak, kPre };

// libxml2's HTML parser gives element names in lower case.
Tag TagOf(const xmlChar* name) {
  static const auto* const kTags = [] {
    auto* tags = new absl::flat_hash_map<absl::string_view, Tag>;
    for (const char* n : {"script", "style", "head", "noscript", "template"}) {
      (*tags)[n] = Tag::kHidden;
    }
    for (const char* n : {"p", "div", "blockquote", "title"}) (*tags)[n] = Tag::kLine;
    for (const char* n :
         {"li",     "tr",      "td",       "th",         "h1",      "h2",      "h3",
          "h4",     "h5",      "h6",       "table",      "thead",   "tbody",   "tfoot",
          "caption", "ul",     "ol",       "dl",         "dd",      "dt",      "hr",
          "section", "article", "header",  "footer",     "address", "aside",   "nav",
          "main",   "figure",  "figcaption", "fieldset", "legend",  "details", "summary",
          "center", "dir",     "menu",     "hgroup",     "option",  "optgroup", "select",
          "textarea", "form"}) {
      (*tags)[n] = Tag::kGap;
    }
    (*tags)["pre"] = Tag::kPre;
    (*tags)["br"] = Tag::kBreak;
    return tags;
  }();
  if (name == nullptr) return Tag::kOther;
  const absl::string_view n(reinterpret_cast<const char*>(name));
  auto it = kTags->find(n);
  if (it != kTags->end()) return it->second;
  // Not expected from libxml2, but cheap: a name with capitals.
  if (std::any_of(n.begin(), n.end(), absl::ascii_isupper)) {
    it = kTags->find(absl::AsciiStrToLower(n));
    if (it != kTags->end()) return it->second;
  }
  return Tag::kOther;
}

// A link target as a browser reads it (WHATWG URL): surrounding white
// space trimmed, tabs and line breaks inside removed, '\\' read as '/' in
// a web URL, "//host" and "https:host" completed to "https://host".
std::string UrlAsBrowsersRead(absl::string_view raw) {
  std::string url;
  for (char c : absl::StripAsciiWhitespace(raw)) {
    if (c != '\t' && c != '\n' && c != '\r') url.push_back(c);
  }
  auto slash = [](char c) { return c == '/' || c == '\\'; };
  if (url.size() >= 2 && slash(url[0]) && slash(url[1])) {
    size_t i = 0;
    while (i < url.size() && slash(url[i])) ++i;
    return "https://" + url.substr(i);
  }
  for (absl::string_view scheme : {"https:", "http:", "ftp:"}) {
    if (!absl::StartsWithIgnoreCase(url, scheme)) continue;
    size_t i = scheme.size();
    while (i < url.size() && slash(url[i])) ++i;
    std::string host_on = url.substr(i);
    for (char& c : host_on) {
      if (c == '\\') c = '/';
      if (c == '?' || c == '#') break;
    }
    return absl::StrCat(absl::AsciiStrToLower(scheme), "//", host_on);
  }
  return url;
}

// What the SAX callbacks build. libxml2 reports every element's end, those
// the markup leaves open included, so a count of open hidden elements is
// exact.
struct Reader {
  std::string text;
  std::vector<std::string> links;
  int hidden = 0;  // open script, style, head, ... elements
  int pre = 0;     // open <pre>: its line breaks are lines
  // Ends the text with at least `n` line breaks (a line, or a blank line).
  void Breaks(int n) {
    int have = 0;
    for (size_t i = text.size(); i > 0 && text[i - 1] == '\n' && have < n; --i) ++have;
    text.append(static_cast<size_t>(n - have), '\n');
  }
};

int BreaksOf(Tag tag) {
  switch (tag) {
    case Tag::kLine: case Tag::kPre: return 1;
    case Tag::kGap: return 2;
    default: return 0;
  }
}

// Adds a link target, unless it points inside the message (cid:) or is
// the content itself (data:).
void AddLink(Reader& r, absl::string_view raw) {
  std::string target = UrlAsBrowsersRead(raw);
  if (target.empty() || absl::StartsWithIgnoreCase(target, "cid:") ||
      absl::StartsWithIgnoreCase(target, "data:")) {
    return;
  }
  r.links.push_back(std::move(target));
}

// The targets an element's attributes name, wherever a reader's client
// goes or loads from: href (a, area, base), src (img, iframe, ...), action
// and formaction, background, each candidate of a srcset, and a meta
// refresh's url. <base> and <meta> count inside <head> too.
void AddLinks(Reader& r, const xmlChar* element, const xmlChar** attributes) {
  if (attributes == nullptr) return;
  const absl::string_view name = element == nullptr ? "" : reinterpret_cast<const char*>(element);
  bool refresh = false;
  const char* content = nullptr;
  for (const xmlChar** a = attributes; a[0] != nullptr; a += 2) {
    if (a[1] == nullptr) continue;
    const absl::string_view attribute = reinterpret_cast<const char*>(a[0]);
    const absl::string_view value = reinterpret_cast<const char*>(a[1]);
    if (absl::EqualsIgnoreCase(attribute, "href") || absl::EqualsIgnoreCase(attribute, "src") ||
        absl::EqualsIgnoreCase(attribute, "action") ||
        absl::EqualsIgnoreCase(attribute, "formaction") ||
        absl::EqualsIgnoreCase(attribute, "background")) {
      AddLink(r, value);
    } else if (absl::EqualsIgnoreCase(attribute, "srcset")) {
      for (absl::string_view candidate : absl::StrSplit(value, ',')) {
        candidate = absl::StripAsciiWhitespace(candidate);
        AddLink(r, candidate.substr(0, candidate.find_first_of(" \t\n")));
      }
    } else if (absl::EqualsIgnoreCase(attribute, "http-equiv")) {
      refresh = absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(value), "refresh");
    } else if (absl::EqualsIgnoreCase(attribute, "content")) {
      content = reinterpret_cast<const char*>(a[1]);
    }
  }
  if (absl::EqualsIgnoreCase(name, "meta") && refresh && content != nullptr) {
    // "5; url=https://host/" (the url= part may be quoted).
    absl::string_view c(content);
    const size_t semicolon = c.find_first_of(";,");
    if (semicolon != absl::string_view::npos) {
      c = absl::StripLeadingAsciiWhitespace(c.substr(semicolon + 1));
      if (absl::StartsWithIgnoreCase(c, "url")) {
        c = absl::StripLeadingAsciiWhitespace(c.substr(3));
        if (absl::ConsumePrefix(&c, "=")) {
          c = absl::StripAsciiWhitespace(c);
          if (!c.empty() && (c.front() == '\'' || c.front() == '"')) {
            const char quote = c.front();
            c.remove_prefix(1);
            c = c.substr(0, c.find(quote));
          }
          AddLink(r, c);
        }
      }
    }
  }
}

void StartElement(void* ctx, const xmlChar* name, const xmlChar** attributes) {
  Reader& r = *static_cast<Reader*>(ctx);
  const Tag tag = TagOf(name);
  if (tag == Tag::kHidden) ++r.hidden;
  if (r.hidden > 0) {
    const absl::string_view n = name == nullptr ? "" : reinterpret_cast<const char*>(name);
    if (absl::EqualsIgnoreCase(n, "base") || absl::EqualsIgnoreCase(n, "meta")) {
      AddLinks(r, name, attributes);
    }
    return;
  }
  // <br> is one line break; a block starts and ends a line or a gap.
  if (tag == Tag::kBreak) r.text.push_back('\n');
  if (const int n = BreaksOf(tag); n > 0) r.Breaks(n);
  if (tag == Tag::kPre) ++r.pre;
  AddLinks(r, name, attributes);
}

void EndElement(void* ctx, const xmlChar* name) {
  Reader& r = *static_cast<Reader*>(ctx);
  const Tag tag = TagOf(name);
  if (tag == Tag::kHidden) {
    r.hidden = std::max(0, r.hidden - 1);
    return;
  }
  if (r.hidden > 0) return;
  if (tag == Tag::kPre) r.pre = std::max(0, r.pre - 1);
  if (const int n = BreaksOf(tag); n > 0) r.Breaks(n);
}

void Characters(void* ctx, const xmlChar* chars, int length) {
  Reader& r = *static_cast<Reader*>(ctx);
  if (r.hidden > 0 || length <= 0) return;
  const size_t start = r.text.size();
  r.text.append(reinterpret_cast<const char*>(chars), static_cast<size_t>(length));
  // Outside <pre>, a line break in the source is white space to a reader
  // (HTML renders it as a space); lines come from elements.
  if (r.pre == 0) {
    for (size_t i = start; i < r.text.size(); ++i) {
      if (r.text[i] == '\n' || r.text[i] == '\r') r.text[i] = ' ';
    }
  }
}

}  // namespace

std::string HtmlVisibleText(absl::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  Reader reader;
  reader.text.reserve(html.size() / 2);
  // Events, not a tree: the visible text is read as the parser goes, and
  // no document is built (or freed).
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(
      html.data(), static_cast<int>(std::min<size_t>(html.size(), INT32_MAX)));
  if (ctxt == nullptr) return std::string();
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof(sax));
  sax.startElement = StartElement;
  sax.endElement = EndElement;
  sax.characters = Characters;
  sax.cdataBlock = Characters;
  // Entities are decoded before `characters`; comments, processing
  // instructions and white space the parser ignores have no handler.
  *ctxt->sax = sax;
  ctxt->userData = &reader;
  // The text is UTF-8 already (policy/mime decoded the part's charset): a
  // <meta charset> inside it must not make libxml2 decode it again.
  htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
  if (ctxt->input->encoding != nullptr) xmlFree(const_cast<xmlChar*>(ctxt->input->encoding));
  ctxt->input->encoding = xmlStrdup(reinterpret_cast<const xmlChar*>("UTF-8"));
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlParseDocument(ctxt);
  htmlFreeParserCtxt(ctxt);
  for (const std::string& link : reader.links) {
    reader.text.push_back('\n');
    reader.text += link;
  }
  return std::move(reader.text);
}

}  // namespace mime
}  // namespace mailpolicy

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

namespace mailpolicy {
namespace mime {
namespace {

enum class Tag { kOther, kHidden, kBlock, kBreak, kLink, kSource };

// libxml2's HTML parser gives element names in lower case.
Tag TagOf(const xmlChar* name) {
  static const auto* const kTags = [] {
    auto* tags = new absl::flat_hash_map<absl::string_view, Tag>;
    for (const char* n : {"script", "style", "head", "noscript", "template"}) {
      (*tags)[n] = Tag::kHidden;
    }
    for (const char* n : {"p",  "div", "li", "tr",    "td",      "th",     "h1",     "h2",
                          "h3", "h4",  "h5", "h6",    "table",   "ul",     "ol",     "blockquote",
                          "pre", "hr", "section", "article", "header", "footer", "title",
                          "dd", "dt"}) {
      (*tags)[n] = Tag::kBlock;
    }
    (*tags)["br"] = Tag::kBreak;
    (*tags)["a"] = Tag::kLink;
    (*tags)["area"] = Tag::kLink;
    (*tags)["form"] = Tag::kLink;  // its action
    (*tags)["img"] = Tag::kSource;
    (*tags)["iframe"] = Tag::kSource;
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

// What the SAX callbacks build. libxml2 reports every element's end, those
// the markup leaves open included, so a count of open hidden elements is
// exact.
struct Reader {
  std::string text;
  std::vector<std::string> links;
  int hidden = 0;  // open script, style, head, ... elements
};

void StartElement(void* ctx, const xmlChar* name, const xmlChar** attributes) {
  Reader& r = *static_cast<Reader*>(ctx);
  const Tag tag = TagOf(name);
  if (tag == Tag::kHidden) ++r.hidden;
  if (r.hidden > 0) return;
  // A block starts and ends a line (two blocks in a row leave a blank line:
  // a gap, not a wrap); <br> is one line break.
  if (tag == Tag::kBlock || tag == Tag::kBreak) r.text.push_back('\n');
  if ((tag == Tag::kLink || tag == Tag::kSource) && attributes != nullptr) {
    for (const xmlChar** a = attributes; a[0] != nullptr; a += 2) {
      if (a[1] == nullptr) continue;
      const char* attribute = reinterpret_cast<const char*>(a[0]);
      if (absl::EqualsIgnoreCase(attribute, tag == Tag::kSource ? "src" : "href") ||
          absl::EqualsIgnoreCase(attribute, "action")) {
        std::string target = reinterpret_cast<const char*>(a[1]);
        // A picture inside the message (cid:) or inline (data:) is no link.
        if (absl::StartsWithIgnoreCase(target, "cid:") ||
            absl::StartsWithIgnoreCase(target, "data:")) {
          continue;
        }
        // Scheme-relative ("//host/path") opens over the web.
        if (absl::StartsWith(target, "//")) target.insert(0, "https:");
        r.links.push_back(std::move(target));
      }
    }
  }
}

void EndElement(void* ctx, const xmlChar* name) {
  Reader& r = *static_cast<Reader*>(ctx);
  const Tag tag = TagOf(name);
  if (tag == Tag::kHidden) {
    r.hidden = std::max(0, r.hidden - 1);
  } else if (tag == Tag::kBlock && r.hidden == 0) {
    r.text.push_back('\n');
  }
}

void Characters(void* ctx, const xmlChar* chars, int length) {
  Reader& r = *static_cast<Reader*>(ctx);
  if (r.hidden == 0 && length > 0) {
    r.text.append(reinterpret_cast<const char*>(chars), static_cast<size_t>(length));
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

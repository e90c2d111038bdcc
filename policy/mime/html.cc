// Copyright 2026 The mailpolicy Authors.

#include "policy/mime/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <mutex>  // NOLINT(build/c++11): std::call_once
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace mailpolicy {
namespace mime {
namespace {

bool Named(const xmlNode* node, std::initializer_list<const char*> names) {
  const char* name = reinterpret_cast<const char*>(node->name);
  if (name == nullptr) return false;
  for (const char* n : names) {
    if (absl::EqualsIgnoreCase(name, n)) return true;
  }
  return false;
}

bool Hidden(const xmlNode* node) {
  return Named(node, {"script", "style", "head", "noscript", "template"});
}

bool Block(const xmlNode* node) {
  return Named(node, {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
                      "h6", "table", "ul", "ol", "blockquote", "pre", "hr", "section",
                      "article", "header", "footer", "title", "dd", "dt"});
}

}  // namespace

std::string HtmlVisibleText(absl::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  std::string text;
  std::vector<std::string> links;
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(std::min<size_t>(html.size(), INT32_MAX)), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc == nullptr) return text;
  // Iterative, so that deeply nested markup cannot exhaust the stack.
  std::vector<const xmlNode*> stack;
  if (xmlDocGetRootElement(doc) != nullptr) stack.push_back(xmlDocGetRootElement(doc));
  while (!stack.empty()) {
    const xmlNode* node = stack.back();
    stack.pop_back();
    if (node == nullptr) {  // the end of a block element
      text.push_back('\n');
      continue;
    }
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != nullptr) text += reinterpret_cast<const char*>(node->content);
      continue;
    }
    if (node->type != XML_ELEMENT_NODE || Hidden(node)) continue;
    if (Named(node, {"a", "area"})) {
      xmlChar* href = xmlGetProp(node, reinterpret_cast<const xmlChar*>("href"));
      if (href != nullptr) {
        links.emplace_back(reinterpret_cast<const char*>(href));
        xmlFree(href);
      }
    }
    const bool block = Block(node);
    if (block) {
      text.push_back('\n');
      stack.push_back(nullptr);
    }
    // Children in document order: pushed last to first.
    std::vector<const xmlNode*> children;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      children.push_back(child);
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  xmlFreeDoc(doc);
  for (const std::string& link : links) {
    text.push_back('\n');
    text += link;
  }
  return text;
}

}  // namespace mime
}  // namespace mailpolicy

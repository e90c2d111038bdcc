// Copyright 2026 The mailpolicy Authors.

#include "policy/content/chinese_variants.h"

#include <memory>
#include <mutex>

#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace mailpolicy {
namespace content {
namespace {

struct Transliterators {
  std::unique_ptr<icu::Transliterator> to_simplified;
  std::unique_ptr<icu::Transliterator> to_traditional;
  std::mutex mu;  // ICU transliterators are not thread-safe
};

Transliterators& Get() {
  static Transliterators* t = [] {
    auto* t = new Transliterators;
    UErrorCode status = U_ZERO_ERROR;
    t->to_simplified.reset(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    status = U_ZERO_ERROR;
    t->to_traditional.reset(
        icu::Transliterator::createInstance("Simplified-Traditional", UTRANS_FORWARD, status));
    return t;
  }();
  return *t;
}

}  // namespace

std::vector<std::string> ChineseVariants(absl::string_view utf8) {
  Transliterators& t = Get();
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(t.mu);
  for (icu::Transliterator* tr : {t.to_simplified.get(), t.to_traditional.get()}) {
    std::string converted;
    if (tr == nullptr) {
      converted.assign(utf8.data(), utf8.size());
    } else {
      icu::UnicodeString text = icu::UnicodeString::fromUTF8(
          icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
      tr->transliterate(text);
      text.toUTF8String(converted);
    }
    out.push_back(std::move(converted));
  }
  return out;
}

}  // namespace content
}  // namespace mailpolicy

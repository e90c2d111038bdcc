// Copyright 2026 The mailpolicy Authors.

#include "policy/content/prefilter.h"

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/ascii.h"
#include "hs/hs.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace mailpolicy {
namespace content {
namespace {

// The length of the counted repetition (`{2}`, `{0,20}`, `{3,}`) at the
// start of `text`, or 0. RE2 reads anything else, `{,5}` too, as literal.
size_t CountedRepetition(absl::string_view text) {
  size_t i = 1, digits = 0;
  while (i < text.size() && absl::ascii_isdigit(text[i])) ++i, ++digits;
  if (digits == 0) return 0;
  if (i < text.size() && text[i] == ',') {
    ++i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
  }
  return i < text.size() && text[i] == '}' ? i + 1 : 0;
}

// Writes to `out` the form Hyperscan is given for `form` (RE2 syntax, valid
// UTF-8), or returns false if Hyperscan might match less than RE2 there.
// Counted repetitions become `*`, which matches more (a regular expression
// only grows when a part of it does) and compiles many times faster in
// UTF-8 (`.{0,20}` is twenty copies of every UTF-8 sequence).
bool HyperscanForm(absl::string_view form, std::string* out) {
  out->clear();
  bool in_class = false;
  size_t i = 0;
  while (i < form.size()) {
    const size_t start = i;
    const unsigned char c = form[i];
    if (c >= 0x80) {
      // Hyperscan's Unicode tables are older than RE2's: keep cased letters
      // (whose (?i) orbits could differ) to RE2 alone.
      UChar32 cp;
      U8_NEXT(reinterpret_cast<const uint8_t*>(form.data()), i, form.size(), cp);
      if (cp < 0 || u_hasBinaryProperty(cp, UCHAR_CASE_SENSITIVE)) return false;
    } else if (c == '\\') {
      if (i + 1 == form.size()) return false;
      const char e = form[i + 1];
      i += 2;
      if (e == 'Q') {  // ASCII literal up to \E
        const size_t end = form.find("\\E", i);
        if (end == absl::string_view::npos) return false;
        for (size_t j = i; j < end; ++j) {
          if (static_cast<unsigned char>(form[j]) >= 0x80) return false;
        }
        i = end + 2;
      }
      // \S and [^\s] leave out \v for RE2, not for Hyperscan; \p tables and
      // \C (any byte) differ; \x and octal escapes could name cased letters.
      if (e == 'S' || e == 'p' || e == 'P' || e == 'C' || e == 'x' || absl::ascii_isdigit(e) ||
          (e == 's' && in_class)) {
        return false;
      }
    } else if (!in_class && c == '{' && CountedRepetition(form.substr(i)) > 0) {
      i += CountedRepetition(form.substr(i));
      out->push_back('*');
      continue;
    } else if (!in_class && c == '[') {
      in_class = true;
      ++i;
      if (i < form.size() && form[i] == '^') ++i;
      if (i < form.size() && form[i] == ']') ++i;  // a literal ']'
    } else if (in_class && c == '[' && i + 1 < form.size() && form[i + 1] == ':') {
      return false;  // POSIX classes fold differently under (?i)
    } else {
      if (in_class && c == ']') in_class = false;
      ++i;
    }
    out->append(form.data() + start, i - start);
  }
  return true;
}

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
// a sequence at a time.
bool ValidUtf8Scalar(const unsigned char* p, const unsigned char* end) {
  while (p < end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
    } else if (c < 0xc2) {
      return false;
    } else if (c < 0xe0) {
      if (end - p < 2 || (p[1] & 0xc0) != 0x80) return false;
      p += 2;
    } else if (c < 0xf0) {
      if (end - p < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80) return false;
      if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f)) return false;
      p += 3;
    } else if (c < 0xf5) {
      if (end - p < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) {
        return false;
      }
      if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f)) return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

bool ValidUtf8(absl::string_view text) {
  const unsigned char* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = begin + text.size();
#if defined(__SSE2__)
  // 16 bytes at a time while the text holds only ASCII, two-byte sequences
  // and three-byte sequences whose second byte is free (leads E1-EC, EE,
  // EF: most of the BMP, all of CJK). There, the text is valid exactly when
  // the continuation bytes are the ones the leads call for. Anything else
  // (E0, ED, four-byte sequences, invalid lead bytes) goes to the scalar
  // check, from the start.
  uint32_t pending = 0;  // continuations the previous block's leads call for
  for (const unsigned char* p = begin; p < end; p += 16) {
    alignas(16) unsigned char tail[16] = {};  // zero: ASCII, ends no sequence
    const unsigned char* block = p;
    if (end - p < 16) {
      std::memcpy(tail, p, end - p);
      block = tail;
    }
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    // As signed bytes: 80-BF is [-128, -65], C2-DF [-62, -33], E1-EF [-31, -17].
    const uint32_t non_ascii = _mm_movemask_epi8(v);
    const uint32_t continuation = _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
    const uint32_t lead2 = _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-63)),
                                                           _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
    const uint32_t lead3 =
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-32)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8(-16)))) &
        ~static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(-19))));  // ED
    if ((non_ascii & ~(continuation | lead2 | lead3)) != 0) return ValidUtf8Scalar(begin, end);
    const uint32_t expected = pending | (lead2 << 1) | (lead3 << 1) | (lead3 << 2);
    if ((expected & 0xffff) != continuation) return false;
    pending = expected >> 16;
  }
  return pending == 0;
#else
  return ValidUtf8Scalar(begin, end);
#endif
}

// Databases are told apart by id, not address: a reloaded policy's may
// reuse a freed one's address.
std::atomic<uint64_t> next_database_id{1};

// The calling thread's Hyperscan scratch, grown to fit each database the
// thread scans with. hs_alloc_scratch allocates even when the scratch fits,
// so the thread remembers the last few databases it fits.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  uint64_t fits[8] = {};  // database ids; 0: none
  size_t next = 0;        // the slot of `fits` to fill next

  ~ThreadScratch() { hs_free_scratch(scratch); }

  // Null if Hyperscan cannot allocate.
  hs_scratch_t* For(const hs_database_t* database, uint64_t id) {
    for (uint64_t fit : fits) {
      if (fit == id) return scratch;
    }
    if (hs_alloc_scratch(database, &scratch) != HS_SUCCESS) return nullptr;
    fits[next] = id;
    next = (next + 1) % (sizeof(fits) / sizeof(fits[0]));
    return scratch;
  }
};

int StopAtFirstMatch(unsigned int, unsigned long long, unsigned long long, unsigned int,
                     void* matched) {
  *static_cast<bool*>(matched) = true;
  return 1;  // stop scanning
}

}  // namespace

std::unique_ptr<Prefilter> Prefilter::Build(const std::vector<std::string>& forms) {
  if (forms.empty() || hs_valid_platform() != HS_SUCCESS) return nullptr;
  std::vector<std::string> hyperscan_forms(forms.size());
  std::vector<const char*> expressions;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
  for (size_t i = 0; i < forms.size(); ++i) {
    if (!HyperscanForm(forms[i], &hyperscan_forms[i])) return nullptr;
    expressions.push_back(hyperscan_forms[i].c_str());
    flags.push_back(HS_FLAG_PREFILTER | HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY);
    ids.push_back(static_cast<unsigned int>(ids.size()));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(expressions.size()), HS_MODE_BLOCK, nullptr,
                       &database, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return nullptr;
  }
  return std::unique_ptr<Prefilter>(new Prefilter(database, next_database_id++));
}

Prefilter::~Prefilter() { hs_free_database(database_); }

bool Prefilter::MayMatch(absl::string_view text) const {
  if (text.empty() || text.size() > UINT_MAX || !ValidUtf8(text)) return true;
  thread_local ThreadScratch thread;
  hs_scratch_t* scratch = thread.For(database_, id_);
  if (scratch == nullptr) return true;
  bool matched = false;
  const hs_error_t status = hs_scan(database_, text.data(), static_cast<unsigned int>(text.size()),
                                    0, scratch, StopAtFirstMatch, &matched);
  return status != HS_SUCCESS || matched;  // HS_SCAN_TERMINATED: a match
}

}  // namespace content
}  // namespace mailpolicy

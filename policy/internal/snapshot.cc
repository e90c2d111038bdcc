// Copyright 2026 The mailpolicy Authors.

#include "policy/internal/snapshot.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "policy/internal/unicode.h"

namespace mailpolicy {
namespace internal {
namespace {

// LowerAddress, saying whether any byte is not ASCII (one OR per word).
absl::string_view Lower(absl::string_view address, char (&buffer)[kMaxAddressLength],
                        bool* non_ascii) {
  const size_t n = address.size();
  if (n > kMaxAddressLength) return absl::string_view();
  // Eight bytes at a time: every decision lowers half a dozen addresses.
  constexpr uint64_t kOnes = 0x0101010101010101;
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, address.data() + i, 8);
    any |= w;
    const uint64_t low7 = w & (kOnes * 0x7f);
    const uint64_t at_least_a = low7 + kOnes * (0x80 - 'A');      // bit 7: byte >= 'A'
    const uint64_t above_z = low7 + kOnes * (0x80 - 'Z' - 1);     // bit 7: byte > 'Z'
    const uint64_t upper = at_least_a & ~above_z & ~w & (kOnes * 0x80);  // ASCII only
    w |= upper >> 2;  // 0x80 >> 2 == 'a' - 'A'
    std::memcpy(buffer + i, &w, 8);
  }
  for (; i < n; ++i) {
    const char c = address[i];
    any |= static_cast<unsigned char>(c);
    buffer[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  *non_ascii = (any & (kOnes * 0x80)) != 0;
  return absl::string_view(buffer, n);
}

}  // namespace

absl::string_view LowerAddress(absl::string_view address, char (&buffer)[kMaxAddressLength]) {
  bool non_ascii;
  return Lower(address, buffer, &non_ascii);
}

absl::string_view CanonicalAddress(absl::string_view address,
                                   char (&buffer)[kMaxAddressLength]) {
  if (address == "<>") return absl::string_view();
  bool non_ascii = false;
  absl::string_view lower = Lower(address, buffer, &non_ascii);
  if (non_ascii) {
    // An internationalised domain in its ASCII form (UTS #46).
    const size_t at = lower.rfind('@');
    bool ascii_domain = true;
    for (size_t i = at + 1; at != absl::string_view::npos && i < lower.size(); ++i) {
      ascii_domain &= static_cast<unsigned char>(lower[i]) < 0x80;
    }
    std::string a_labels;
    if (at != absl::string_view::npos && !ascii_domain &&
        DomainToAscii(lower.substr(at + 1), &a_labels) &&
        at + 1 + a_labels.size() <= kMaxAddressLength) {
      std::memcpy(buffer + at + 1, a_labels.data(), a_labels.size());
      lower = absl::string_view(buffer, at + 1 + a_labels.size());
    }
  }
  if (lower.size() > 2 && lower.back() == '.') {
    const size_t at = lower.rfind('@');
    if (at != absl::string_view::npos && lower.size() > at + 2) lower.remove_suffix(1);
  }
  return lower;
}

std::string CanonicalAddress(absl::string_view address) {
  char buffer[kMaxAddressLength];
  if (address.size() > kMaxAddressLength) return absl::AsciiStrToLower(address);
  return std::string(CanonicalAddress(address, buffer));
}

std::string CanonicalDomain(absl::string_view domain) {
  std::string out = absl::AsciiStrToLower(domain);
  std::string a_labels;
  for (char c : out) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (DomainToAscii(out, &a_labels)) out = std::move(a_labels);
      break;
    }
  }
  if (out.size() > 1 && out.back() == '.') out.pop_back();
  return out;
}

absl::string_view DomainOf(absl::string_view address) {
  const void* at = address.empty() ? nullptr : memrchr(address.data(), '@', address.size());
  if (at == nullptr) return absl::string_view();
  return address.substr(static_cast<const char*>(at) - address.data() + 1);
}

absl::string_view StableText::Add(absl::string_view text) {
  if (blocks_.empty() || used_ + text.size() > kBlockBytes) {
    // A text longer than a block (never an address) gets one of its own.
    blocks_.push_back(std::make_unique<char[]>(std::max(kBlockBytes, text.size())));
    used_ = 0;
  }
  char* out = blocks_.back().get() + used_;
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  used_ += text.size();
  return absl::string_view(out, text.size());
}

bool Snapshot::IsCompanyDomain(absl::string_view lower_domain) const {
  return std::find(company_domains.begin(), company_domains.end(), lower_domain) !=
         company_domains.end();
}

const AddressEntry* Snapshot::FindAddress(absl::string_view address) const {
  char buffer[kMaxAddressLength];
  return FindCanonical(CanonicalAddress(address, buffer));
}

const AddressEntry* Snapshot::FindWithoutExtension(absl::string_view canonical) const {
  // Postfix's recipient_delimiter: the extension runs from the first
  // delimiter in the local part to the '@'; a local part starting with one
  // has none.
  const size_t at = canonical.rfind('@');
  if (at == absl::string_view::npos) return nullptr;
  const size_t extension = canonical.substr(0, at).find_first_of(recipient_delimiter);
  if (extension == absl::string_view::npos || extension == 0) return nullptr;
  if (!IsCompanyDomain(canonical.substr(at + 1))) return nullptr;
  char buffer[kMaxAddressLength];
  const size_t domain_size = canonical.size() - at;  // with the '@'
  std::memcpy(buffer, canonical.data(), extension);
  std::memcpy(buffer + extension, canonical.data() + at, domain_size);
  auto it = addresses.find(absl::string_view(buffer, extension + domain_size));
  return it == addresses.end() ? nullptr : &it->second;
}

}  // namespace internal
}  // namespace mailpolicy

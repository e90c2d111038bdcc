// Copyright 2026 The mailpolicy Authors.
//
// The MIME facts of a raw message (ParseMessageInto): what a milter or the C
// API's mp_message_parse_rfc5322 pays per message before deciding.
//   * BM_ParseExample/N: the example messages (examples/messages), by name;
//   * BM_ParseZipOf1000: a message with a 10 MB zip of 1,000 entries
//     (stored, so that the zip is as large as its contents), whose files
//     are listed too.
//
//   bazel run --config=opt //bench:mime_bench -- \
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "tests/mime/test_files.h"

namespace mailpolicy {
namespace bench {
namespace {

const char* const kExamples[] = {"quotation_zip.eml", "forward_with_attachment.eml",
                                 "drawings_tar.eml", "attachment_2mib.eml"};

std::string ReadExample(const char* name) {
  std::ifstream in(absl::StrCat("examples/messages/", name), std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void BM_ParseExample(benchmark::State& state) {
  const char* name = kExamples[state.range(0)];
  const std::string raw = ReadExample(name);
  if (raw.empty()) {
    state.SkipWithError(absl::StrCat("cannot read examples/messages/", name).c_str());
    return;
  }
  state.SetLabel(name);
  MessageFacts facts;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseMessageInto(raw, &facts));
  }
  state.SetBytesProcessed(state.iterations() * raw.size());
  state.counters["files"] = facts.attachments.size();
}
BENCHMARK(BM_ParseExample)->DenseRange(0, 3);

void BM_ParseZipOf1000(benchmark::State& state) {
  std::vector<testing_files::Entry> entries;
  uint64_t x = 88172645463325252ull;  // xorshift: incompressible contents
  for (int i = 0; i < 1000; ++i) {
    std::string data(10240, '\0');
    for (char& c : data) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      c = static_cast<char>(x);
    }
    entries.push_back({absl::StrCat("drawings/sheet-", i, ".dwg"), std::move(data)});
  }
  const std::string zip = testing_files::MakeArchive(entries, "zip", "none",
                                                     "zip:compression=store");
  const std::string raw = absl::StrCat(
      "Subject: drawings\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nsee the zip\n"
      "--b\nContent-Type: application/zip; name=drawings.zip\n"
      "Content-Transfer-Encoding: base64\n\n",
      absl::Base64Escape(zip), "\n--b--\n");
  MessageFacts facts;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseMessageInto(raw, &facts));
  }
  state.SetBytesProcessed(state.iterations() * raw.size());
  state.counters["zip_MB"] = zip.size() / 1048576.0;
  state.counters["files"] = facts.attachments.size();
}
BENCHMARK(BM_ParseZipOf1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace mailpolicy

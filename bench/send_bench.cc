// Copyright 2026 The mailpolicy Authors.
//
// Send decisions and compilation on a company-sized policy (see
// synthetic_policy.h): 100,000 accounts, 2,000 groups, 1,000,000 contact
// entries, the example's rules and 50 content patterns.
//
//   bazel run --config=opt //bench:send_bench --
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Figures and what they mean: docs/performance.md.

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bench/synthetic_policy.h"
#include "benchmark/benchmark.h"
#include "policy/decision.h"
#include "policy/internal/unicode.h"
#include "policy/message.h"
#include "policy/mime/mime.h"
#include "policy/policy.h"

namespace mailpolicy {
namespace bench {
namespace {

// Envelopes cycled through, so that lookups meet a cold-ish directory as a
// busy server's would rather than one address over and over. A power of 2.
constexpr size_t kEnvelopes = 4096;
constexpr size_t kBodyBytes = 64 * 1024;

struct World {
  std::string error;  // set if the world could not be built
  v1::Policy proto;
  std::vector<PolicySource> sources;  // the policy as binary protobuf
  std::shared_ptr<const Policy> policy;
  std::vector<MessageFacts> envelopes;
};

const World& GetWorld() {
  static const World* world = [] {
    auto* w = new World;
    auto proto = MakeSyntheticPolicy(SyntheticOptions());
    if (!proto.ok()) {
      w->error = std::string(proto.status().message());
      return w;
    }
    w->proto = std::move(*proto);
    w->sources.push_back({"synthetic.binpb", w->proto.SerializeAsString(), SourceFormat::kBinary});
    auto policy = Compile(w->sources);
    if (!policy.ok()) {
      w->error = std::string(policy.status().message()).substr(0, 2000);
      return w;
    }
    w->policy = *policy;
    w->envelopes = MakeEnvelopes(w->proto, kEnvelopes, 7);
    // Every envelope is one the sender's address book allows.
    Decision decision;
    for (const MessageFacts& f : w->envelopes) {
      w->policy->DecideSend(f, &decision);
      if (decision.verdict() != Verdict::kAllow) {
        w->error = absl::StrCat("envelope not allowed:\n", decision.ToString());
        break;
      }
    }
    return w;
  }();
  return *world;
}

bool Ready(benchmark::State& state, const World& w) {
  if (w.error.empty()) return true;
  state.SkipWithError(w.error.c_str());
  return false;
}

// (a) RCPT time: the sender and 5 recipients (2 company accounts, 2 of the
// sender's external contacts, 1 contact of the sender's group).
void BM_DecideEnvelope(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  Decision decision;
  size_t i = 0;
  for (auto _ : state) {
    w.policy->DecideSend(w.envelopes[i], &decision);
    benchmark::DoNotOptimize(decision.verdict());
    i = (i + 1) & (kEnvelopes - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideEnvelope);

// The same envelope every time: everything it touches stays in cache.
void BM_DecideEnvelopeSameMessage(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  Decision decision;
  for (auto _ : state) {
    w.policy->DecideSend(w.envelopes[0], &decision);
    benchmark::DoNotOptimize(decision.verdict());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideEnvelopeSameMessage);

// (b) End of data: the same envelope with a subject, one archive attachment
// and a 64 KiB body, scanned by the 50 content patterns and the link rule.
// Arg 0: a body that matches nothing; 1: one confidentiality marker.
// Whether the full decision is the one the body calls for (deny on the
// marker, else allow, no errors); skips the benchmark if not.
bool DecidesAsExpected(benchmark::State& state, const World& w, const MessageFacts& facts,
                       bool hit, Decision* decision) {
  w.policy->DecideSend(facts, decision);
  const Verdict expected = hit ? Verdict::kDeny : Verdict::kAllow;
  if (decision->verdict() != expected || !decision->errors().empty()) {
    state.SkipWithError(absl::StrCat("unexpected decision:\n", decision->ToString()).c_str());
    return false;
  }
  return true;
}

void BM_DecideFull(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  const bool hit = state.range(0) != 0;
  MessageFacts facts = w.envelopes[0];
  facts.envelope_only = false;
  facts.text_parts = {MakeBody(kBodyBytes, hit, 11)};
  facts.attachments.push_back({"第十二期監理月報.zip", "application/zip", 300 * 1024, "PK\x03\x04"});
  facts.message_size = 420 * 1024;
  Decision decision;
  if (!DecidesAsExpected(state, w, facts, hit, &decision)) return;
  for (auto _ : state) {
    w.policy->DecideSend(facts, &decision);
    benchmark::DoNotOptimize(decision.verdict());
  }
  state.SetBytesProcessed(state.iterations() * facts.text_parts[0].size());
  state.counters["patterns"] = CountContentPatterns(w.proto);
}
BENCHMARK(BM_DecideFull)->ArgName("hit")->Arg(0)->Arg(1);

// The normalisation before matching alone (NormalizeForMatching), on the
// same 64 KiB body. Arg 1: the body as Chinese is usually typed, with
// full-width punctuation (，：（）) where the benchmark's body has ASCII.
void BM_NormalizeForMatching(benchmark::State& state) {
  std::string body = MakeBody(kBodyBytes, false, 11);
  if (state.range(0) != 0) {
    body = absl::StrReplaceAll(body, {{",", "，"}, {":", "："}, {"(", "（"}, {")", "）"}});
  }
  std::string scratch;
  for (auto _ : state) {
    benchmark::DoNotOptimize(internal::NormalizeForMatching(body, &scratch).size());
  }
  state.SetBytesProcessed(state.iterations() * body.size());
}
BENCHMARK(BM_NormalizeForMatching)->ArgName("full_width")->Arg(0)->Arg(1);

// (b') The same end of data from the raw message, with the 64 KiB body as
// HTML: MIME parsing, the visible text through libxml2, normalisation and
// the scan. A hit is the marker split by tags, as <b>機</b><span>密</span>.
std::string MakeHtmlMessage(size_t bytes, bool hit) {
  const std::string text = MakeBody(bytes, hit, 11);  // the marker half way
  std::string html =
      "<html><head><meta charset=\"utf-8\"><style>p{margin:0} .x{color:#333}</style>"
      "<script>var tracking = {id: 1};</script></head><body>\n<table><tr><td>\n";
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (html.size() >= bytes) break;
    std::string escaped = absl::StrReplaceAll(line, {{"&", "&amp;"}, {"<", "&lt;"}});
    escaped = absl::StrReplaceAll(escaped, {{"機密", "<b>機</b><span>密</span>"}});
    switch (line_number++ % 3) {
      case 0: absl::StrAppend(&html, "<p>", escaped, "</p>\n"); break;
      case 1: absl::StrAppend(&html, "<div class=\"x\"><span style=\"font-size:12px\">", escaped,
                              "</span></div>\n"); break;
      default: absl::StrAppend(&html, "<p><b>", escaped, "</b>&nbsp;&#x2014;</p>\n"); break;
    }
  }
  html += "</td></tr></table></body></html>\n";
  return absl::StrCat(
      "From: sender@example.com\r\nTo: someone@example.com\r\nSubject: 第十二期監理月報\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n",
      html);
}

void BM_DecideFullHtml(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  const bool hit = state.range(0) != 0;
  const std::string raw = MakeHtmlMessage(kBodyBytes, hit);
  MessageFacts facts = w.envelopes[0];
  facts.envelope_only = false;
  Decision decision;
  if (!ParseMessageInto(raw, &facts).ok()) {
    state.SkipWithError("the message does not parse");
    return;
  }
  if (!DecidesAsExpected(state, w, facts, hit, &decision)) return;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseMessageInto(raw, &facts));
    w.policy->DecideSend(facts, &decision);
    benchmark::DoNotOptimize(decision.verdict());
  }
  state.SetBytesProcessed(state.iterations() * raw.size());
  state.counters["html_KiB"] = raw.size() / 1024.0;
}
BENCHMARK(BM_DecideFullHtml)->ArgName("hit")->Arg(0)->Arg(1);

// (c) Compiling the binary policy: parse, validate, index, build matchers.
void BM_Compile(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const Policy>> policy = Compile(w.sources);
    state.PauseTiming();
    if (!policy.ok()) {
      state.SkipWithError("compile failed");
      break;
    }
    policy = nullptr;  // freeing is not compiling
    state.ResumeTiming();
  }
  state.counters["policy_MB"] = w.sources[0].contents.size() / 1e6;
  state.counters["accounts"] = w.proto.directory().accounts_size();
  state.counters["contacts"] = w.policy->Summary().contacts;
}
BENCHMARK(BM_Compile)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// The protobuf part of compiling: parsing the binary policy alone.
void BM_ParseBinary(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  for (auto _ : state) {
    auto proto = std::make_unique<v1::Policy>();
    bool ok = proto->ParseFromString(w.sources[0].contents);
    benchmark::DoNotOptimize(ok);
    state.PauseTiming();
    proto.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ParseBinary)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

size_t HeapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

size_t ResidentBytes() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return static_cast<size_t>(resident) * sysconf(_SC_PAGESIZE);
}

// (d) Memory of the compiled policy: heap still allocated after Compile
// returns (the parsed protobuf and the compiler's tables are freed by then),
// and the growth of the resident set once freed memory is handed back.
// Then the growth after deciding full messages (RE2's lazily built DFAs).
void BM_SnapshotMemory(benchmark::State& state) {
  const World& w = GetWorld();
  if (!Ready(state, w)) return;
  double heap_mb = 0, rss_mb = 0, after_decisions_mb = 0;
  for (auto _ : state) {
    malloc_trim(0);
    const size_t heap0 = HeapInUse();
    const size_t rss0 = ResidentBytes();
    absl::StatusOr<std::shared_ptr<const Policy>> policy = Compile(w.sources);
    if (!policy.ok()) {
      state.SkipWithError("compile failed");
      break;
    }
    malloc_trim(0);
    heap_mb = (static_cast<double>(HeapInUse()) - heap0) / (1 << 20);
    rss_mb = (static_cast<double>(ResidentBytes()) - rss0) / (1 << 20);
    MessageFacts facts = w.envelopes[1];
    facts.envelope_only = false;
    Decision decision;
    for (int hit = 0; hit < 2; ++hit) {
      facts.text_parts = {MakeBody(kBodyBytes, hit != 0, 13 + hit)};
      (*policy)->DecideSend(facts, &decision);
    }
    after_decisions_mb = (static_cast<double>(HeapInUse()) - heap0) / (1 << 20);
  }
  state.counters["heap_MB"] = heap_mb;
  state.counters["rss_growth_MB"] = rss_mb;
  state.counters["heap_after_decisions_MB"] = after_decisions_mb;
}
BENCHMARK(BM_SnapshotMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace bench
}  // namespace mailpolicy

"""mp_fuzzer: one libFuzzer target in the frame every fuzzer here shares."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def mp_fuzzer(name, srcs, deps):
    """A libFuzzer binary: links -fsanitize=fuzzer, builds only under
    --define=fuzzing=1 (set by --config=asan, see .bazelrc) and is tagged
    manual so `bazel build //...` leaves it out. Run with tools/fuzz."""
    cc_binary(
        name = name,
        srcs = srcs,
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual"],
        target_compatible_with = select({
            "//fuzz:fuzzing": [],
            "//conditions:default": ["@platforms//:incompatible"],
        }),
        deps = deps,
    )

"""Packaging for C users: one static archive and a pkg-config template.

`static_bundle` gathers every static library the `deps` link (the project's
own objects: the C API, the core, the generated protobuf code; the system
libraries are only link flags here) into one `lib<name>.a`, with GNU ar's MRI
script, and writes a pkg-config template whose Libs.private lists the link
flags of those system libraries, so that static linking needs nothing else.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _static_bundle_impl(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    archives = []
    flags = []
    for dep in ctx.attr.deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            for library in linker_input.libraries:
                # PIC objects, so that the archive also links into shared objects.
                archive = library.pic_static_library or library.static_library
                if archive and archive not in archives:
                    archives.append(archive)
            for flag in linker_input.user_link_flags:
                if flag not in flags:
                    flags.append(flag)

    out = ctx.actions.declare_file("lib%s.a" % ctx.attr.library_name)
    script = ctx.actions.declare_file(ctx.label.name + ".mri")
    ctx.actions.write(
        script,
        "\n".join(["CREATE " + out.path] +
                  ["ADDLIB " + a.path for a in archives] +
                  ["SAVE", "END", ""]),
    )
    ctx.actions.run_shell(
        inputs = depset([script], transitive = [depset(archives), cc_toolchain.all_files]),
        outputs = [out],
        command = "'%s' -M < '%s'" % (cc_toolchain.ar_executable, script.path),
        mnemonic = "StaticBundle",
        progress_message = "Bundling %s" % out.short_path,
    )

    # Version from the header's MP_VERSION_* macros, the one place it is set.
    pc = ctx.actions.declare_file(ctx.attr.library_name + ".pc.in")
    ctx.actions.run_shell(
        inputs = [ctx.file.template, ctx.file.header],
        outputs = [pc],
        command = """
set -eu
v() {{ sed -n "s/^#define MP_VERSION_$1 \\([0-9]*\\).*/\\1/p" '{header}'; }}
version="$(v MAJOR).$(v MINOR).$(v PATCH)"
sed -e "s|@VERSION@|$version|" -e 's|@LIBS_PRIVATE@|{libs}|' '{template}' > '{out}'
""".format(
            header = ctx.file.header.path,
            template = ctx.file.template.path,
            libs = " ".join(flags + ctx.attr.extra_libs_private),
            out = pc.path,
        ),
        mnemonic = "PkgConfig",
    )
    return [DefaultInfo(files = depset([out, pc]))]

static_bundle = rule(
    implementation = _static_bundle_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "library_name": attr.string(mandatory = True),
        "header": attr.label(allow_single_file = [".h"], mandatory = True),
        "template": attr.label(allow_single_file = [".in"], mandatory = True),
        "extra_libs_private": attr.string_list(),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)

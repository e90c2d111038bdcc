"""Packaging for C users: one static archive and a pkg-config template.

`static_bundle` gathers every static library the `deps` link (the project's
own objects: the C API, the core, the generated protobuf code; the system
libraries are only link flags here) into one `lib<name>.a`, with GNU ar's MRI
script, and fills pkg-config templates: @REQUIRES@ becomes the pkg-config
modules of the system libraries those deps link (each -l flag mapped by
`pkg_config_modules`; -labsl_X is module absl_X), @LIBS@ the toolchain's own
libraries (-lstdc++, -lm, -pthread), @VERSION@ the header's version. A link
flag with no module and not a toolchain flag fails the build, so that a new
dependency cannot be forgotten in the .pc files.
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

    # Each system library's link flag becomes the pkg-config module that ships
    # it, so that `pkg-config --static` also lists what that library needs in
    # turn (glib's libpcre2 and libffi, libarchive's compressors); the flags
    # of the toolchain's own libraries stay plain link flags.
    modules = []
    plain = []
    for flag in flags + ctx.attr.extra_libs_private:
        module = ctx.attr.pkg_config_modules.get(flag)
        if module == None and flag.startswith("-labsl_"):
            module = flag[len("-l"):]  # Debian's Abseil ships one .pc per library.
        if module != None:
            if module not in modules:
                modules.append(module)
        elif flag in ctx.attr.toolchain_flags:
            if flag not in plain:
                plain.append(flag)
        else:
            fail("%s: link flag %s has no pkg-config module; add it to pkg_config_modules " % (ctx.label, flag) +
                 "(or to toolchain_flags if the compiler's toolchain provides it)")

    # Version from the header's MP_VERSION_* macros, the one place it is set.
    outs = []
    for template in ctx.files.templates:
        pc = ctx.actions.declare_file(template.basename)
        ctx.actions.run_shell(
            inputs = [template, ctx.file.header],
            outputs = [pc],
            command = """
set -eu
v() {{ sed -n "s/^#define MP_VERSION_$1 \\([0-9]*\\).*/\\1/p" '{header}'; }}
version="$(v MAJOR).$(v MINOR).$(v PATCH)"
sed -e "s|@VERSION@|$version|" -e 's|@REQUIRES@|{requires}|' -e 's|@LIBS@|{libs}|' '{template}' > '{out}'
""".format(
                header = ctx.file.header.path,
                template = template.path,
                requires = " ".join(modules),
                libs = " ".join(plain),
                out = pc.path,
            ),
            mnemonic = "PkgConfig",
        )
        outs.append(pc)
    return [DefaultInfo(files = depset([out] + outs))]

static_bundle = rule(
    implementation = _static_bundle_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "library_name": attr.string(mandatory = True),
        "header": attr.label(allow_single_file = [".h"], mandatory = True),
        "templates": attr.label_list(allow_files = [".in"], mandatory = True),
        "extra_libs_private": attr.string_list(),
        "pkg_config_modules": attr.string_dict(),
        "toolchain_flags": attr.string_list(),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)

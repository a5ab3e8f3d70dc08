#include <iostream>
#include <memory>

#include "bundle/template.hpp"
#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct BundleNewOptions {
    std::string dir;
    bundle::TemplateOptions templ;
};

void add_bundle_new(CLI::App* bundle_cmd, Chosen& chosen) {
    auto* cmd = bundle_cmd->add_subcommand("new", "make a ready-to-run bundle in DIR");
    auto o = std::make_shared<BundleNewOptions>();
    cmd->add_option("dir", o->dir, "bundle directory to create")->required();
    cmd->add_option("-t,--template", o->templ.template_name,
                    "app (default): busybox, prints a greeting and exits; "
                    "busybox: a busybox-init system; "
                    "debian: Debian bookworm booting systemd (debootstrap, cached); "
                    "busybox and debian are for --system-container")
        ->check(CLI::IsMember(bundle::template_names()));
    cmd->add_option("--cache-dir", o->templ.cache_dir,
                    "debian: where debootstrapped root filesystems are kept, one per "
                    "package list (default /var/cache/hull/rootfs)");
    cmd->add_option("--mirror", o->templ.mirror,
                    "debian: the Debian archive URL (default: the host's apt sources, "
                    "else http://deb.debian.org/debian)");
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context&) {
            bundle::make_bundle(o->dir, o->templ);
            std::cout << "bundle ready: " << o->dir << "\n";
            return 0;
        };
    });
}

}  // namespace

void add_bundle(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("bundle", "make bundles");
    cmd->require_subcommand(1);
    add_bundle_new(cmd, chosen);
}

}  // namespace hull::cli

#include "bundle/mount_entry.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/cgroup_mount.hpp"
#include "bundle/copy_tree.hpp"
#include "bundle/idmap.hpp"
#include "bundle/mount_options.hpp"
#include "bundle/mount_util.hpp"
#include "bundle/rootfs.hpp"
#include "bundle/safe_path.hpp"

namespace hull::bundle {
namespace {

std::string bind_source(const std::string& bundle_dir, const std::string& source) {
    if (source.empty()) throw Error("bind mount without a source");
    if (source.front() == '/') return source;
    if (bundle_dir.empty()) throw Error("relative source " + source + " without a bundle dir");
    return bundle_dir + "/" + source;
}

bool uses_user_namespace(const spec::Config& config) {
    if (!config.linux) return false;
    for (const auto& ns : config.linux->namespaces)
        if (ns.type == "user") return true;
    return false;
}

unique_fd idmap_userns(const spec::Config& config, const spec::Mount& mount) {
    if (!mount.uid_mappings.empty() || !mount.gid_mappings.empty())
        return make_userns_fd(mount.uid_mappings, mount.gid_mappings);
    // No mappings of its own: the container's user namespace mapping, if there is one.
    const auto& linux = config.linux;
    if (uses_user_namespace(config) && linux &&
        (!linux->uid_mappings.empty() || !linux->gid_mappings.empty()))
        return make_userns_fd(linux->uid_mappings, linux->gid_mappings);
    throw Error("idmap: no uidMappings/gidMappings and no user namespace mapping to use");
}

// The detached tree of a bind mount with all its attributes, not yet attached anywhere.
unique_fd make_bind_tree(const spec::Config& config, const spec::Mount& mount,
                         const MountOptions& options, const std::string& source) {
    // The source is host configuration, trusted: symlinks in it are followed.
    unique_fd src = open_fd(source, O_PATH);
    unique_fd tree = clone_tree(src.get(), options.recursive_bind, "bind " + source);
    // Only the attributes the options name are changed, so flags the source carries (locked
    // ones in a user namespace included) stay as they are.
    AttrChange attrs = bind_mount_attrs(options);
    if (attrs.set != 0 || attrs.clear != 0)
        set_mount_attrs(tree.get(), attrs.set, attrs.clear, false, "bind " + source);
    if (options.has_recursive_attrs())
        set_mount_attrs(tree.get(), options.recursive_attr_set, options.recursive_attr_clear, true,
                        "bind " + source);
    if (options.idmap) {
        unique_fd userns = idmap_userns(config, mount);
        set_mount_attrs(tree.get(), 0, 0, options.idmap_recursive, "bind " + source, userns.get());
    }
    return tree;
}

// Attaches a detached tree at destination (a directory or a file, like the tree's root).
void attach_bind_tree(const MountContext& ctx, unique_fd tree, const MountOptions& options,
                      const std::string& destination) {
    struct stat st;
    if (::fstat(tree.get(), &st) < 0) throw_errno("stat bind source");
    unique_fd target = make_mountpoint(ctx.root_fd, destination, S_ISDIR(st.st_mode));
    attach_tree(tree.get(), target.get(), "attach");
    // After move_mount the tree fd is the root of the attached mount.
    for (unsigned long propagation : options.propagation)
        set_propagation(tree.get(), propagation, "propagation");
}

void new_filesystem(const MountContext& ctx, const spec::Mount& mount, const MountOptions& options,
                    const std::string& destination) {
    if (options.idmap) throw Error("idmap is only supported on bind mounts");
    unique_fd target = make_mountpoint(ctx.root_fd, destination, true);
    const bool copy_up = options.tmpcopyup && mount.type == "tmpfs";
    // The directory that the tmpfs will hide, opened before it is hidden.
    unique_fd original;
    if (copy_up) original = open_in_root(target.get(), "", O_RDONLY | O_DIRECTORY);
    const std::string source = mount.source.empty() ? mount.type : mount.source;
    // A read-only tmpfs could not be filled: ro comes after the copy.
    const unsigned long flags = copy_up ? options.flags & ~MS_RDONLY : options.flags;
    if (::mount(source.c_str(), fd_path(target.get()).c_str(), mount.type.c_str(), flags,
                options.data.empty() ? nullptr : options.data.c_str()) < 0) {
        int err = errno;
        throw Error(std::strerror(err), err);
    }
    if (copy_up) {
        unique_fd mounted = open_in_root(ctx.root_fd, destination, O_RDONLY | O_DIRECTORY);
        copy_tree(original.get(), mounted.get(), "tmpcopyup " + destination);
        if (options.flags & MS_RDONLY)
            set_mount_attrs(mounted.get(), MOUNT_ATTR_RDONLY, 0, false, "tmpcopyup read-only");
    }
    if (options.propagation.empty() && !options.has_recursive_attrs()) return;
    // The new mount is on top of what `target` refers to; look it up again.
    unique_fd mounted = open_in_root(ctx.root_fd, destination, O_PATH);
    if (options.has_recursive_attrs())
        set_mount_attrs(mounted.get(), options.recursive_attr_set, options.recursive_attr_clear,
                        true, "recursive options");
    for (unsigned long propagation : options.propagation)
        set_propagation(mounted.get(), propagation, "propagation");
}

}  // namespace

std::string clean_destination(const std::string& destination) {
    std::string out;
    std::size_t start = 0;
    while (start <= destination.size()) {
        std::size_t end = destination.find('/', start);
        if (end == std::string::npos) end = destination.size();
        std::string part = destination.substr(start, end - start);
        if (!part.empty() && part != ".") out += "/" + part;
        start = end + 1;
    }
    return out.empty() ? "/" : out;
}

void perform_mount(const MountContext& ctx, const spec::Mount& mount, int premade_tree) {
    if (premade_tree >= 0) {
        const std::string what = "mount " + mount.destination + " (premade)";
        try {
            int fd = ::fcntl(premade_tree, F_DUPFD_CLOEXEC, 0);
            if (fd < 0) throw_errno("dup");
            attach_bind_tree(ctx, unique_fd(fd), parse_mount_options(mount.options),
                             clean_destination(mount.destination));
        } catch (const Error& e) {
            throw e.with_context(what);
        }
        return;
    }
    MountOptions options = parse_mount_options(mount.options);
    const std::string destination = clean_destination(mount.destination);
    std::string type = mount.type;
    std::string source = mount.source;
    if (type == "bind") options.bind = true;
    // Without owning the network (ipc) namespace, a user namespace may not mount sysfs
    // (mqueue); the host's instance is the only one there is, so bind it.
    if (!options.bind && ctx.in_user_namespace && type == "sysfs" && !ctx.new_network_ns) {
        options.bind = options.recursive_bind = true;
        source = "/sys";
        // A sysfs mount has no submounts; the rbind has the host's (cgroups, debugfs, ...),
        // and ro/nosuid/nodev/noexec must hold for them as well.
        options.recursive_attr_set |= mount_attr_from_flags(options.flags);
    } else if (!options.bind && ctx.in_user_namespace && type == "mqueue" && !ctx.new_ipc_ns) {
        options.bind = true;
        source = "/dev/mqueue";
    }
    const std::string what =
        "mount " + mount.destination + " (" + (type.empty() ? "bind" : type) + ")";
    try {
        if (options.bind) {
            // A substituted host source (/sys, /dev/mqueue) is already absolute.
            const std::string host_source =
                source == mount.source ? bind_source(ctx.bundle_dir, source) : source;
            attach_bind_tree(ctx, make_bind_tree(*ctx.config, mount, options, host_source), options,
                             destination);
        } else if (type == "cgroup") {
            mount_cgroup(ctx, mount, options, destination);
        } else {
            if (type.empty()) throw Error("no type and not a bind mount");
            new_filesystem(ctx, mount, options, destination);
        }
    } catch (const Error& e) {
        throw e.with_context(what);
    }
}

bool needs_host_side_tree(const spec::Mount& mount) {
    MountOptions options = parse_mount_options(mount.options);
    return options.bind || mount.type == "bind";
}

unique_fd make_host_side_tree(const spec::Config& config, const spec::Mount& mount,
                              const std::string& bundle_dir) {
    MountOptions options = parse_mount_options(mount.options);
    try {
        return make_bind_tree(config, mount, options, bind_source(bundle_dir, mount.source));
    } catch (const Error& e) {
        throw e.with_context("mount " + mount.destination + " (bind)");
    }
}

}  // namespace hull::bundle

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pty.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"
#include "bundle/rootfs.hpp"
#include "ns_child.hpp"

using namespace hull::bundle;
using namespace hull::bundle::test;

namespace {

hull::spec::Mount make_mount(const std::string& dst, const std::string& type,
                             const std::string& src, std::vector<std::string> options) {
    hull::spec::Mount m;
    m.destination = dst;
    m.type = type;
    m.source = src;
    m.options = std::move(options);
    return m;
}

hull::spec::Config base_config() {
    hull::spec::Config c;
    c.oci_version = "1.3.0";
    c.root = hull::spec::Root{"rootfs", false};
    c.linux = hull::spec::Linux{};
    c.linux->namespaces = {{"pid", ""}, {"mount", ""}};
    c.mounts = {
        make_mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
        make_mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
        make_mount("/dev/pts", "devpts", "devpts",
                   {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}),
    };
    return c;
}

RootfsOptions options_for(const BusyboxBundle& b) {
    RootfsOptions o;
    o.rootfs = b.rootfs;
    o.bundle_dir = b.bundle;
    return o;
}

bool is_char_dev(const char* path, unsigned maj, unsigned min, std::string& msg) {
    struct stat st;
    if (::stat(path, &st) < 0) return expect(false, std::string("stat ") + path, msg);
    return expect(S_ISCHR(st.st_mode) && major(st.st_rdev) == maj && minor(st.st_rdev) == min,
                  std::string(path) + " is char " + std::to_string(maj) + ":" + std::to_string(min),
                  msg);
}

std::string link_target(const char* path) {
    char buf[256];
    ssize_t n = ::readlink(path, buf, sizeof buf - 1);
    if (n < 0) return "";
    return std::string(buf, static_cast<std::size_t>(n));
}

long fs_type(const char* path) {
    struct statfs fs;
    if (::statfs(path, &fs) < 0) return -1;
    return static_cast<long>(fs.f_type);
}

int write_errno(const char* path) {
    int fd = ::open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ::close(fd);
        return 0;
    }
    return errno;
}

std::string read_small(const char* path) {
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "<open failed>";
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    return n < 0 ? "<read failed>" : std::string(buf, static_cast<std::size_t>(n));
}

int count_fds() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    int n = 0;
    while (::readdir(dir) != nullptr)
        ++n;
    ::closedir(dir);
    return n;
}

int finish(const std::string& message) {
    return message.empty() ? 0 : 1;
}

}  // namespace

TEST_CASE("a full rootfs: mounts, devices, masks, read-only paths", "[bundle][rootfs]") {
    BusyboxBundle b;
    TempDir data;
    write_text(data.path() + "/file", "hello");
    write_text(b.rootfs + "/etc/hostfile", "x");
    ::mkdir((b.rootfs + "/etc/secret").c_str(), 0755);
    write_text(b.rootfs + "/etc/secret/key", "secret");

    hull::spec::Config config = base_config();
    config.mounts.push_back(make_mount("/tmp", "tmpfs", "tmpfs", {"mode=1777", "size=1m"}));
    config.mounts.push_back(make_mount("/data", "bind", data.path(), {"rbind", "ro"}));
    config.mounts.push_back(make_mount("/etc/single", "", data.path() + "/file", {"bind"}));
    config.linux->masked_paths = {"/proc/kcore", "/proc/timer_list", "/etc/secret",
                                  "/does/not/exist"};
    config.linux->readonly_paths = {"/proc/sys", "/missing"};
    config.root->readonly = true;
    const RootfsOptions opts = options_for(b);

    const std::string before = read_mountinfo_self();
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            const int fds_before = count_fds();
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            expect(count_fds() == fds_before, "no fd leaked", msg);

            char cwd[256];
            expect(::getcwd(cwd, sizeof cwd) && std::string(cwd) == "/", "cwd is /", msg);
            expect(::access((b.rootfs + "/bin/busybox").c_str(), F_OK) != 0,
                   "host path of the rootfs is not visible", msg);
            expect(::access("/bin/busybox", X_OK) == 0, "/bin/busybox present", msg);

            is_char_dev("/dev/null", 1, 3, msg);
            is_char_dev("/dev/zero", 1, 5, msg);
            is_char_dev("/dev/full", 1, 7, msg);
            is_char_dev("/dev/random", 1, 8, msg);
            is_char_dev("/dev/urandom", 1, 9, msg);
            is_char_dev("/dev/tty", 5, 0, msg);
            struct stat st;
            expect(::stat("/dev/null", &st) == 0 && (st.st_mode & 07777) == 0666,
                   "/dev/null mode 0666", msg);
            expect(link_target("/dev/fd") == "/proc/self/fd", "/dev/fd symlink", msg);
            expect(link_target("/dev/stdin") == "/proc/self/fd/0", "/dev/stdin symlink", msg);
            expect(link_target("/dev/stdout") == "/proc/self/fd/1", "/dev/stdout symlink", msg);
            expect(link_target("/dev/stderr") == "/proc/self/fd/2", "/dev/stderr symlink", msg);
            expect(link_target("/dev/ptmx") == "pts/ptmx", "/dev/ptmx symlink", msg);

            expect(fs_type("/proc") == PROC_SUPER_MAGIC, "/proc is proc", msg);
            expect(fs_type("/dev") == TMPFS_MAGIC, "/dev is tmpfs", msg);
            expect(fs_type("/dev/pts") == DEVPTS_SUPER_MAGIC, "/dev/pts is devpts", msg);
            struct statfs fs;
            expect(::statfs("/tmp", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
                       static_cast<unsigned long long>(fs.f_blocks) * fs.f_bsize == 1024 * 1024,
                   "/tmp is a 1 MiB tmpfs", msg);
            expect(::stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777, "/tmp mode 1777",
                   msg);
            expect(::statfs("/dev", &fs) == 0 &&
                       static_cast<unsigned long long>(fs.f_blocks) * fs.f_bsize == 65536ULL * 1024,
                   "/dev size=65536k", msg);
            expect(write_errno("/tmp/ok") == 0, "/tmp writable under a read-only root", msg);

            expect(read_small("/data/file") == "hello", "bind source readable", msg);
            expect(write_errno("/data/new") == EROFS, "ro bind is read-only", msg);
            expect(read_small("/etc/single") == "hello", "file bind onto a created file", msg);

            expect(read_small("/proc/timer_list").empty(), "/proc/timer_list masked", msg);
            expect(::access("/etc/secret/key", F_OK) != 0, "masked dir hides its content", msg);
            expect(write_errno("/etc/secret/new") == EROFS, "masked dir is read-only", msg);
            expect(write_errno("/proc/sys/kernel/hostname") == EROFS, "/proc/sys read-only", msg);
            expect(write_errno("/newfile") == EROFS, "root.readonly", msg);
            return finish(msg);
        },
        true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
}

TEST_CASE("a symlinked mount destination stays inside the rootfs", "[bundle][rootfs][security]") {
    BusyboxBundle b;
    TempDir host;
    write_text(host.path() + "/marker", "host");
    // Absolute: re-rooted at the rootfs. Relative with "..": clamped at the rootfs root.
    // host.path() is /tmp/<name>, and the rootfs has a /tmp: the same path exists inside.
    REQUIRE(::mkdir((b.rootfs + host.path()).c_str(), 0755) == 0);
    REQUIRE(::symlink(host.path().c_str(), (b.rootfs + "/abs").c_str()) == 0);
    REQUIRE(::symlink("../../../../../../../etc", (b.rootfs + "/rel").c_str()) == 0);

    hull::spec::Config config = base_config();
    config.mounts.push_back(make_mount("/abs", "tmpfs", "tmpfs", {"size=64k"}));
    config.mounts.push_back(make_mount("/rel", "tmpfs", "tmpfs", {"size=64k"}));
    const RootfsOptions opts = options_for(b);
    const std::string host_dir = host.path();

    const std::string before = read_mountinfo_self();
    ChildResult r = run_in_child([&](std::string& msg) {
        prepare_rootfs(config, opts);
        // Before pivoting, the host paths are still visible: they must be untouched.
        expect(fs_type(host_dir.c_str()) != TMPFS_MAGIC, "host dir not mounted over", msg);
        expect(::access((host_dir + "/marker").c_str(), F_OK) == 0, "host marker visible", msg);
        expect(fs_type("/etc") != TMPFS_MAGIC, "host /etc not mounted over", msg);
        expect(fs_type((b.rootfs + host_dir).c_str()) == TMPFS_MAGIC,
               "absolute symlink target inside the rootfs is the mount", msg);
        expect(fs_type((b.rootfs + "/etc").c_str()) == TMPFS_MAGIC,
               "relative symlink target inside the rootfs is the mount", msg);
        return finish(msg);
    });
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
    CHECK(::access((host_dir + "/marker").c_str(), F_OK) == 0);
}

TEST_CASE("no_pivot, console, devices and shared propagation", "[bundle][rootfs]") {
    BusyboxBundle b;
    hull::spec::Config config = base_config();
    hull::spec::Device fuse;
    fuse.type = "c";
    fuse.path = "/dev/fuse";
    fuse.major = 10;
    fuse.minor = 229;
    fuse.file_mode = 0600;
    fuse.uid = 1000;
    fuse.gid = 1001;
    hull::spec::Device fifo;
    fifo.type = "p";
    fifo.path = "/dev/sub/fifo";
    config.linux->devices = {fuse, fifo};
    config.linux->rootfs_propagation = "shared";
    RootfsOptions opts = options_for(b);
    opts.no_pivot = true;

    const std::string before = read_mountinfo_self();
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            expect(::access("/bin/busybox", X_OK) == 0, "chroot into the rootfs", msg);

            struct stat st;
            is_char_dev("/dev/fuse", 10, 229, msg);
            expect(::stat("/dev/fuse", &st) == 0 && (st.st_mode & 07777) == 0600 &&
                       st.st_uid == 1000 && st.st_gid == 1001,
                   "/dev/fuse mode and owner", msg);
            expect(::stat("/dev/sub/fifo", &st) == 0 && S_ISFIFO(st.st_mode), "fifo created", msg);

            // "/" is a new peer group: its mountinfo line has a shared: tag.
            std::string mountinfo = hull::bundle::test::read_mountinfo_self();
            bool shared_root = false;
            std::size_t pos = 0;
            while (pos < mountinfo.size()) {
                std::size_t end = mountinfo.find('\n', pos);
                std::string line = mountinfo.substr(pos, end - pos);
                // Fields: id parent dev root mountpoint options optional... - type ...
                std::istringstream fields(line);
                std::string f[5];
                for (auto& field : f)
                    fields >> field;
                if (f[4] == "/" && line.find("shared:") != std::string::npos) shared_root = true;
                pos = end == std::string::npos ? mountinfo.size() : end + 1;
            }
            expect(shared_root, "rootfsPropagation shared on /", msg);

            int master = -1;
            int slave = -1;
            char name[64];
            if (!expect(::openpty(&master, &slave, name, nullptr, nullptr) == 0, "openpty", msg))
                return 1;
            mount_console(name);
            struct stat console;
            struct stat pty;
            expect(::stat("/dev/console", &console) == 0 && ::fstat(slave, &pty) == 0 &&
                       console.st_rdev == pty.st_rdev,
                   std::string("/dev/console is ") + name, msg);
            expect(std::string(name).rfind("/dev/pts/", 0) == 0,
                   "pty comes from the container devpts", msg);
            ::close(master);
            ::close(slave);
            return finish(msg);
        },
        true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
}

TEST_CASE("mount errors name the mount", "[bundle][rootfs]") {
    BusyboxBundle b;
    hull::spec::Config config;
    config.linux = hull::spec::Linux{};
    config.mounts = {make_mount("/x", "nosuchfs", "none", {})};
    const RootfsOptions opts = options_for(b);
    ChildResult r = run_in_child([&](std::string& msg) {
        try {
            prepare_rootfs(config, opts);
        } catch (const hull::Error& e) {
            msg += e.what();
            return 7;
        }
        return 0;
    });
    CHECK(r.exit_code == 7);
    CHECK(r.message == "mount /x (nosuchfs): No such device");

    config.mounts = {make_mount("/y", "bind", "/nonexistent/source", {"bind"})};
    r = run_in_child([&](std::string& msg) {
        try {
            prepare_rootfs(config, opts);
        } catch (const hull::Error& e) {
            msg += e.what();
            return 7;
        }
        return 0;
    });
    CHECK(r.exit_code == 7);
    CHECK_THAT(r.message, Catch::StartsWith("mount /y (bind): open /nonexistent/source"));
}

TEST_CASE("recursive options and propagation on an rbind", "[bundle][rootfs]") {
    BusyboxBundle b;
    TempDir data;
    ::mkdir((data.path() + "/sub").c_str(), 0755);
    hull::spec::Config config = base_config();
    // A tmpfs inside the bind source makes the rbind carry a submount.
    config.mounts.push_back(make_mount("/src", "bind", data.path(), {"rbind"}));
    config.mounts.push_back(make_mount("/src/sub", "tmpfs", "tmpfs", {"size=64k"}));
    config.mounts.push_back(
        make_mount("/rro", "bind", b.rootfs + "/src", {"rbind", "rro", "rnosuid", "rprivate"}));
    config.mounts.push_back(make_mount("/ro", "bind", b.rootfs + "/src", {"rbind", "ro"}));
    const RootfsOptions opts = options_for(b);
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            expect(fs_type("/rro/sub") == TMPFS_MAGIC, "rbind carries the submount", msg);
            expect(write_errno("/rro/x") == EROFS, "rro: top read-only", msg);
            expect(write_errno("/rro/sub/x") == EROFS, "rro: submount read-only", msg);
            struct statfs fs;
            expect(::statfs("/rro/sub", &fs) == 0 && (fs.f_flags & ST_NOSUID),
                   "rnosuid on the submount", msg);
            expect(write_errno("/ro/x") == EROFS, "ro: top read-only", msg);
            expect(write_errno("/ro/sub/x") == 0, "ro (not rro): submount writable", msg);
            return finish(msg);
        },
        true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
}

TEST_CASE("in a user namespace: device binds and the sysfs fallback", "[bundle][rootfs][userns]") {
    BusyboxBundle b;
    hull::spec::Config config = base_config();
    config.linux->namespaces.push_back({"user", ""});
    config.mounts.push_back(make_mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "ro"}));
    config.linux->masked_paths = {"/proc/timer_list", "/sys/firmware"};
    config.linux->readonly_paths = {"/proc/sys"};
    config.root->readonly = true;
    RootfsOptions opts = options_for(b);
    opts.in_user_namespace = true;

    const std::string before = read_mountinfo_self();
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            is_char_dev("/dev/null", 1, 3, msg);
            is_char_dev("/dev/urandom", 1, 9, msg);
            is_char_dev("/dev/tty", 5, 0, msg);
            int fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
            char c = 1;
            expect(fd >= 0 && ::read(fd, &c, 1) == 1 && c == 0, "/dev/zero usable", msg);
            if (fd >= 0) ::close(fd);
            expect(fs_type("/sys") == SYSFS_MAGIC, "/sys is sysfs (bound)", msg);
            expect(::access("/sys/kernel", F_OK) == 0, "/sys has content", msg);
            expect(write_errno("/sys/x") == EROFS, "/sys read-only", msg);
            expect(write_errno("/sys/fs/cgroup/x") == EROFS, "/sys submounts read-only", msg);
            expect(read_small("/proc/timer_list").empty(), "masked in a user namespace", msg);
            expect(write_errno("/newfile") == EROFS, "root.readonly in a user namespace", msg);
            return finish(msg);
        },
        true, true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
}

TEST_CASE("idmap bind mount", "[bundle][rootfs][idmap]") {
    BusyboxBundle b;
    TempDir data;
    write_text(data.path() + "/owned-by-root", "x");
    REQUIRE(::chown((data.path() + "/owned-by-root").c_str(), 0, 0) == 0);
    hull::spec::Config config = base_config();
    hull::spec::Mount m = make_mount("/mapped", "bind", data.path(), {"bind", "idmap"});
    m.uid_mappings = {{0, 1000, 1}};
    m.gid_mappings = {{0, 2000, 1}};
    config.mounts.push_back(m);
    const RootfsOptions opts = options_for(b);
    ChildResult r = run_in_child([&](std::string& msg) {
        prepare_rootfs(config, opts);
        enter_rootfs(config, opts);
        struct stat st;
        expect(::stat("/mapped/owned-by-root", &st) == 0, "stat mapped file", msg);
        expect(st.st_uid == 1000 && st.st_gid == 2000,
               "uid/gid mapped: " + std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid),
               msg);
        return finish(msg);
    });
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());

    // idmap without any mapping and no user namespace is an error naming the mount.
    config.mounts.back().uid_mappings.clear();
    config.mounts.back().gid_mappings.clear();
    r = run_in_child([&](std::string& msg) {
        try {
            prepare_rootfs(config, opts);
        } catch (const hull::Error& e) {
            msg += e.what();
            return 7;
        }
        return 0;
    });
    CHECK(r.exit_code == 7);
    CHECK_THAT(r.message, Catch::StartsWith("mount /mapped (bind): idmap"));
}

TEST_CASE("cgroup mount on this host", "[bundle][rootfs][cgroup]") {
    const bool user_ns = GENERATE(false, true);
    INFO("user namespace: " << user_ns);
    BusyboxBundle b;
    hull::spec::Config config = base_config();
    if (user_ns) config.linux->namespaces.push_back({"user", ""});
    config.mounts.push_back(make_mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "ro"}));
    config.mounts.push_back(
        make_mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "ro"}));
    RootfsOptions opts = options_for(b);
    opts.in_user_namespace = user_ns;
    struct statfs host_fs;
    REQUIRE(::statfs("/sys/fs/cgroup", &host_fs) == 0);
    const bool v2 = host_fs.f_type == CGROUP2_SUPER_MAGIC;
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            if (v2) {
                expect(fs_type("/sys/fs/cgroup") == CGROUP2_SUPER_MAGIC, "cgroup2 mounted", msg);
            } else {
                expect(fs_type("/sys/fs/cgroup") == TMPFS_MAGIC, "tmpfs holds hierarchies", msg);
                expect(fs_type("/sys/fs/cgroup/memory") == CGROUP_SUPER_MAGIC, "memory is v1", msg);
                expect(::access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0,
                       "memory hierarchy has files", msg);
                expect(write_errno("/sys/fs/cgroup/memory/x") == EROFS, "hierarchy read-only", msg);
            }
            expect(write_errno("/sys/fs/cgroup/x") == EROFS, "cgroup mount read-only", msg);
            return finish(msg);
        },
        true, user_ns);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
}

TEST_CASE("tmpcopyup copies the hidden directory into the tmpfs", "[bundle][rootfs]") {
    BusyboxBundle b;
    ::mkdir((b.rootfs + "/etc/sub").c_str(), 0750);
    write_text(b.rootfs + "/etc/sub/conf", "content");
    REQUIRE(::symlink("sub/conf", (b.rootfs + "/etc/link").c_str()) == 0);
    hull::spec::Config config = base_config();
    config.mounts.push_back(make_mount("/etc", "tmpfs", "tmpfs", {"tmpcopyup", "ro"}));
    const RootfsOptions opts = options_for(b);
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            expect(fs_type("/etc") == TMPFS_MAGIC, "/etc is a tmpfs", msg);
            expect(read_small("/etc/sub/conf") == "content", "file copied", msg);
            expect(link_target("/etc/link") == "sub/conf", "symlink copied", msg);
            struct stat st;
            expect(::stat("/etc/sub", &st) == 0 && (st.st_mode & 07777) == 0750,
                   "directory mode kept", msg);
            expect(write_errno("/etc/new") == EROFS, "ro applied after the copy", msg);
            return finish(msg);
        },
        true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
}

TEST_CASE("a symlinked masked path and console target stay inside", "[bundle][rootfs][security]") {
    BusyboxBundle b;
    TempDir host;
    write_text(host.path() + "/secret", "host secret");
    // /etc/evil -> absolute host path: masking it must not touch the host file.
    REQUIRE(::mkdir((b.rootfs + host.path()).c_str(), 0755) == 0);
    write_text(b.rootfs + host.path() + "/secret", "rootfs copy");
    REQUIRE(::symlink((host.path() + "/secret").c_str(), (b.rootfs + "/etc/evil").c_str()) == 0);
    hull::spec::Config config = base_config();
    config.linux->masked_paths = {"/etc/evil"};
    const RootfsOptions opts = options_for(b);
    const std::string target = host.path() + "/secret";
    const std::string before = read_mountinfo_self();
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            expect(read_small(target.c_str()).empty(), "symlink target inside masked", msg);
            return finish(msg);
        },
        true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
    CHECK(hull::read_file(target) == "host secret");
}

TEST_CASE("idmap tree made on the host side, attached in a user namespace",
          "[bundle][rootfs][idmap][userns]") {
    BusyboxBundle b;
    TempDir data;
    write_text(data.path() + "/owned-by-root", "x");
    hull::spec::Config config = base_config();
    config.linux->namespaces.push_back({"user", ""});
    hull::spec::Mount m = make_mount("/mapped", "bind", data.path(), {"rbind", "idmap", "ro"});
    m.uid_mappings = {{0, 1000, 1}};
    m.gid_mappings = {{0, 2000, 1}};
    config.mounts.push_back(m);
    REQUIRE(needs_host_side_tree(m));
    REQUIRE_FALSE(needs_host_side_tree(config.mounts[0]));
    const std::string before = read_mountinfo_self();
    hull::unique_fd tree = make_host_side_tree(config, m, b.bundle);
    CHECK(read_mountinfo_self() == before);
    RootfsOptions opts = options_for(b);
    opts.in_user_namespace = true;
    opts.premade_trees[config.mounts.size() - 1] = tree.get();
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            struct stat st;
            expect(
                ::stat("/mapped/owned-by-root", &st) == 0 && st.st_uid == 1000 && st.st_gid == 2000,
                "ids mapped", msg);
            expect(write_errno("/mapped/new") == EROFS, "ro kept on the premade tree", msg);
            return finish(msg);
        },
        true, true);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
    CHECK(read_mountinfo_self() == before);
}

TEST_CASE("cgroup mount in a new cgroup namespace", "[bundle][rootfs][cgroup]") {
    struct statfs host_fs;
    REQUIRE(::statfs("/sys/fs/cgroup", &host_fs) == 0);
    if (host_fs.f_type == CGROUP2_SUPER_MAGIC) return;  // the v1 layout is what is tested here
    BusyboxBundle b;
    hull::spec::Config config = base_config();
    config.linux->namespaces.push_back({"cgroup", ""});
    config.mounts.push_back(make_mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "ro"}));
    config.mounts.push_back(
        make_mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "ro"}));
    const RootfsOptions opts = options_for(b);
    ChildResult r = run_in_child(
        [&](std::string& msg) {
            prepare_rootfs(config, opts);
            enter_rootfs(config, opts);
            finalize_rootfs(config, opts);
            expect(fs_type("/sys/fs/cgroup/memory") == CGROUP_SUPER_MAGIC, "memory is v1", msg);
            expect(fs_type("/sys/fs/cgroup/unified") == CGROUP2_SUPER_MAGIC, "unified is v2", msg);
            expect(::access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0, "pids has files", msg);
            expect(write_errno("/sys/fs/cgroup/pids/x") == EROFS, "read-only", msg);
            return finish(msg);
        },
        true, false, CLONE_NEWCGROUP);
    INFO(r.message);
    CHECK(r.exit_code == 0);
    CHECK(r.message.empty());
}

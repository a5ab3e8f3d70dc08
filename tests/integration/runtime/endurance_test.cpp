// Endurance: a thousand containers, one after another, must leave the host as they found it.
// A leak too small to see in one test (an fd, a mount, a cgroup, a memfd) adds up here.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;
using hull::test::read_text;

namespace {

size_t count_lines(const std::string& text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

size_t count_entries(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return 0;
    size_t n = 0;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n;
}

// Directories under every hierarchy's hull parent (v1 controllers and the unified tree).
size_t count_hull_cgroups() {
    size_t n = 0;
    DIR* d = ::opendir("/sys/fs/cgroup");
    if (!d) return 0;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.')
            n += count_entries(std::string("/sys/fs/cgroup/") + e->d_name + "/hull");
    ::closedir(d);
    return n + count_entries("/sys/fs/cgroup/hull");
}

long meminfo_kib(const std::string& field) {
    std::istringstream in(read_text("/proc/meminfo"));
    std::string name;
    long value = 0;
    std::string unit;
    while (in >> name >> value) {
        if (name == field + ":") return value;
        std::getline(in, unit);
    }
    return -1;
}

struct Figures {
    size_t mounts, cgroups, state;
    long shmem_kib, slab_kib, available_kib;

    static Figures take(const HullEnv& env) {
        return {count_lines(read_text("/proc/self/mountinfo")),
                count_hull_cgroups(),
                count_entries(env.root()),
                meminfo_kib("Shmem"),
                meminfo_kib("Slab"),
                meminfo_kib("MemAvailable")};
    }
};

// The fds of a `hull run` process while its container runs (the longest-lived hull process):
// the container waits on a fifo until we have counted.
size_t fds_of_hull_run(HullEnv& env, hull::test::BusyboxBundle& bundle, const std::string& id) {
    const std::string fifo = bundle.rootfs() + "/wait";
    ::unlink(fifo.c_str());
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    bundle.set_args({"sh", "-c", "read x </wait"});
    env.track(id);
    const std::string pid_file = env.dir() / "run.pid";
    std::string command = hull::test::hull_binary() + " --root " + env.root() + " run --bundle " +
                          bundle.path() + " " + id + " & echo $! >" + pid_file + "; wait";
    std::thread runner([command] { hull::test::run_command({"sh", "-c", command}); });
    std::string pid;
    for (int i = 0; i < 400 && (pid.empty() || env.status(id) != "running"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        pid = read_text(pid_file);
        while (!pid.empty() && pid.back() == '\n')
            pid.pop_back();
    }
    const size_t fds = count_entries("/proc/" + pid + "/fd");
    { std::ofstream(fifo) << "go\n"; }
    runner.join();
    bundle.set_args({"true"});
    return fds;
}

}  // namespace

TEST_CASE("a thousand containers in a row leave no fd, mount, cgroup or memory behind") {
    HullEnv env;
    auto bundle = env.bundle("b", {"true"});
    const Figures before = Figures::take(env);
    const size_t fds_first = fds_of_hull_run(env, bundle, "first");

    constexpr int kContainers = 1000;
    int failures = 0;
    for (int i = 0; i < kContainers; ++i) {
        const std::string id = "e" + std::to_string(i);
        env.track(id);
        if (env.hull({"run", "--bundle", bundle.path(), id}).status != 0) ++failures;
    }
    const size_t fds_last = fds_of_hull_run(env, bundle, "last");
    const Figures after = Figures::take(env);

    std::ostringstream report;
    report << kContainers << " containers run and deleted (" << failures << " failed)\n"
           << "  hull run fds while its container runs: " << fds_first << " -> " << fds_last
           << "\n  host mounts: " << before.mounts << " -> " << after.mounts
           << "\n  hull cgroup directories: " << before.cgroups << " -> " << after.cgroups
           << "\n  state entries: " << before.state << " -> " << after.state
           << "\n  Shmem KiB: " << before.shmem_kib << " -> " << after.shmem_kib
           << "\n  Slab KiB: " << before.slab_kib << " -> " << after.slab_kib
           << "\n  MemAvailable KiB: " << before.available_kib << " -> " << after.available_kib;
    WARN(report.str());  // printed on success too: the figures are the test's report

    CHECK(failures == 0);
    CHECK(fds_last == fds_first);
    CHECK(after.mounts == before.mounts);
    CHECK(after.cgroups == before.cgroups);
    CHECK(after.state == before.state);
    // A memfd copy of hull left alive per container would be tens of MiB each; page cache
    // and slab move with whatever else the host does, so they are reported, not compared.
    CHECK(after.shmem_kib - before.shmem_kib < 16 * 1024);
    CHECK(env.leaks() == "");
}

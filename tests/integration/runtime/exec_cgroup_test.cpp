// `exec --cgroup`: runc 1.1's way to run an exec'd process in an existing sub-cgroup of the
// container's cgroup, on the CLI path a user takes.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "base/file.hpp"
#include "base/mountinfo.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

struct HostCgroup {
    std::string controllers;  // "memory", "cpu,cpuacct"; "" for cgroup2
    std::string dir;          // where it is on the host
};

// The mount point of the hierarchy that holds these controllers ("" = cgroup2).
std::string hierarchy_mount(const std::string& controllers) {
    std::string first = controllers.substr(0, controllers.find(','));
    for (const auto& m : hull::parse_mountinfo(hull::test::read_text("/proc/self/mountinfo"))) {
        if (m.root != "/") continue;
        if (first.empty() && m.fstype == "cgroup2") return m.mountpoint;
        if (first.empty() || m.fstype != "cgroup") continue;
        std::istringstream opts(m.super_options);
        for (std::string opt; std::getline(opts, opt, ',');)
            if (opt == first) return m.mountpoint;
    }
    return "";
}

// The hierarchies in which hull put the container's init (its cgroup path ends in /hull/<id>).
std::vector<HostCgroup> container_cgroups(int pid, const std::string& id) {
    std::vector<HostCgroup> out;
    std::istringstream lines(hull::test::read_text("/proc/" + std::to_string(pid) + "/cgroup"));
    std::string suffix = "/hull/" + id;
    for (std::string line; std::getline(lines, line);) {
        size_t a = line.find(':'), b = line.find(':', a + 1);
        std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        if (path.size() < suffix.size() ||
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string mount = hierarchy_mount(controllers);
        if (!mount.empty()) out.push_back({controllers, mount + path});
    }
    return out;
}

// Lines of /proc/self/cgroup (as the exec'd process printed it) whose path ends in /sub.
std::vector<std::string> lines_in_sub(const std::string& proc_self_cgroup) {
    std::vector<std::string> out;
    std::istringstream lines(proc_self_cgroup);
    for (std::string line; std::getline(lines, line);)
        if (line.size() >= 4 && line.compare(line.size() - 4, 4, "/sub") == 0) out.push_back(line);
    return out;
}

bool is_pure_v2() {
    return ::access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
}

}  // namespace

TEST_CASE("exec --cgroup PATH runs the process in that sub-cgroup of every hierarchy") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    auto cgroups = container_cgroups(env.pid("c1"), "c1");
    REQUIRE(!cgroups.empty());
    for (const auto& cg : cgroups) {
        REQUIRE(::mkdir((cg.dir + "/sub").c_str(), 0755) == 0);
        // A new v1 cpuset cgroup has no CPUs or memory nodes: nothing could join it.
        if (cg.controllers.find("cpuset") != std::string::npos)
            for (const char* file : {"/cpuset.cpus", "/cpuset.mems"})
                hull::write_file(cg.dir + "/sub" + file, hull::read_file(cg.dir + file));
    }

    auto exec = env.hull({"exec", "--cgroup", "sub", "c1", "cat", "/proc/self/cgroup"});
    INFO("stderr: " << exec.err << "\nstdout: " << exec.out);
    CHECK(exec.status == 0);
    CHECK(lines_in_sub(exec.out).size() == cgroups.size());
    // Without the flag the process stays in the container's own cgroup.
    auto plain = env.hull({"exec", "c1", "cat", "/proc/self/cgroup"});
    CHECK(lines_in_sub(plain.out).empty());

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec --cgroup CONTROLLER:PATH moves only that v1 controller's hierarchy") {
    if (is_pure_v2()) {
        WARN("v1/hybrid-only case, not run on pure cgroup v2: it has one hierarchy");
        return;
    }
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    std::string memory_dir;
    for (const auto& cg : container_cgroups(env.pid("c1"), "c1"))
        if (cg.controllers == "memory") memory_dir = cg.dir;
    REQUIRE(!memory_dir.empty());
    REQUIRE(::mkdir((memory_dir + "/sub").c_str(), 0755) == 0);

    auto exec = env.hull({"exec", "--cgroup", "memory:sub", "c1", "cat", "/proc/self/cgroup"});
    INFO("stderr: " << exec.err << "\nstdout: " << exec.out);
    CHECK(exec.status == 0);
    auto moved = lines_in_sub(exec.out);
    REQUIRE(moved.size() == 1);
    CHECK_THAT(moved[0], Catch::Contains(":memory:"));

    // A controller this host has no hierarchy for is an error, not a silent stay.
    auto unknown = env.hull({"exec", "--cgroup", "nosuchcontroller:sub", "c1", "true"});
    CHECK(unknown.status == 255);
    CHECK_THAT(unknown.err, Catch::Contains("--cgroup") && Catch::Contains("nosuchcontroller"));

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "exec --cgroup refuses a missing sub-cgroup, a path out of the container's, and a "
    "bare path given twice") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    struct Case {
        std::vector<std::string> flags;
        std::string error;
    };
    for (const auto& c : std::vector<Case>{
             {{"--cgroup", "nosuch"}, "does not exist"},
             {{"--cgroup", "../.."}, "may not leave"},
             {{"--cgroup", "a", "--cgroup", "b"}, "must be the only"},
             {{"--cgroup", "memory,memory:a"}, "more than once"},
             {{"--cgroup", ":a"}, "empty controller"},
         }) {
        std::vector<std::string> args{"exec"};
        args.insert(args.end(), c.flags.begin(), c.flags.end());
        args.insert(args.end(), {"c1", "true"});
        auto r = env.hull(args);
        INFO(c.flags.back() << ": " << r.err);
        CHECK(r.status == 255);
        CHECK_THAT(r.err, Catch::Contains("--cgroup") && Catch::Contains(c.error));
    }
    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

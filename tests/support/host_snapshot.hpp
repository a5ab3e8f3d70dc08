// What a test may leave behind on the host, captured before and compared after: the mount
// table, container state dirs, cgroup directories, and processes.
#pragma once

#include <set>
#include <string>
#include <utility>

namespace hull::test {

struct HostSnapshot {
    std::set<std::string> mounts;   // /proc/self/mountinfo lines minus their ids
    std::set<std::string> state;    // entries under the hull --root
    std::set<std::string> cgroups;  // directories under every hierarchy's hull parent
    std::set<std::pair<int, unsigned long long>> processes;  // (pid, start time)

    static HostSnapshot take(const std::string& hull_root);
};

// Describes every difference since `before` ("" when clean). A new process counts only when
// it is one of this test's containers (rooted in test_dir) or runs this build's hull; a
// zombie only when it is ours to reap.
// Cgroup directories count when their path has a component in `ids` (the containers this
// test made): other programs may run hull containers meanwhile.
std::string leaks_since(const HostSnapshot& before, const std::string& hull_root,
                        const std::string& test_dir, const std::set<std::string>& ids);

// Makes this test process the subreaper of everything it starts (call once per test).
void become_subreaper();

}  // namespace hull::test

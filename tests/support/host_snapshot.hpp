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

// Reaps zombies reparented to us, then describes every difference ("" when clean). A new
// process counts only when it is a container's (in another pid namespace or rooted in
// the test's directory) or a hull process.
std::string leaks_since(const HostSnapshot& before, const std::string& hull_root,
                        const std::string& test_dir);

// Makes this test process the subreaper of everything it starts (call once per test).
void become_subreaper();

}  // namespace hull::test

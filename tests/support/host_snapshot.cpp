#include "host_snapshot.hpp"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "command.hpp"

namespace hull::test {

namespace {

std::string link_target(const std::string& path) {
    char buf[4096];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

void walk_dirs(const std::string& path, std::set<std::string>& out) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return;
    out.insert(path);
    while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == ".." || e->d_type != DT_DIR) continue;
        walk_dirs(path + "/" + n, out);
    }
    ::closedir(d);
}

unsigned long long start_time(int pid) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::stringstream ss(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && ss >> field; ++i)
        if (i == 22) return std::stoull(field);
    return 0;
}

}  // namespace

void become_subreaper() {
    // Like containerd's shim, reap orphans as they die: a container's PID 1 cannot finish
    // exiting while a process of its pid namespace waits, unreaped, for its new parent (us).
    static std::once_flag once;
    std::call_once(once, [] {
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
        std::thread([] {
            for (;;) {
                siginfo_t info{};
                if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                    info.si_pid > 0 && !is_awaited(info.si_pid)) {
                    ::waitpid(info.si_pid, nullptr, WNOHANG);
                    continue;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }).detach();
    });
}

HostSnapshot HostSnapshot::take(const std::string& hull_root) {
    HostSnapshot s;
    std::stringstream mi(read_text("/proc/self/mountinfo"));
    std::string line;
    while (std::getline(mi, line)) {
        // Drop the mount and parent ids, which change when a mount is replaced.
        auto sp = line.find(' ');
        sp = line.find(' ', sp + 1);
        s.mounts.insert(line.substr(sp + 1));
    }
    if (DIR* d = ::opendir(hull_root.c_str())) {
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") s.state.insert(n);
        }
        ::closedir(d);
    }
    if (DIR* d = ::opendir("/sys/fs/cgroup")) {
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n == "." || n == "..") continue;
            walk_dirs("/sys/fs/cgroup/" + n + "/hull", s.cgroups);
        }
        ::closedir(d);
    }
    if (DIR* d = ::opendir("/proc")) {
        while (struct dirent* e = ::readdir(d)) {
            int pid = std::atoi(e->d_name);
            if (pid > 0) s.processes.insert({pid, start_time(pid)});
        }
        ::closedir(d);
    }
    return s;
}

std::string leaks_since(const HostSnapshot& before, const std::string& hull_root,
                        const std::string& test_dir, const std::set<std::string>& ids) {
    // Give the orphan reaper a moment to collect what just died.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    HostSnapshot after = HostSnapshot::take(hull_root);
    std::string report;
    for (const auto& m : after.mounts)
        if (!before.mounts.count(m)) report += "new mount: " + m + "\n";
    for (const auto& m : before.mounts)
        if (!after.mounts.count(m)) report += "mount gone: " + m + "\n";
    for (const auto& s : after.state)
        if (!before.state.count(s)) report += "state left: " + hull_root + "/" + s + "\n";
    auto ours = [&](const std::string& path) {
        for (const auto& id : ids)
            if ((path + "/").find("/" + id + "/") != std::string::npos) return true;
        return false;
    };
    for (const auto& c : after.cgroups)
        if (!before.cgroups.count(c) && ours(c)) report += "cgroup left: " + c + "\n";
    for (const auto& p : after.processes) {
        if (before.processes.count(p) || p.first == ::getpid()) continue;
        std::string base = "/proc/" + std::to_string(p.first);
        std::string stat = read_text(base + "/stat");
        if (stat.empty()) continue;  // gone meanwhile
        auto close = stat.rfind(')');
        if (close != std::string::npos && stat[close + 2] == 'Z') {
            // Other programs on the host make zombies too; ours are the ones left to us.
            int ppid = std::atoi(stat.c_str() + close + 4);
            if (ppid == ::getpid()) report += "zombie left: " + std::to_string(p.first) + "\n";
            continue;
        }
        // Only processes of this test's containers (rooted in its directory) or hull
        // processes of this build: other programs may run containers meanwhile.
        bool container = link_target(base + "/root").rfind(test_dir, 0) == 0 ||
                         link_target(base + "/exe") == hull_binary();
        if (container)
            report += "process left: " + std::to_string(p.first) + " " +
                      read_text(base + "/cmdline") + "\n";
    }
    return report;
}

}  // namespace hull::test

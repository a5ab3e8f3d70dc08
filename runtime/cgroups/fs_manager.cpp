#include "runtime/cgroups/fs_manager.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cerrno>

#include "base/error.hpp"

namespace hull::cgroups {

bool wait_until(const std::function<bool()>& check, int limit_ms) {
    constexpr int kStepMs = 5;
    for (int waited = 0;; waited += kStepMs) {
        if (check()) return true;
        if (waited >= limit_ms) return false;
        timespec ts{0, kStepMs * 1000000L};
        ::nanosleep(&ts, nullptr);
    }
}

Hierarchy* FsManager::find(const std::string& controller) {
    for (auto& h : hier_) {
        if (!h.v2 && h.has(controller)) return &h;
    }
    if (layout_ == Layout::v2) return unified();
    return nullptr;
}

Hierarchy* FsManager::unified() {
    for (auto& h : hier_) {
        if (h.v2) return &h;
    }
    return nullptr;
}

void FsManager::create() {
    for (auto& h : hier_) {
        make_dirs(h);
        after_mkdir(h);
    }
}

void FsManager::add_process(pid_t pid) {
    for (auto& h : hier_) {
        write_control(h.file("cgroup.procs"), std::to_string(pid),
                      "join cgroup " + h.dir + " with pid " + std::to_string(pid));
    }
}

std::vector<pid_t> FsManager::pids() {
    std::vector<pid_t> all;
    for (const auto& h : hier_) {
        auto some = procs_recursive(h.dir);
        all.insert(all.end(), some.begin(), some.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

void FsManager::destroy() {
    std::string errors;
    auto note = [&](const std::string& msg) {
        if (!errors.empty()) errors += "; ";
        errors += msg;
    };
    try {
        if (!pids().empty()) {
            if (frozen()) thaw();
            bool empty = wait_until(
                [&] {
                    kill_all(SIGKILL);
                    return pids().empty();
                },
                10000);
            if (!empty) note("processes survived SIGKILL in " + path_);
        }
    } catch (const Error& e) {
        note(e.what());
    }
    for (auto& h : hier_) {
        try {
            remove_tree(h.dir);
            // Parents this manager made, deepest first; a parent shared with another
            // container stays (EBUSY) and is removed by whoever leaves it last.
            for (auto it = h.created.rbegin(); it != h.created.rend(); ++it) {
                if (*it != h.dir) remove_if_empty(*it);
            }
            // The default parent is hull's own: whoever empties it removes it, even when
            // another container made it.
            if (path_.rfind("/hull/", 0) == 0 && path_.find('/', 6) == std::string::npos) {
                remove_if_empty(h.mountpoint + "/hull");
            }
        } catch (const Error& e) {
            note(e.what());
        }
    }
    if (!errors.empty()) throw Error("destroy cgroup " + path_ + ": " + errors);
}

std::unique_ptr<Manager> FsManager::sub_cgroup(const SubCgroupPaths& paths) {
    // Which hierarchy each named controller is in; a controller this host does not mount is
    // an error rather than a silent stay in the container's cgroup.
    for (const auto& [controller, path] : paths) {
        if (controller.empty()) continue;
        if (layout_ == Layout::v2)
            throw Error("--cgroup " + controller + ":" + path +
                        ": cgroup v2 has one hierarchy; give the path without a controller");
        if (!find(controller))
            throw Error("--cgroup " + controller + ":" + path + ": no cgroup v1 hierarchy has " +
                        "the " + controller + " controller here");
    }
    std::vector<Hierarchy> sub = hier_;
    std::string described = path_;
    for (auto& h : sub) {
        h.created.clear();
        std::string rel;
        bool given = false;
        if (auto all = paths.find(""); all != paths.end()) {
            rel = all->second;
            given = true;
        }
        for (const auto& c : h.v2 ? std::vector<std::string>{} : h.controllers) {
            auto it = paths.find(c);
            if (it == paths.end()) continue;
            if (given && rel != it->second)
                throw Error("--cgroup: controllers that share the hierarchy " + h.mountpoint +
                            " are given different paths");
            rel = it->second;
            given = true;
        }
        if (!given || rel.empty()) continue;
        h.dir += "/" + rel;
        struct stat st {};
        if (::stat(h.dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode))
            throw Error("--cgroup: the sub-cgroup " + h.dir + " does not exist");
        if (paths.count("")) described = path_ + "/" + rel;
    }
    return make_manager(layout_, described, std::move(sub), log_);
}

std::string FsManager::describe() const {
    std::string out = "cgroup " + path_ + " (" + layout_name(layout_) + "):";
    for (const auto& h : hier_) {
        std::string ctrls;
        for (const auto& c : h.controllers)
            ctrls += (ctrls.empty() ? "" : ",") + c;
        out += " " + (h.v2 ? std::string("cgroup2") : ctrls) + "=" + h.dir;
    }
    return out;
}

void FsManager::signal_all_frozen(int sig, bool can_freeze) {
    bool froze = false;
    if (can_freeze && !frozen()) {
        try {
            freeze();
            froze = true;
        } catch (const Error& e) {
            log_.warn("kill: could not freeze " + path_ + " first: " + e.what());
        }
    }
    std::string failed;
    for (pid_t pid : pids()) {
        if (::kill(pid, sig) < 0 && errno != ESRCH) failed += " " + std::to_string(pid);
    }
    if (froze) thaw();
    if (!failed.empty())
        throw Error("signal " + std::to_string(sig) + " to pids" + failed + " failed");
}

}  // namespace hull::cgroups

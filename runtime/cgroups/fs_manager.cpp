#include "runtime/cgroups/fs_manager.hpp"

#include <signal.h>
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

}  // namespace hull::cgroups

// Shared fixtures for the cgroup integration tests: which cgroup layout this machine has and
// where a controller's files are, a manager that is always destroyed, a forked child that is
// always killed and reaped, and leftovers checks. The tests run on all three layouts: hybrid
// (v1 controllers plus a controller-less cgroup2 at /sys/fs/cgroup/unified), pure v1 and pure
// v2 (tests/vm runs them in guests with the latter two).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/file.hpp"
#include "base/log.hpp"
#include "base/unique_fd.hpp"
#include "runtime/cgroups/fs_manager.hpp"
#include "runtime/cgroups/layout.hpp"
#include "runtime/cgroups/manager.hpp"

namespace cgtest {

using hull::cgroups::Layout;

// This machine's layout, as the runtime itself detects it (lifecycle_test checks the detection
// against statfs).
inline Layout layout() {
    static const Layout l = hull::cgroups::detect_layout();
    return l;
}
inline bool on_v2() {
    return layout() == Layout::v2;
}
inline std::string layout_name() {
    return hull::cgroups::layout_name(layout());
}

// Where a v1 controller's hierarchy, or the one cgroup2 hierarchy on v2, is mounted.
inline std::string mount_of(const std::string& controller) {
    return on_v2() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/" + controller;
}

inline bool exists(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

inline std::string read(const std::string& p) {
    std::string s = hull::read_file(p);
    while (!s.empty() && s.back() == '\n')
        s.pop_back();
    return s;
}

inline const hull::cgroups::FsManager& fs(const hull::cgroups::Manager& m) {
    return dynamic_cast<const hull::cgroups::FsManager&>(m);
}

// The container directory holding a controller's files: the v1 hierarchy with that controller,
// or on v2 the one cgroup2 directory. "unified" is the cgroup2 directory on hybrid and v2.
// Fails the test (instead of returning "", which would make paths like "/pids.max") when there
// is none.
inline std::string dir_of(const hull::cgroups::Manager& m, const std::string& controller) {
    const bool v2 = fs(m).layout() == Layout::v2;
    for (const auto& h : fs(m).hierarchies()) {
        if (controller == "unified" ? h.v2 : (v2 ? h.v2 : h.has(controller))) return h.dir;
    }
    FAIL("no hierarchy of this " << hull::cgroups::layout_name(fs(m).layout()) << " manager holds "
                                 << controller);
    return "";
}

// The control file that plays one role on each layout, e.g.
// file_of(m, "memory", "memory.limit_in_bytes", "memory.max").
inline std::string file_of(const hull::cgroups::Manager& m, const std::string& controller,
                           const std::string& v1_name, const std::string& v2_name) {
    return dir_of(m, controller) + "/" + (fs(m).layout() == Layout::v2 ? v2_name : v1_name);
}

// Whether the cgroup2 directory of the container offers a controller (cgroup.controllers).
inline bool v2_offers(const std::string& dir, const std::string& controller) {
    std::string list = " " + read(dir + "/cgroup.controllers") + " ";
    return list.find(" " + controller + " ") != std::string::npos;
}

// A unique absolute parent for this test run, e.g. "/hull-test-1234".
inline std::string test_parent() {
    return "/hull-test-" + std::to_string(::getpid());
}

// Destroys the manager on scope exit, then checks that no directory of it (nor the test
// parent) is left in any hierarchy.
class Guarded {
  public:
    explicit Guarded(const std::string& name)
        : Guarded(hull::cgroups::open_manager(test_parent() + "/" + name, name, false, log())) {}
    explicit Guarded(std::unique_ptr<hull::cgroups::Manager> m) : m_(std::move(m)) {
        for (const auto& h : fs(*m_).hierarchies()) {
            dirs_.push_back(h.dir);
            parents_.push_back(h.dir.substr(0, h.dir.rfind('/')));
        }
    }
    ~Guarded() {
        if (!m_) return;
        try {
            m_->destroy();
        } catch (const std::exception& e) {
            WARN("destroy in guard failed: " << e.what());
        }
        for (const auto& d : dirs_)
            CHECK_FALSE(exists(d));
    }
    hull::cgroups::Manager& operator*() { return *m_; }
    hull::cgroups::Manager* operator->() { return m_.get(); }
    const std::vector<std::string>& dirs() const { return dirs_; }
    const std::vector<std::string>& parents() const { return parents_; }

    static hull::Logger& log() {
        static hull::Logger logger;
        return logger;
    }

  private:
    std::unique_ptr<hull::cgroups::Manager> m_;
    std::vector<std::string> dirs_;
    std::vector<std::string> parents_;
};

// A forked child running fn after the parent lets it go (so it can be moved into a cgroup
// first). Killed and reaped on scope exit.
class Child {
  public:
    explicit Child(const std::function<int()>& fn) {
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        hull::unique_fd wait_end(p[0]);
        go_ = hull::unique_fd(p[1]);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            // Catch's fatal-signal handlers would report the child's death as a test failure.
            for (int sig = 1; sig < NSIG; ++sig)
                ::signal(sig, SIG_DFL);
            go_.reset();
            char c;
            if (::read(wait_end.get(), &c, 1) != 1) ::_exit(120);
            ::_exit(fn());
        }
    }
    ~Child() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    pid_t pid() const { return pid_; }
    void release() {
        REQUIRE(::write(go_.get(), "g", 1) == 1);
        go_.reset();
    }
    int wait() {
        int status = 0;
        REQUIRE(::waitpid(pid_, &status, 0) == pid_);
        reaped_ = true;
        return status;
    }

  private:
    pid_t pid_ = -1;
    hull::unique_fd go_;
    bool reaped_ = false;
};

}  // namespace cgtest

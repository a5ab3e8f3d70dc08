// Shared fixtures for the cgroup integration tests: a manager that is always destroyed, a
// forked child that is always killed and reaped, and leftovers checks.
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
#include "runtime/cgroups/manager.hpp"

namespace cgtest {

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

// The hierarchy directory holding a controller ("unified" for the cgroup2 one).
inline std::string dir_of(const hull::cgroups::Manager& m, const std::string& controller) {
    for (const auto& h : fs(m).hierarchies()) {
        if (controller == "unified" ? h.v2 : h.has(controller)) return h.dir;
    }
    return "";
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

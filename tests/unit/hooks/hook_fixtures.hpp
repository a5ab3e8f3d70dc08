// Test fixtures for the hooks tests: temp dirs holding hook scripts, and process checks.
#pragma once

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "spec/config.hpp"
#include "support/temp_dir.hpp"

namespace hooks_test {

// A temp dir (the shared hull::test::TempDir, removed at scope exit) holding hook scripts.
class TempDir {
  public:
    TempDir() : dir_("hull-hooks-test") {}

    const std::string& path() const { return dir_.path(); }
    std::string file(const std::string& name) const { return dir_ / name; }

    // Writes "#!/bin/sh\n" + body as an executable script and returns its path.
    std::string script(const std::string& name, const std::string& body, mode_t mode = 0755) const {
        std::string p = file(name);
        {
            std::ofstream f(p, std::ios::binary | std::ios::trunc);
            f << "#!/bin/sh\n" << body;
        }
        ::chmod(p.c_str(), mode);
        return p;
    }

    std::string read(const std::string& name) const { return slurp(file(name)); }

    static std::string slurp(const std::string& path) {
        std::ifstream f(path, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }

  private:
    hull::test::TempDir dir_;
};

inline hull::spec::Hook make_hook(std::string path, std::vector<std::string> args = {},
                                  std::vector<std::string> env = {},
                                  std::optional<int> timeout = std::nullopt) {
    hull::spec::Hook h;
    h.path = std::move(path);
    h.args = std::move(args);
    h.env = std::move(env);
    h.timeout = timeout;
    return h;
}

// True when pid names no live process (absent, or a zombie waiting for its reaper).
inline bool process_gone(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    if (!f) return true;
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    size_t paren = stat.rfind(')');
    return paren == std::string::npos || stat.size() < paren + 3 || stat[paren + 2] == 'Z';
}

// SIGKILL is asynchronous: give the kernel a (generous) moment to finish the kill.
inline bool process_gone_soon(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
        if (process_gone(pid)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return process_gone(pid);
}

// Kills, at scope exit, the process group whose leader's pid a hook wrote to a file, so a
// failing test leaves no background process behind.
class GroupReaper {
  public:
    explicit GroupReaper(std::string pid_file) : pid_file_(std::move(pid_file)) {}
    ~GroupReaper() {
        pid_t pid = pid_from_file(pid_file_);
        if (pid > 1) ::kill(-pid, SIGKILL);
    }
    GroupReaper(const GroupReaper&) = delete;
    GroupReaper& operator=(const GroupReaper&) = delete;

    static pid_t pid_from_file(const std::string& path) {
        std::string text = TempDir::slurp(path);
        return text.empty() ? -1 : static_cast<pid_t>(std::atol(text.c_str()));
    }

  private:
    std::string pid_file_;
};

// Kills, at scope exit, a single process whose pid a hook wrote to a file.
class ProcessReaper {
  public:
    explicit ProcessReaper(std::string pid_file) : pid_file_(std::move(pid_file)) {}
    ~ProcessReaper() {
        pid_t pid = GroupReaper::pid_from_file(pid_file_);
        if (pid > 1) ::kill(pid, SIGKILL);
    }
    ProcessReaper(const ProcessReaper&) = delete;
    ProcessReaper& operator=(const ProcessReaper&) = delete;

  private:
    std::string pid_file_;
};

inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string line;
    while (std::getline(ss, line))
        out.push_back(line);
    return out;
}

}  // namespace hooks_test

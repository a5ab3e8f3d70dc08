// Test helpers for the bundle integration tests: a throwaway busybox rootfs, and running a
// function in a forked child inside fresh namespaces. Catch2 assertions never run in the child:
// the child reports through its exit code and a message pipe, the parent asserts.
#pragma once

#include <functional>
#include <string>

namespace hull::bundle::test {

// A temp directory removed on destruction, never crossing into a mount on the way.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// <dir>/bundle/rootfs with bin/busybox (static) and empty proc, dev, sys, tmp, etc.
struct BusyboxBundle {
    TempDir dir;
    std::string bundle;
    std::string rootfs;
    BusyboxBundle();
};

struct ChildResult {
    int exit_code = -1;   // -1 when killed by a signal
    std::string message;  // what the child reported (failed checks, exception text)
};

// Runs fn in a child in a new mount namespace (plus a new PID namespace when new_pid: fn then
// runs as PID 1 of it, in a grandchild). fn returns the exit code and appends to `message`; an
// exception becomes exit code 100 with its text. user_ns adds a user namespace mapping ids
// 0-65535 to the host's 0-65535.
// extra_unshare: more CLONE_NEW* flags for the unshare that creates the mount namespace.
ChildResult run_in_child(const std::function<int(std::string& message)>& fn, bool new_pid = false,
                         bool user_ns = false, int extra_unshare = 0);

// Appends "what\n" to message and returns false when !ok: for checks inside the child.
bool expect(bool ok, const std::string& what, std::string& message);

std::string read_mountinfo_self();
void write_text(const std::string& path, const std::string& data);

}  // namespace hull::bundle::test

// Hooks that record what they were given, for the hook integration tests.
//
// A recording hook is the busybox binary run as `sh -c '. <record.sh>' NAME DIR`: argv[0] is
// "sh" (busybox picks the applet from it), unlike the path, and /proc/self/cmdline of the shell
// is exactly the argv hull passed (a #! script would lose argv[0] to the kernel). record.sh
// writes into DIR: NAME.argv and NAME.env (one entry a line, read from the shell's own
// /proc/self, so nothing the shell adds is seen), NAME.state (stdin), NAME.ns (mnt, pid, net,
// uts, ipc namespace links), NAME.fds (its open fds), NAME.sig (SigBlk and SigIgn) and appends NAME
// to DIR/order.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/hull_env.hpp"

namespace hooks_it {

// Unique on the host: the container's default cgroup is /hull/<id>, shared with every other
// hull test running at the same time (two runs of one id would kill each other's containers).
inline const std::string kId = "hooks-" + std::to_string(::getpid());

inline const std::vector<std::string> kNamespaces = {"mnt", "pid", "net", "uts", "ipc"};
// What every recording hook gets as its environment; exact, nothing else may appear.
inline const std::vector<std::string> kHookEnv = {"HOOK_A=1", "HOOK_B=two words"};

inline std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline bool exists(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

inline void write_file(const std::string& path, const std::string& text, mode_t mode = 0755) {
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
}

inline std::string lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += item + "\n";
    return out;
}

// JSON string literal; the tests only quote paths and plain words.
inline std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

inline std::string json_strings(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? "," : "") + quote(items[i]);
    return out + "]";
}

constexpr const char* kRecordScript = R"(n="$0"; d="$1"; bb=/bin/busybox
exec 3</proc/self/cmdline 4</proc/self/environ
$bb tr '\0' '\n' <&3 >"$d/$n.argv"
$bb tr '\0' '\n' <&4 >"$d/$n.env"
exec 3<&- 4<&-
$bb cat >"$d/$n.state"
for ns in mnt pid net uts ipc; do $bb readlink /proc/self/ns/$ns; done >"$d/$n.ns"
while read -r k v; do case $k in SigBlk:|SigIgn:) echo "$k $v";; esac; done </proc/self/status >"$d/$n.sig"
set -- /proc/self/fd/*
echo "$*" >"$d/$n.fds"
echo "$n" >>"$d/order"
)";

// The fds below 10 a recording hook had open (ash keeps its own fds at 10 and above), as
// "0 1 2 3": stdio, plus 3 for reading /proc/self/fd itself. Anything more was inherited.
inline std::string low_fds(const std::string& recorded) {
    std::istringstream in(recorded);
    std::string out, path;
    while (in >> path) {
        std::string fd = path.substr(path.rfind('/') + 1);
        if (fd.size() == 1) out += (out.empty() ? "" : " ") + fd;
    }
    return out;
}

// The readlink of each of kNamespaces for a process ("self" or a pid), one a line.
inline std::string namespaces_of(const std::string& proc) {
    std::string out;
    for (const auto& ns : kNamespaces) {
        char buf[256];
        ssize_t n = ::readlink(("/proc/" + proc + "/ns/" + ns).c_str(), buf, sizeof buf);
        out += (n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?") + "\n";
    }
    return out;
}

// A bundle with recording hooks: host-side hooks record into <tmp>/rec directly; in-container
// hooks (startContainer) record into /rec, a bind mount of the same directory.
class HookBundle {
  public:
    HookBundle(hull::test::HullEnv& env, const std::vector<std::string>& args)
        : env_(env), bundle_(env.bundle("b", args)), rec_(env.dir() / "rec") {
        ::mkdir(rec_.c_str(), 0777);
        ::chmod(rec_.c_str(), 0777);
        write_file(host_script(), kRecordScript);
        write_file(bundle_.rootfs() + "/record.sh", kRecordScript);
        ::mkdir((bundle_.rootfs() + "/rec").c_str(), 0755);
        auto& mounts = bundle_.config()["mounts"];
        bundle_.set("/mounts/" + std::to_string(mounts.Size()),
                    R"({"destination":"/rec","type":"bind","source":)" + quote(rec_) +
                        R"(,"options":["rbind","rw"]})");
    }

    hull::test::BusyboxBundle& bundle() { return bundle_; }
    const std::string& rec() const { return rec_; }
    std::string host_script() const { return env_.dir() / "record.sh"; }

    // The argv a recording hook named `name` gets.
    std::vector<std::string> argv(const std::string& name, bool in_container) const {
        if (in_container) return {"sh", "-c", ". /record.sh", name, "/rec"};
        return {"sh", "-c", ". " + host_script(), name, rec_};
    }
    std::string recording_hook(const std::string& name, bool in_container = false) const {
        return R"({"path":"/bin/busybox","args":)" + json_strings(argv(name, in_container)) +
               R"(,"env":)" + json_strings(kHookEnv) + "}";
    }
    // A #! script (in the host's or, for startContainer, the rootfs' /) that says
    // "boom <name>" on stderr and exits 1. Returns the path hull must be given.
    std::string failing_script(const std::string& name, bool in_container = false) {
        std::string text = "#!/bin/busybox sh\necho \"boom " + name + "\" >&2\nexit 1\n";
        if (in_container) {
            write_file(bundle_.rootfs() + "/fail-" + name + ".sh", text);
            return "/fail-" + name + ".sh";
        }
        write_file(env_.dir() / ("fail-" + name + ".sh"), text);
        return env_.dir() / ("fail-" + name + ".sh");
    }
    std::string failing_hook(const std::string& name, bool in_container = false) {
        return R"({"path":)" + quote(failing_script(name, in_container)) + "}";
    }

    void set_hooks(const std::string& phase, const std::vector<std::string>& hooks) {
        std::string json = "[";
        for (size_t i = 0; i < hooks.size(); ++i)
            json += (i ? "," : "") + hooks[i];
        bundle_.set("/hooks/" + phase, json + "]");
    }

    std::string order() const { return slurp(rec_ + "/order"); }
    std::string record(const std::string& name, const std::string& what) const {
        return slurp(rec_ + "/" + name + "." + what);
    }
    bool ran(const std::string& name) const { return exists(rec_ + "/" + name + ".state"); }

  private:
    hull::test::HullEnv& env_;
    hull::test::BusyboxBundle bundle_;
    std::string rec_;
};

// The mask of a "SigBlk:" or "SigIgn:" line of a NAME.sig record.
inline unsigned long long signal_mask(const std::string& sig_record, const std::string& key) {
    auto pos = sig_record.find(key + ": ");
    if (pos == std::string::npos) return ~0ULL;
    return std::stoull(sig_record.substr(pos + key.size() + 2, 16), nullptr, 16);
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace hooks_it

#include "runtime/container.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "runtime/process_identity.hpp"

namespace hull::runtime {

namespace {

constexpr int kExitWaitMs = 10000;

}  // namespace

std::unique_ptr<cgroups::Manager> reopen_cgroup(const ContainerRecord& record, Logger& log) {
    if (record.cgroup.empty()) return nullptr;
    return cgroups::manager_from_json(record.cgroup, log);
}

Container Container::open(Context& ctx, const std::string& id) {
    return load(ctx, ContainerDir::open(ctx.options.root, id));
}

Container Container::load(Context& ctx, ContainerDir dir) {
    ContainerRecord record = load_record(dir);
    auto cgroup = reopen_cgroup(record, ctx.log);
    std::string path = dir.path();
    return Container(std::move(path), std::move(record), std::move(cgroup), std::move(dir));
}

std::optional<Container> Container::peek(Context& ctx, const std::string& id) {
    std::string path = ctx.options.root + "/" + id;
    std::string text;
    try {
        text = read_file(path + "/state.json");
    } catch (const Error&) {
        return std::nullopt;
    }
    ContainerRecord record = record_from_json(text);
    if (record.status == Status::creating) return std::nullopt;
    return Container(std::move(path), std::move(record), nullptr, std::nullopt, &ctx.log);
}

cgroups::Manager* Container::cgroup() const {
    if (Logger* log = std::exchange(reopen_with_, nullptr)) {
        try {
            cgroup_ = reopen_cgroup(record_, *log);
        } catch (const Error&) {
        }
    }
    return cgroup_.get();
}

ContainerDir& Container::dir() {
    if (!dir_) throw Error("container " + id() + ": not opened for changes");
    return *dir_;
}

Status Container::status() const {
    // A record still saying "creating" to a command that got the lock: that create died.
    if (record_.status == Status::creating || !process_alive(record_.pid, record_.start_time))
        return Status::stopped;
    if (::access(file("exec.fifo").c_str(), F_OK) == 0) return Status::created;
    if (cgroups::Manager* cgroup = this->cgroup()) {
        try {
            if (cgroup->frozen()) return Status::paused;
        } catch (const std::exception&) {
            // A cgroup we cannot read does not make a live process stopped.
        }
    }
    return Status::running;
}

void Container::save(Status status) {
    record_.status = status;
    save_record(dir(), record_);
}

unique_fd Container::init_pidfd() const {
    return open_verified_pidfd(record_.pid, record_.start_time);
}

void Container::signal(int sig, bool all) {
    Status now = status();
    if (now == Status::stopped && !all) throw Error("container not running");
    if (all && cgroup()) {
        cgroup()->kill_all(sig);
    } else {
        unique_fd pidfd = init_pidfd();
        if (!pidfd) throw Error("container not running");
        if (sys::pidfd_send_signal(pidfd.get(), sig) < 0) throw_errno("kill container init");
    }
    if (sig == SIGKILL && now == Status::paused && cgroup()) cgroup()->thaw();
}

void Container::kill_init() {
    unique_fd pidfd = init_pidfd();
    if (!pidfd) return;
    bool paused = status() == Status::paused;
    sys::pidfd_send_signal(pidfd.get(), SIGKILL);
    if (paused) cgroup()->thaw();
    if (!wait_for_exit(pidfd.get(), kExitWaitMs))
        throw Error("container init did not exit after SIGKILL");
}

}  // namespace hull::runtime

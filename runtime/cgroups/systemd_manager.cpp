#include "runtime/cgroups/systemd_manager.hpp"
#include "runtime/cgroups/sd_bus_handles.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/json.hpp"
#include "base/syscalls.hpp"
#include "runtime/cgroups/layout.hpp"
#include "runtime/cgroups/paths.hpp"
#include "runtime/cgroups/v2_manager.hpp"

namespace hull::cgroups {

namespace {

constexpr const char* kDest = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kIface = "org.freedesktop.systemd1.Manager";
constexpr const char* kCgroupRoot = "/sys/fs/cgroup";
// A TCG guest is ~15x slower than a host; systemd answers a start or stop job well within this.
constexpr std::uint64_t kJobTimeoutUsec = 120ull * 1000000;

void check(int r, const std::string& what) {
    if (r < 0) throw Error(what + ": " + std::strerror(-r), -r);
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Connects to systemd: its private socket as root (what systemctl uses; no dbus-daemon needed,
// and systemd sends its signals there to every connection), else the system bus.
BusPtr connect_systemd() {
    std::string tried;
    if (::geteuid() == 0 && exists(kSystemdPrivateSocket)) {
        sd_bus* raw = nullptr;
        check(libsystemd().bus_new(&raw), "sd_bus_new");
        BusPtr bus(raw);
        std::string address = std::string("unix:path=") + kSystemdPrivateSocket;
        check(libsystemd().set_address(bus.get(), address.c_str()), "sd_bus_set_address");
        int r = libsystemd().start(bus.get());
        if (r >= 0) return bus;
        tried = std::string(kSystemdPrivateSocket) + ": " + std::strerror(-r) + "; ";
    }
    sd_bus* raw = nullptr;
    int r = libsystemd().open_system(&raw);
    if (r >= 0) return BusPtr(raw);
    throw Error("systemd cgroup driver: cannot connect to systemd over D-Bus (" + tried +
                    kSystemBusSocket + ": " + std::strerror(-r) + ")",
                -r);
}

void append_property(sd_bus_message* m, const UnitProperty& p) {
    const char* sig = property_signature(p.value);
    auto what = "D-Bus property " + p.name;
    check(libsystemd().message_open_container(m, 'r', "sv"), what);
    check(libsystemd().message_append(m, "s", p.name.c_str()), what);
    check(libsystemd().message_open_container(m, 'v', sig), what);
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                check(libsystemd().message_append(m, "b", static_cast<int>(v)), what);
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                check(libsystemd().message_append(m, "t", v), what);
            } else if constexpr (std::is_same_v<T, std::string>) {
                check(libsystemd().message_append(m, "s", v.c_str()), what);
            } else if constexpr (std::is_same_v<T, std::vector<std::uint32_t>>) {
                check(libsystemd().message_append_array(m, 'u', v.data(),
                                                        v.size() * sizeof(std::uint32_t)),
                      what);
            } else {
                check(libsystemd().message_append_array(m, 'y', v.data(), v.size()), what);
            }
        },
        p.value);
    check(libsystemd().message_close_container(m), what);
    check(libsystemd().message_close_container(m), what);
}

void append_properties(sd_bus_message* m, const std::vector<UnitProperty>& props) {
    check(libsystemd().message_open_container(m, 'a', "(sv)"), "D-Bus properties");
    for (const auto& p : props)
        append_property(m, p);
    check(libsystemd().message_close_container(m), "D-Bus properties");
}

std::uint64_t now_usec() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// The results of the jobs systemd removed, by job object path (JobRemoved "uoss").
int on_job_removed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    std::uint32_t id = 0;
    const char* job = nullptr;
    const char* unit = nullptr;
    const char* result = nullptr;
    if (libsystemd().message_read(m, "uoss", &id, &job, &unit, &result) >= 0)
        (*static_cast<std::map<std::string, std::string>*>(userdata))[job] = result;
    return 0;
}

// A child of hull that only waits to be killed: the scope's first process (see create()).
class Placeholder {
  public:
    Placeholder() {
        pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ < 0) throw_errno("fork the systemd scope's placeholder process");
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(0);
            sys::close_range(3, ~0u, 0);
            for (;;)
                ::pause();
        }
    }
    Placeholder(const Placeholder&) = delete;
    Placeholder& operator=(const Placeholder&) = delete;
    ~Placeholder() { stop(); }
    pid_t pid() const { return pid_; }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }

  private:
    pid_t pid_ = -1;
};

class SystemdManager : public Manager {
  public:
    // owned: whether destroy() may stop the unit and remove its cgroup. A manager read back from
    // the state is; a new one only once systemd has accepted its StartTransientUnit, so that a
    // create that fails because the unit exists leaves that other unit alone.
    SystemdManager(SystemdUnit unit, std::string description, std::string dir, bool owned,
                   Logger& log)
        : unit_(std::move(unit)), description_(std::move(description)), log_(log), owned_(owned) {
        set_dir(std::move(dir));
    }

    const SystemdUnit& unit() const { return unit_; }
    const std::string& dir() const { return dir_; }
    const std::string& description() const { return description_; }
    bool owned() const { return owned_; }

    // hull clones init straight into its cgroup (clone3 CLONE_INTO_CGROUP, so that init is
    // never outside it, not even while it unshares its cgroup namespace), which needs the
    // cgroup before init exists; systemd refuses a scope without a process. So the scope is
    // started with a placeholder, a child of hull that only waits; after_clone() (init is in
    // the scope then, so systemd does not see it empty and collect it) kills it. runc instead
    // starts the unit with its init's pid, but its init runs in runc's cgroup until then.
    void create() override {
        if (unit_.unit.size() < 6 || unit_.unit.compare(unit_.unit.size() - 6, 6, ".scope") != 0) {
            throw Error(
                "cgroupsPath: the systemd cgroup driver here makes only .scope units, not \"" +
                unit_.unit + "\"");
        }
        placeholder_ = std::make_unique<Placeholder>();
        std::vector<UnitProperty> props = {
            {"Description", description_},
            {"Slice", unit_.slice},
            {"Delegate", true},
            {"DefaultDependencies", false},
            {"MemoryAccounting", true},
            {"CPUAccounting", true},
            {"IOAccounting", true},
            {"TasksAccounting", true},
            {"PIDs", std::vector<std::uint32_t>{static_cast<std::uint32_t>(placeholder_->pid())}},
        };
        sd_bus* b = bus();
        MessagePtr msg = new_call("StartTransientUnit");
        check(libsystemd().message_append(msg.get(), "ss", unit_.unit.c_str(), "fail"),
              "StartTransientUnit");
        append_properties(msg.get(), props);
        check(libsystemd().message_append(msg.get(), "a(sa(sv))", 0), "StartTransientUnit");
        run_job(b, msg.get(), "start", &owned_);
        // Where systemd put it (its own view of the slice tree wins over hull's expansion).
        std::string cg = control_group();
        if (!cg.empty()) set_dir(std::string(kCgroupRoot) + (cg == "/" ? "" : cg));
        if (!exists(dir_))
            throw Error("systemd unit " + unit_.unit + ": its cgroup " + dir_ + " does not exist");
        inner_->create();
    }

    void after_clone() override {
        if (placeholder_) placeholder_->stop();
        placeholder_.reset();
    }

    void apply(const spec::Resources& resources) override {
        auto props = resource_properties(resources);
        if (!props.empty()) {
            MessagePtr msg = new_call("SetUnitProperties");
            check(libsystemd().message_append(msg.get(), "sb", unit_.unit.c_str(), 1),
                  "SetUnitProperties");
            append_properties(msg.get(), props);
            BusError err;
            int r = libsystemd().call(bus(), msg.get(), 0, &err.e, nullptr);
            if (r < 0) {
                throw Error("systemd unit " + unit_.unit + ": SetUnitProperties: " + err.text(r),
                            -r);
            }
        }
        inner_->apply(resources);
    }

    void add_process(pid_t pid) override { inner_->add_process(pid); }
    std::vector<pid_t> pids() override { return inner_->pids(); }
    void freeze() override { inner_->freeze(); }
    void thaw() override { inner_->thaw(); }
    bool frozen() override { return inner_->frozen(); }
    void kill_all(int sig) override { inner_->kill_all(sig); }
    Stats stats() override { return inner_->stats(); }
    int cgroup_fd_for_clone() override { return inner_->cgroup_fd_for_clone(); }
    void join_self() override {}
    std::unique_ptr<Manager> sub_cgroup(const SubCgroupPaths& paths) override {
        return inner_->sub_cgroup(paths);
    }

    // Kills what is left (systemd's stop would SIGTERM first and wait TimeoutStopSec for an
    // init that ignores it), stops the unit, and removes the cgroup should systemd not have.
    void destroy() override {
        std::string errors;
        auto note = [&](const std::string& m) { errors += (errors.empty() ? "" : "; ") + m; };
        after_clone();
        if (!owned_) return;
        try {
            inner_->destroy();
        } catch (const Error& e) {
            note(e.what());
        }
        try {
            stop_unit();
        } catch (const Error& e) {
            note(e.what());
        }
        if (!errors.empty()) throw Error("destroy systemd unit " + unit_.unit + ": " + errors);
    }

    std::string describe() const override {
        return "systemd unit " + unit_.unit + " in " + unit_.slice + ", cgroup " + dir_ + " (v2)";
    }

  private:
    void set_dir(std::string dir) {
        dir_ = std::move(dir);
        Hierarchy h;
        h.mountpoint = kCgroupRoot;
        h.v2 = true;
        h.dir = dir_;
        std::vector<Hierarchy> hs;
        hs.push_back(std::move(h));
        inner_ =
            make_manager(Layout::v2, dir_.substr(std::strlen(kCgroupRoot)), std::move(hs), log_);
    }

    sd_bus* bus() {
        if (!bus_) bus_ = connect_systemd();
        return bus_.get();
    }

    MessagePtr new_call(const char* method) {
        sd_bus_message* raw = nullptr;
        check(libsystemd().message_new_method_call(bus(), &raw, kDest, kPath, kIface, method),
              method);
        return MessagePtr(raw);
    }

    // Calls a method that returns a job and waits for systemd to remove the job; anything but
    // "done" is an error naming the unit.
    void run_job(sd_bus* b, sd_bus_message* msg, const std::string& verb,
                 bool* accepted = nullptr) {
        std::map<std::string, std::string> results;
        sd_bus_slot* raw_slot = nullptr;
        check(libsystemd().match_signal(b, &raw_slot, nullptr, kPath, kIface, "JobRemoved",
                                        on_job_removed, &results),
              "match JobRemoved");
        SlotPtr slot(raw_slot);
        {
            // On the system bus systemd sends its signals only to subscribers.
            BusError ignored;
            libsystemd().call_method(b, kDest, kPath, kIface, "Subscribe", &ignored.e, nullptr, "");
        }
        BusError err;
        sd_bus_message* raw_reply = nullptr;
        int r = libsystemd().call(b, msg, kJobTimeoutUsec, &err.e, &raw_reply);
        MessagePtr reply(raw_reply);
        if (r < 0) throw Error("systemd unit " + unit_.unit + ": " + verb + ": " + err.text(r), -r);
        if (accepted) *accepted = true;
        const char* job_path = nullptr;
        check(libsystemd().message_read(reply.get(), "o", &job_path),
              "systemd unit " + unit_.unit + ": " + verb);
        std::string job = job_path;
        std::uint64_t deadline = now_usec() + kJobTimeoutUsec;
        while (!results.count(job)) {
            r = libsystemd().process(b, nullptr);
            check(r, "systemd unit " + unit_.unit + ": " + verb + ": waiting for job " + job);
            if (r > 0) continue;
            std::uint64_t now = now_usec();
            if (now >= deadline) {
                throw Error("systemd unit " + unit_.unit + ": " + verb + " job " + job +
                            " did not finish within " + std::to_string(kJobTimeoutUsec / 1000000) +
                            " s");
            }
            r = libsystemd().wait(b, deadline - now);
            if (r < 0 && r != -EINTR)
                check(r, "systemd unit " + unit_.unit + ": waiting for job " + job);
        }
        if (results[job] != "done") {
            throw Error("systemd unit " + unit_.unit + ": " + verb +
                        " job finished with result \"" + results[job] + "\" (journalctl -u " +
                        unit_.unit + ")");
        }
    }

    std::string control_group() {
        BusError err;
        sd_bus_message* raw = nullptr;
        int r = libsystemd().call_method(bus(), kDest, kPath, kIface, "GetUnit", &err.e, &raw, "s",
                                         unit_.unit.c_str());
        MessagePtr reply(raw);
        if (r < 0) throw Error("systemd unit " + unit_.unit + ": GetUnit: " + err.text(r), -r);
        const char* object = nullptr;
        check(libsystemd().message_read(reply.get(), "o", &object), "GetUnit");
        char* cg = nullptr;
        BusError err2;
        r = libsystemd().get_property_string(bus(), kDest, object, "org.freedesktop.systemd1.Scope",
                                             "ControlGroup", &err2.e, &cg);
        if (r < 0)
            throw Error("systemd unit " + unit_.unit + ": ControlGroup: " + err2.text(r), -r);
        std::string out = cg ? cg : "";
        ::free(cg);
        return out;
    }

    void stop_unit() {
        sd_bus* b = bus();
        MessagePtr msg = new_call("StopUnit");
        check(libsystemd().message_append(msg.get(), "ss", unit_.unit.c_str(), "replace"),
              "StopUnit");
        try {
            run_job(b, msg.get(), "stop");
        } catch (const Error&) {
            // Already gone: systemd collects a scope as soon as it is empty.
            if (!unit_loaded()) return;
            throw;
        }
        // A failed scope stays listed until reset.
        BusError ignored;
        libsystemd().call_method(b, kDest, kPath, kIface, "ResetFailedUnit", &ignored.e, nullptr,
                                 "s", unit_.unit.c_str());
    }

    bool unit_loaded() {
        BusError err;
        sd_bus_message* raw = nullptr;
        int r = libsystemd().call_method(bus(), kDest, kPath, kIface, "GetUnit", &err.e, &raw, "s",
                                         unit_.unit.c_str());
        MessagePtr reply(raw);
        return r >= 0;
    }

    SystemdUnit unit_;
    std::string description_;
    std::string dir_;
    Logger& log_;
    std::unique_ptr<Manager> inner_;
    std::unique_ptr<Placeholder> placeholder_;
    BusPtr bus_;
    bool owned_;
};

}  // namespace

std::unique_ptr<Manager> open_systemd_manager(const std::string& cgroups_path,
                                              const std::string& container_id, Logger& log,
                                              const std::string& systemd_dir) {
    SystemdUnit unit = parse_systemd_cgroups_path(cgroups_path, container_id);
    std::string shown = cgroups_path.empty() ? ":hull:" + container_id : cgroups_path;
    if (!exists(systemd_dir)) {
        throw Error("cgroupsPath \"" + shown +
                    "\": systemd cgroup driver requested but systemd is not PID 1 (" + systemd_dir +
                    " does not exist; its bus " + kSystemdPrivateSocket + " and the system bus " +
                    kSystemBusSocket +
                    " are what hull talks to); drop --systemd-cgroup and use a "
                    "path cgroupsPath for the cgroupfs driver");
    }
    if (!exists(kSystemdPrivateSocket) && !exists(kSystemBusSocket)) {
        throw Error("cgroupsPath \"" + shown + "\": systemd cgroup driver requested but neither " +
                    kSystemdPrivateSocket + " nor " + kSystemBusSocket + " exists");
    }
    Layout layout = layout_from_mounts(parse_cgroup_mounts(read_file("/proc/self/mountinfo")));
    if (layout != Layout::v2) {
        throw Error("cgroupsPath \"" + shown +
                    "\": the systemd cgroup driver needs a pure cgroup v2 "
                    "host; this one is " +
                    layout_name(layout));
    }
    std::string dir = std::string(kCgroupRoot) + (unit.cgroup_path == "/" ? "" : unit.cgroup_path);
    return std::make_unique<SystemdManager>(std::move(unit), "hull container " + container_id,
                                            std::move(dir), false, log);
}

std::string systemd_manager_to_json(const Manager& manager) {
    const auto* sm = dynamic_cast<const SystemdManager*>(&manager);
    if (!sm) return "";
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("driver");
    w.String("systemd");
    w.Key("unit");
    w.String(sm->unit().unit);
    w.Key("slice");
    w.String(sm->unit().slice);
    w.Key("description");
    w.String(sm->description());
    w.Key("dir");
    w.String(sm->dir());
    w.Key("owned");
    w.Bool(sm->owned());
    w.EndObject();
    return buf.GetString();
}

std::unique_ptr<Manager> systemd_manager_from_json(const std::string& json, Logger& log) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw Error("cgroup state: " + why);
    auto str = [&](const char* name) {
        auto it = doc.FindMember(name);
        if (it == doc.MemberEnd() || !it->value.IsString())
            throw Error(std::string("cgroup state: \"") + name + "\" is missing or not a string");
        return std::string(it->value.GetString());
    };
    SystemdUnit unit;
    unit.unit = str("unit");
    unit.slice = str("slice");
    unit.slice_path = expand_slice(unit.slice);
    std::string dir = str("dir");
    // destroy() removes dir recursively: it must be below the cgroup root, lexically.
    if (!lexically_below(dir, kCgroupRoot))
        throw Error("cgroup state: \"" + dir + "\" is not below " + kCgroupRoot);
    std::string name = dir.substr(dir.rfind('/') + 1);
    if (name != unit.unit)
        throw Error("cgroup state: \"" + dir + "\" is not unit " + unit.unit + "'s cgroup");
    unit.cgroup_path = dir.substr(std::strlen(kCgroupRoot));
    auto owned = doc.FindMember("owned");
    if (owned == doc.MemberEnd() || !owned->value.IsBool())
        throw Error("cgroup state: \"owned\" is missing or not a boolean");
    return std::make_unique<SystemdManager>(std::move(unit), str("description"), std::move(dir),
                                            owned->value.GetBool(), log);
}

}  // namespace hull::cgroups

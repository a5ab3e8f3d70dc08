// libFuzzer target: the state hull reads back between invocations, <root>/<id>/state.json —
// hull's container record (runtime::record_from_json) and the cgroup manager's JSON inside it
// (cgroups::manager_from_json) — and the OCI state as tools read what `hull state` prints
// (the tests' parse_state). Beyond not crashing, whatever parses must survive its own round
// trip unchanged, and a reopened cgroup manager must only name directories inside its mounts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/error.hpp"
#include "base/log.hpp"
#include "runtime/cgroups/fs_manager.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/cgroups/paths.hpp"
#include "runtime/container_record.hpp"
#include "spec/state.hpp"
#include "support/state_reader.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();  // a broken invariant: libFuzzer keeps the input as a crash
}

void oci_state(const std::string& text) {
    hull::spec::State state;
    try {
        state = hull::test::parse_state(text, "state.json");
    } catch (const hull::Error&) {
        return;
    }
    check(hull::test::parse_state(
              hull::spec::state_to_json(state, hull::spec::StateLayout::command), "state.json") ==
          state);
}

void cgroup_state(const std::string& text) {
    hull::Logger log;
    std::unique_ptr<hull::cgroups::Manager> manager;
    try {
        manager = hull::cgroups::manager_from_json(text, log);
    } catch (const hull::Error&) {
        return;
    }
    const auto* fs = dynamic_cast<const hull::cgroups::FsManager*>(manager.get());
    check(fs != nullptr);
    for (const auto& h : fs->hierarchies()) {
        check(hull::cgroups::lexically_below(h.dir, h.mountpoint));
        for (const auto& c : h.created)
            check(hull::cgroups::lexically_below(c, h.mountpoint));
    }
    (void)manager->describe();
    std::string json = hull::cgroups::manager_to_json(*manager);
    check(hull::cgroups::manager_to_json(*hull::cgroups::manager_from_json(json, log)) == json);
}

void record(const std::string& text) {
    hull::runtime::ContainerRecord r;
    try {
        r = hull::runtime::record_from_json(text);
    } catch (const hull::Error&) {
        return;
    }
    check(r.pid >= 0);
    std::string json = hull::runtime::record_to_json(r);
    check(hull::runtime::record_to_json(hull::runtime::record_from_json(json)) == json);
    if (!r.cgroup.empty()) cgroup_state(r.cgroup);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    oci_state(text);
    record(text);
    cgroup_state(text);
    return 0;
}

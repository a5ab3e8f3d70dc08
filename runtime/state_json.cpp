#include "runtime/state_json.hpp"

namespace hull::runtime {

spec::State oci_state(const ContainerRecord& r, Status status) {
    spec::State s;
    s.oci_version = r.oci_version;
    s.id = r.id;
    s.status = status_name(status);
    s.pid = status == Status::stopped ? 0 : r.pid;
    s.bundle = r.bundle;
    s.annotations = r.annotations;
    s.rootfs = r.rootfs;
    s.created = r.created;
    s.owner = r.owner;
    return s;
}

std::string hook_state_json(const ContainerRecord& r, Status status) {
    return spec::state_to_json(oci_state(r, status), spec::StateLayout::hook);
}

std::string hook_state_json(spec::State state, Status status, pid_t pid) {
    state.status = status_name(status);
    state.pid = pid;
    return spec::state_to_json(state, spec::StateLayout::hook);
}

}  // namespace hull::runtime

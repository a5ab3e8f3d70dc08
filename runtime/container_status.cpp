#include "runtime/container_status.hpp"

#include <unistd.h>

#include "runtime/process_identity.hpp"

namespace hull::runtime {

std::string live_status(const std::string& dir_path, const ContainerRecord& record,
                        cgroups::Manager* cgroup) {
    if (record.status == "creating" || !process_alive(record.pid, record.start_time))
        return "stopped";
    if (::access((dir_path + "/exec.fifo").c_str(), F_OK) == 0) return "created";
    if (cgroup) {
        try {
            if (cgroup->frozen()) return "paused";
        } catch (const std::exception&) {
            // A cgroup we cannot read does not make a live process stopped.
        }
    }
    return "running";
}

std::unique_ptr<cgroups::Manager> reopen_cgroup(const ContainerRecord& record, Logger& log) {
    if (record.cgroup.empty()) return nullptr;
    return cgroups::manager_from_json(record.cgroup, log);
}

}  // namespace hull::runtime

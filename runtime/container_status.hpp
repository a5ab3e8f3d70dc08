// A container's status is derived from the live system, never trusted from disk:
// init alive + exec.fifo present = created; alive, no fifo = running (paused when its
// cgroup is frozen); init gone, a zombie, or a different process under its pid = stopped.
#pragma once

#include <memory>
#include <string>

#include "base/log.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"

namespace hull::runtime {

std::string live_status(const std::string& dir_path, const ContainerRecord& record,
                        cgroups::Manager* cgroup);

// The container's cgroup manager as recorded at create, or nullptr when none was recorded.
std::unique_ptr<cgroups::Manager> reopen_cgroup(const ContainerRecord& record, Logger& log);

}  // namespace hull::runtime

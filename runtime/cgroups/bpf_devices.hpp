// cgroup v2 has no devices.allow: device access is decided by an eBPF program of type
// BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup. This generates that program from the
// spec's rules and loads it with the raw bpf(2) system call.
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "spec/config.hpp"

namespace hull::cgroups {

// The program: rules are evaluated last to first and the first that matches decides, which is
// what applying them in order to a deny-all list (as v1 does) amounts to; no match -> deny.
// An allow rule matches when it grants every requested access bit, a deny rule when it covers
// any of them. Throws Error naming /linux/resources/devices on a malformed rule.
std::vector<bpf_insn> device_program(const std::vector<spec::DeviceCgroupRule>& rules);

// Loads the program, attaches it to the cgroup (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI), then
// detaches every program that was attached there before, so an update replaces the rules.
void install_device_program(int cgroup_dir_fd, const std::vector<bpf_insn>& program);

}  // namespace hull::cgroups

#include "spec/namespace_names.hpp"

#include <sched.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::spec {

namespace {

constexpr NamespaceKind kKinds[] = {
    {"user", "user", CLONE_NEWUSER},       {"mount", "mnt", CLONE_NEWNS},
    {"pid", "pid", CLONE_NEWPID},          {"network", "net", CLONE_NEWNET},
    {"ipc", "ipc", CLONE_NEWIPC},          {"uts", "uts", CLONE_NEWUTS},
    {"cgroup", "cgroup", CLONE_NEWCGROUP}, {"time", "time", CLONE_NEWTIME},
};

}  // namespace

std::span<const NamespaceKind> namespace_kinds() {
    return kKinds;
}

const NamespaceKind* find_namespace_kind(std::string_view type) {
    for (const auto& k : kKinds) {
        if (type == k.type) return &k;
    }
    return nullptr;
}

}  // namespace hull::spec

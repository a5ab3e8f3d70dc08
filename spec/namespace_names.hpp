// The linux.namespaces types hull knows, with their /proc/<pid>/ns name and CLONE_NEW* flag;
// shared by validation, the runtime that creates and joins them, and features.json.
#pragma once

#include <span>
#include <string_view>

namespace hull::spec {

struct NamespaceKind {
    const char* type;       // "network"
    const char* proc_name;  // "net"
    int flag;               // CLONE_NEWNET
};

// In the order the runtime joins them: user must stay first, because joining it first grants
// the rights to join the others.
std::span<const NamespaceKind> namespace_kinds();

const NamespaceKind* find_namespace_kind(std::string_view type);

}  // namespace hull::spec

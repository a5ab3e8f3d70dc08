// A compiled seccomp filter as libseccomp exports it: BPF, or its pseudo filter code (PFC)
// that the tests read to check what the filter does.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "base/unique_fd.hpp"
#include "runtime/security/seccomp.hpp"

namespace hull::test {

inline std::string exported(const security::SeccompProgram& program, bool bpf) {
    unique_fd fd(memfd_create("seccomp-export", MFD_CLOEXEC));
    REQUIRE(fd.valid());
    int rc = bpf ? seccomp_export_bpf(program.get(), fd.get())
                 : seccomp_export_pfc(program.get(), fd.get());
    REQUIRE(rc == 0);
    off_t size = lseek(fd.get(), 0, SEEK_END);
    std::string out(static_cast<size_t>(size), '\0');
    REQUIRE(pread(fd.get(), out.data(), out.size(), 0) == size);
    return out;
}

}  // namespace hull::test

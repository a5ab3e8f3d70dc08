#include <unistd.h>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/security/process_attrs.hpp"

namespace hull::security {

namespace {

// From <linux/ioprio.h>, which Debian 12's kernel headers do not ship in a usable form.
constexpr int kIoprioClassShift = 13;
constexpr int kIoprioClassRt = 1;
constexpr int kIoprioClassBe = 2;
constexpr int kIoprioClassIdle = 3;
constexpr int kIoprioWhoProcess = 1;

}  // namespace

int io_priority_value(const spec::IoPriority& io_priority) {
    int klass = 0;
    if (io_priority.klass == "IOPRIO_CLASS_RT") {
        klass = kIoprioClassRt;
    } else if (io_priority.klass == "IOPRIO_CLASS_BE") {
        klass = kIoprioClassBe;
    } else if (io_priority.klass == "IOPRIO_CLASS_IDLE") {
        klass = kIoprioClassIdle;
    } else {
        throw Error("ioPriority class \"" + io_priority.klass + "\": unknown");
    }
    if (io_priority.priority < 0 || io_priority.priority > 7) {
        throw Error("ioPriority priority " + std::to_string(io_priority.priority) +
                    ": must be 0 to 7");
    }
    return (klass << kIoprioClassShift) | io_priority.priority;
}

void apply_io_priority(const spec::IoPriority& io_priority) {
    int value = io_priority_value(io_priority);
    if (sys::ioprio_set(kIoprioWhoProcess, 0, value) < 0) {
        throw_errno("ioprio_set " + io_priority.klass + " " + std::to_string(io_priority.priority));
    }
}

}  // namespace hull::security

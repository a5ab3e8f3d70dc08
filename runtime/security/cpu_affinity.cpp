#include <sched.h>

#include <memory>

#include "base/error.hpp"
#include "runtime/security/id_list.hpp"
#include "runtime/security/process_attrs.hpp"

namespace hull::security {

void apply_cpu_affinity(const std::string& cpu_list) {
    std::vector<unsigned> cpus = parse_id_list(cpu_list, "cpu list");
    // A dynamically sized set: hosts may have more than CPU_SETSIZE (1024) CPUs.
    size_t count = cpus.back() + 1;
    std::unique_ptr<cpu_set_t, void (*)(cpu_set_t*)> set(CPU_ALLOC(count),
                                                         [](cpu_set_t* s) { CPU_FREE(s); });
    if (!set) throw Error("cpu list \"" + cpu_list + "\": out of memory");
    size_t size = CPU_ALLOC_SIZE(count);
    CPU_ZERO_S(size, set.get());
    for (unsigned cpu : cpus)
        CPU_SET_S(cpu, size, set.get());
    if (::sched_setaffinity(0, size, set.get()) < 0) {
        throw_errno("sched_setaffinity \"" + cpu_list + "\"");
    }
}

}  // namespace hull::security

#include "base/process_title.hpp"

#include <sys/prctl.h>

#include <cstring>

namespace hull {

namespace {

char* g_args = nullptr;
std::size_t g_length = 0;  // the arguments' bytes, including the last NUL

}  // namespace

void remember_arguments(int argc, char** argv) {
    if (argc < 1 || argv == nullptr || argv[0] == nullptr) return;
    g_args = argv[0];
    // The strings are contiguous; only use the run of them that really is.
    char* end = argv[0] + std::strlen(argv[0]) + 1;
    for (int i = 1; i < argc && argv[i] == end; ++i)
        end = argv[i] + std::strlen(argv[i]) + 1;
    g_length = static_cast<std::size_t>(end - g_args);
}

void set_process_title(const std::string& title, const std::string& comm) {
    ::prctl(PR_SET_NAME, comm.c_str(), 0, 0, 0);
    if (g_args == nullptr || g_length < 2) return;
    std::size_t n = std::min(title.size(), g_length - 1);
    std::memcpy(g_args, title.data(), n);
    // ps reads up to the first NUL once the end of the area no longer holds the original
    // last NUL: clearing the rest leaves exactly the title.
    std::memset(g_args + n, 0, g_length - n);
}

}  // namespace hull

#include "base/error.hpp"

#include <cerrno>
#include <cstring>

namespace hull {

void throw_errno(const std::string& what) {
    throw_errno(what, errno);
}

void throw_errno(const std::string& what, int err) {
    throw Error(what + ": " + std::strerror(err), err);
}

}  // namespace hull

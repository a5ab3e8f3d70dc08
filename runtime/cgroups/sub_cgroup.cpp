#include "runtime/cgroups/sub_cgroup.hpp"

#include "base/error.hpp"

namespace hull::cgroups {

namespace {

// "a//b/./c/" -> "a/b/c"; a ".." component is refused: the process must stay in the
// container's cgroup tree, whose limits are what the container's owner set.
std::string clean_relative_path(const std::string& arg, const std::string& path) {
    std::string out;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        if (part == "..")
            throw Error("--cgroup " + arg + ": the path may not leave the container's cgroup");
        if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + part;
        start = end + 1;
    }
    return out;
}

}  // namespace

SubCgroupPaths parse_sub_cgroup_args(const std::vector<std::string>& args) {
    SubCgroupPaths paths;
    for (const auto& arg : args) {
        size_t colon = arg.find(':');
        if (colon != std::string::npos && arg.find(':', colon + 1) != std::string::npos)
            throw Error("--cgroup " + arg + ": expected [CONTROLLER[,CONTROLLER...]:]PATH");
        if (colon == std::string::npos) {
            if (args.size() != 1)
                throw Error("--cgroup " + arg +
                            ": a path without a CONTROLLER: prefix must be the only --cgroup");
            paths[""] = clean_relative_path(arg, arg);
            continue;
        }
        std::string path = clean_relative_path(arg, arg.substr(colon + 1));
        std::string controllers = arg.substr(0, colon);
        size_t start = 0;
        while (start <= controllers.size()) {
            size_t end = controllers.find(',', start);
            if (end == std::string::npos) end = controllers.size();
            std::string controller = controllers.substr(start, end - start);
            if (controller.empty())
                throw Error("--cgroup " + arg + ": empty controller name before the ':'");
            if (!paths.emplace(controller, path).second)
                throw Error("--cgroup " + arg + ": controller " + controller +
                            " is given more than once");
            start = end + 1;
        }
    }
    return paths;
}

}  // namespace hull::cgroups

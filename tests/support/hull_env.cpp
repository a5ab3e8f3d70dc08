#include "hull_env.hpp"

#include <dirent.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

namespace hull::test {

HullEnv::HullEnv() : tmp_("hull-it"), root_(tmp_ / "root") {
    // Bundles live here; a container root mapped to another host uid must reach them.
    ::chmod(tmp_.path().c_str(), 0755);
    become_subreaper();
    before_ = HostSnapshot::take(root_);
}

HullEnv::~HullEnv() {
    // Whatever the test left (it may have failed halfway): force-delete every container.
    if (DIR* d = ::opendir(root_.c_str())) {
        std::vector<std::string> ids;
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") ids.push_back(n);
        }
        ::closedir(d);
        for (const auto& id : ids)
            hull({"delete", "--force", id});
    }
}

CommandResult HullEnv::hull(const std::vector<std::string>& args, const CommandOptions& options) {
    // The id is the last argument of create and run.
    for (const char* cmd : {"create", "run"})
        if (std::find(args.begin(), args.end(), cmd) != args.end() && !args.empty())
            track(args.back());
    std::vector<std::string> argv = {hull_binary(), "--root", root_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, options);
}

BusyboxBundle HullEnv::bundle(const std::string& name, const std::vector<std::string>& args) {
    return BusyboxBundle(tmp_ / name, args);
}

CommandResult HullEnv::run(BusyboxBundle& bundle, const std::string& id) {
    return hull({"run", "--bundle", bundle.path(), id});
}

std::string HullEnv::status(const std::string& id) {
    auto r = hull({"state", id});
    if (r.status != 0) return "";
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    if (doc.HasParseError() || !doc.HasMember("status")) return "";
    return doc["status"].GetString();
}

int HullEnv::pid(const std::string& id) {
    auto r = hull({"state", id});
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    if (doc.HasParseError() || !doc.HasMember("pid")) return 0;
    return doc["pid"].GetInt();
}

bool HullEnv::wait_status(const std::string& id, const std::string& status) {
    for (int i = 0; i < 400; ++i) {
        if (this->status(id) == status) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

std::string HullEnv::leaks() {
    std::lock_guard lock(ids_mutex_);
    return leaks_since(before_, root_, tmp_.path(), ids_);
}

}  // namespace hull::test

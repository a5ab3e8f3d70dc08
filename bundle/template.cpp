#include "bundle/template.hpp"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "spec/default_spec.hpp"

extern char** environ;

namespace hull::bundle {

namespace {

void make_dirs(const std::string& path, mode_t mode = 0755) {
    for (size_t pos = 1; pos != std::string::npos;) {
        pos = path.find('/', pos + 1);
        std::string part = path.substr(0, pos);
        if (::mkdir(part.c_str(), mode) < 0 && errno != EEXIST) throw_errno("mkdir " + part);
    }
}

// busybox --list-full: the applets and where each belongs (bin/ls, usr/bin/wc, ...).
std::vector<std::string> busybox_applets(const std::string& busybox) {
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) < 0) throw_errno("pipe");
    unique_fd read_end(pipefd[0]), write_end(pipefd[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    char* argv[] = {const_cast<char*>(busybox.c_str()), const_cast<char*>("--list-full"), nullptr};
    pid_t pid;
    int rc = ::posix_spawn(&pid, busybox.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw_errno("run " + busybox + " --list-full", rc);
    write_end.reset();
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::vector<std::string> applets;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) applets.push_back(line);
    return applets;
}

std::string app_config() {
    rapidjson::Document doc;
    std::string text = spec::default_config_json();
    doc.Parse(text.c_str());
    rapidjson::Pointer("/process/terminal").Set(doc, false);
    rapidjson::Value args(rapidjson::kArrayType);
    for (const char* a : {"sh", "-c",
                          "echo \"Hello from hull: $(hostname), pid $$, $(id)\"; uname -srm; "
                          "echo \"rootfs: $(ls / | tr '\\n' ' ')\""})
        args.PushBack(rapidjson::Value(a, doc.GetAllocator()), doc.GetAllocator());
    rapidjson::Pointer("/process/args").Set(doc, args);
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
    writer.SetIndent(' ', 2);
    doc.Accept(writer);
    return std::string(buf.GetString()) + "\n";
}

}  // namespace

const std::vector<std::string>& template_names() {
    static const std::vector<std::string> names = {"app"};
    return names;
}

std::string find_static_busybox() {
    for (const char* path : {"/bin/busybox", "/usr/bin/busybox"}) {
        if (::access(path, X_OK) == 0) return path;
    }
    throw Error("busybox not found: install Debian's busybox-static package");
}

void make_busybox_rootfs(const std::string& rootfs, const std::string& busybox) {
    for (const char* dir : {"bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev",
                            "root", "run", "tmp", "var/tmp"})
        make_dirs(rootfs + "/" + dir);
    ::chmod((rootfs + "/tmp").c_str(), 01777);
    ::chmod((rootfs + "/var/tmp").c_str(), 01777);
    std::string target = rootfs + "/bin/busybox";
    write_file(target, read_file(busybox), 0755);
    for (const auto& applet : busybox_applets(busybox)) {
        if (applet == "bin/busybox" || applet.find("..") != std::string::npos) continue;
        std::string link = rootfs + "/" + applet;
        if (::symlink("/bin/busybox", link.c_str()) < 0 && errno != EEXIST)
            throw_errno("symlink " + link);
    }
    write_file(rootfs + "/etc/passwd",
               "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    write_file(rootfs + "/etc/group", "root:x:0:\nnogroup:x:65534:\n");
    write_file(rootfs + "/etc/hostname", "hull\n");
}

void make_bundle(const std::string& dir, const std::string& template_name) {
    if (template_name != "app")
        throw Error("unknown template \"" + template_name + "\" (expected one of: app)");
    std::string config = dir + "/config.json";
    if (::access(config.c_str(), F_OK) == 0) throw Error(config + " exists. Remove it first");
    std::string busybox = find_static_busybox();
    make_dirs(dir);
    make_busybox_rootfs(dir + "/rootfs", busybox);
    write_file(config, app_config(), 0644);
}

}  // namespace hull::bundle

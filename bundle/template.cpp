#include "bundle/template.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/debian_template.hpp"
#include "bundle/template_util.hpp"
#include "spec/default_spec.hpp"

extern char** environ;

namespace hull::bundle {

namespace {

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

// The bundle directory's last component as a hostname (RFC 1123 label: letters, digits and
// inner hyphens, at most 63), "hull" when nothing of it is usable.
std::string hostname_for(const std::string& dir) {
    std::string path = dir;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (base.empty() || base == "." || base == "..") {
        char resolved[PATH_MAX];
        if (::realpath(path.c_str(), resolved)) {
            std::string r = resolved;
            base = r.substr(r.rfind('/') + 1);
        }
    }
    std::string name;
    for (char c : base) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        name += ok ? c : '-';
    }
    while (!name.empty() && name.front() == '-')
        name.erase(0, 1);
    if (name.size() > 63) name.resize(63);
    while (!name.empty() && name.back() == '-')
        name.pop_back();
    return name.empty() ? "hull" : name;
}

bool is_empty_dir(const std::string& path) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return false;
    bool empty = true;
    while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") {
            empty = false;
            break;
        }
    }
    ::closedir(d);
    return empty;
}

}  // namespace

const std::vector<std::string>& template_names() {
    static const std::vector<std::string> names = {"app", "busybox", "debian"};
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
    TemplateOptions options;
    options.template_name = template_name;
    make_bundle(dir, options);
}

void make_bundle(const std::string& dir, const TemplateOptions& options) {
    const auto& names = template_names();
    if (std::find(names.begin(), names.end(), options.template_name) == names.end())
        throw Error("unknown template \"" + options.template_name +
                    "\" (expected one of: app, busybox, debian)");
    if (dir.empty()) throw Error("no bundle directory given");
    std::string config = dir + "/config.json";
    if (::access(config.c_str(), F_OK) == 0) throw Error(config + " exists. Remove it first");
    std::string rootfs = dir + "/rootfs";
    struct stat st {};
    if (::lstat(rootfs.c_str(), &st) == 0 && !(S_ISDIR(st.st_mode) && is_empty_dir(rootfs)))
        throw Error(rootfs + " exists and is not an empty directory. Remove it first");
    // Everything the template needs from the host, checked before anything is made.
    std::string busybox;
    if (options.template_name != "debian") busybox = find_static_busybox();
    std::string mirror = options.mirror;
    if (options.template_name == "debian" && mirror.empty()) mirror = host_debian_mirror();

    bool made_dir = ::access(dir.c_str(), F_OK) != 0;
    make_dirs(dir);
    // What an earlier `bundle new` of this DIR left when it was killed (SIGKILL skips the
    // cleanup below): its staging rootfs and config.
    if (DIR* d = ::opendir(dir.c_str())) {
        std::vector<std::string> stale;
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n.rfind(".rootfs.tmp-", 0) == 0 || n == ".config.json.tmp") stale.push_back(n);
        }
        ::closedir(d);
        for (const auto& n : stale)
            remove_tree(dir + "/" + n);
    }
    // The root filesystem is built beside its final place and renamed into it, so DIR/rootfs
    // is complete or absent; config.json comes last, so a bundle with one is whole.
    std::string staging, config_tmp = dir + "/.config.json.tmp";
    bool published = false;
    try {
        staging = make_staging_dir(rootfs);
        std::string hostname = hostname_for(dir);
        std::string config_text;
        if (options.template_name == "app") {
            make_busybox_rootfs(staging, busybox);
            config_text = app_config();
        } else if (options.template_name == "busybox") {
            make_busybox_system_rootfs(staging, busybox, hostname);
            config_text = system_config_json(hostname);
        } else {
            make_debian_rootfs(staging, options.cache_dir, mirror, hostname);
            config_text = system_config_json(hostname);
        }
        write_file(config_tmp, config_text, 0644);
        if (::chmod(staging.c_str(), 0755) < 0) throw_errno("chmod " + staging);
        if (::rename(staging.c_str(), rootfs.c_str()) < 0) throw_errno("rename to " + rootfs);
        published = true;
        if (::rename(config_tmp.c_str(), config.c_str()) < 0) throw_errno("rename to " + config);
    } catch (...) {
        ::unlink(config_tmp.c_str());
        if (!staging.empty()) remove_tree(staging);
        if (published) remove_tree(rootfs);
        if (made_dir) remove_tree(dir);
        throw;
    }
}

}  // namespace hull::bundle

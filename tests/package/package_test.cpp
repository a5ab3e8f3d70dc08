// The Debian package (label `package`): built with CPack from this build tree, checked with
// lintian, installed with dpkg -i into this machine, used by name as a user would (man pages,
// shell completion, `podman --runtime hull` with no containers.conf of the test's own, `ctr
// run --runc-binary /usr/bin/hull`), then purged, after which nothing of it may be left.
//
// Each test installs and purges the package itself (InstalledPackage), so the tests do not
// depend on each other's order. They refuse to run over a hull package or a /usr/bin/hull
// that is not theirs, rather than replace or remove it.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "containerd_fixture.hpp"
#include "podman_fixture.hpp"
#include "support/command.hpp"
#include "support/temp_dir.hpp"

using hull::test::CommandResult;
using hull::test::run_command;
using hull::test::TempDir;

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

CommandResult shell(const std::string& script, const std::map<std::string, std::string>& env = {}) {
    hull::test::CommandOptions options;
    options.timeout_seconds = 300;
    options.env = env;
    return run_command({"/bin/bash", "-c", script}, options);
}

bool package_installed() {
    auto r = run_command({"dpkg-query", "-W", "-f=${Status}", "hull"});
    return r.status == 0 && r.out.find("installed") != std::string::npos &&
           r.out.find("not-installed") == std::string::npos;
}

// The .deb made by CPack from this build tree, in a temp dir of its own.
class BuiltPackage {
  public:
    BuiltPackage() {
        auto r =
            run_command({"cpack", "--config", std::string(HULL_BUILD_DIR) + "/CPackConfig.cmake",
                         "-B", dir_.path()},
                        {.timeout_seconds = 300});
        INFO(r.out << r.err);
        REQUIRE(r.status == 0);
        auto found = shell("ls " + dir_.path() + "/hull_*.deb");
        REQUIRE(found.status == 0);
        path_ = found.out.substr(0, found.out.find('\n'));
    }
    const std::string& path() const { return path_; }

  private:
    TempDir dir_;
    std::string path_;
};

// The package installed for one test, purged when the test ends however it ends.
class InstalledPackage {
  public:
    InstalledPackage() {
        if (package_installed() || exists("/usr/bin/hull"))
            FAIL(
                "a hull package or /usr/bin/hull is already on this machine; the package test "
                "installs and purges its own: `dpkg --purge hull` first");
        auto r = run_command({"dpkg", "-i", deb_.path()}, {.timeout_seconds = 300});
        INFO(r.out << r.err);
        installed_ = true;
        REQUIRE(r.status == 0);
        files_ = run_command({"dpkg-query", "-L", "hull"}).out;
    }
    ~InstalledPackage() {
        if (installed_) run_command({"dpkg", "--purge", "hull"}, {.timeout_seconds = 300});
    }
    InstalledPackage(const InstalledPackage&) = delete;
    InstalledPackage& operator=(const InstalledPackage&) = delete;

    // Purges it now and returns what dpkg said.
    CommandResult purge() {
        installed_ = false;
        return run_command({"dpkg", "--purge", "hull"}, {.timeout_seconds = 300});
    }
    // Every path the package installed, as `dpkg -L` listed it.
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        std::stringstream lines(files_);
        for (std::string line; std::getline(lines, line);)
            if (!line.empty() && line != "/.") out.push_back(line);
        return out;
    }

  private:
    BuiltPackage deb_;
    bool installed_ = false;
    std::string files_;
};

}  // namespace

TEST_CASE("lintian reports nothing that the package does not explain") {
    BuiltPackage deb;
    // The overrides shipped in /usr/share/lintian/overrides/hull explain what stays; lintian
    // applies them and prints only what is left.
    auto r =
        run_command({"lintian", "--info", "--display-info", deb.path()}, {.timeout_seconds = 300});
    INFO("lintian said:\n" << r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "");
}

TEST_CASE("Depends comes from the binary, the files are where Debian puts them") {
    BuiltPackage deb;
    auto depends = run_command({"dpkg-deb", "--field", deb.path(), "Depends"});
    CHECK_THAT(depends.out, Catch::StartsWith("libc6 (>= "));
    auto contents = run_command({"dpkg-deb", "--contents", deb.path()}).out;
    for (const char* path :
         {"./usr/bin/hull", "./usr/share/man/man8/hull.8.gz",
          "./usr/share/man/man8/hull-create.8.gz", "./usr/share/man/man8/hull-exec.8.gz",
          "./usr/share/man/man8/hull-bundle-new.8.gz",
          "./usr/share/bash-completion/completions/hull",
          "./usr/share/zsh/vendor-completions/_hull", "./usr/share/doc/hull/copyright",
          "./usr/share/doc/hull/changelog.gz", "./etc/containers/containers.conf.d/hull.conf"})
        CHECK_THAT(contents, Catch::Contains(path));
    // The runtime binary must never be writable by anyone but root (CVE-2019-5736).
    CHECK_THAT(contents, Catch::Contains("-rwxr-xr-x root/root"));
    auto conffiles = shell("dpkg-deb --ctrl-tarfile " + deb.path() + " | tar -xO ./conffiles");
    CHECK(conffiles.out == "/etc/containers/containers.conf.d/hull.conf\n");
}

TEST_CASE("installed, hull runs and its man pages render") {
    InstalledPackage package;
    auto version = run_command({"hull", "--version"});
    CHECK(version.status == 0);
    CHECK_THAT(version.out, Catch::StartsWith("hull version " HULL_VERSION "\n"));
    CHECK(run_command({"man", "-w", "hull-create"}).out ==
          "/usr/share/man/man8/hull-create.8.gz\n");
    // Rendered as a user sees it, with groff's warnings on: a malformed page shows here.
    for (const char* page : {"hull", "hull-create", "hull-exec", "hull-bundle-new"}) {
        auto r = shell(std::string("man --warnings ") + page,
                       {{"MANWIDTH", "100"}, {"MANPAGER", "cat"}, {"LC_ALL", "C.UTF-8"}});
        INFO(page << ":\n" << r.err);
        CHECK(r.status == 0);
        CHECK(r.err == "");
        CHECK_THAT(r.out, Catch::Contains("EXIT STATUS"));
    }
    auto create = shell("man hull-create", {{"MANWIDTH", "100"}, {"MANPAGER", "cat"}});
    CHECK_THAT(create.out, Catch::Contains("--bundle"));
    CHECK_THAT(create.out, Catch::Contains("--console-socket"));
    auto exec = shell("man hull-exec", {{"MANWIDTH", "100"}, {"MANPAGER", "cat"}});
    CHECK_THAT(exec.out, Catch::Contains("128+N"));
}

TEST_CASE("installed, bash and zsh complete hull's commands, options and ids") {
    InstalledPackage package;
    // bash-completion loads completions/hull on first use, as in an interactive shell.
    auto complete = [](const std::string& line) {
        std::string script =
            "source /usr/share/bash-completion/bash_completion\n"
            "COMP_LINE='" +
            line +
            "'; COMP_POINT=${#COMP_LINE}\n"
            "read -ra COMP_WORDS <<<\"$COMP_LINE\"\n"
            "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
            "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
            "_completion_loader hull\n"
            "$(complete -p hull | sed -E 's/.*-F ([^ ]+) .*/\\1/') hull "
            "\"${COMP_WORDS[COMP_CWORD]}\" "
            "\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
            "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        auto r = shell(script);
        INFO(line << ": " << r.err);
        CHECK(r.status == 0);
        return r.out;
    };
    CHECK(complete("hull cre") == "create\n");
    CHECK_THAT(complete("hull create --bun"), Catch::Equals("--bundle\n"));
    CHECK(complete("hull --log-format ") == "text\njson\n");
    CHECK(complete("hull list --format j") == "json\n");
    CHECK(complete("hull bundle n") == "new\n");
    CHECK_THAT(complete("hull exec --"), Catch::Contains("--process\n"));
    CHECK_THAT(complete("hull kill x SIGK"), Catch::Contains("SIGKILL"));

    // zsh: compinit finds _hull in Debian's vendor-completions directory and binds it.
    auto zsh = shell(
        "zsh -f -c 'autoload -Uz compinit && compinit -u -d \"$(mktemp -d)/zcompdump\" && "
        "print -r -- $_comps[hull] && autoload -Uz +X _hull && print loaded'");
    INFO(zsh.err);
    CHECK(zsh.out == "_hull\nloaded\n");
    CHECK(run_command({"zsh", "-n", "/usr/share/zsh/vendor-completions/_hull"}).status == 0);
}

TEST_CASE("installed, Podman runs hull by name with only the host's configuration") {
    InstalledPackage package;
    hull::test::clients::Podman pd("hull", /*own_conf=*/false);
    auto info = pd.podman({"info", "--format", "{{.Host.OCIRuntime.Path}}"});
    INFO(info.err);
    CHECK(hull::test::clients::trim(info.out) == "/usr/bin/hull");
    auto hi = pd.podman(pd.run({"--rm"}, {"echo", "hi from the package"}));
    INFO(hi.err);
    CHECK(hi.status == 0);
    CHECK(hi.out == "hi from the package\n");
    CHECK(pd.leaks() == "");
}

TEST_CASE("installed, ctr run --runc-binary /usr/bin/hull") {
    InstalledPackage package;
    hull::test::clients::Containerd ctd("/usr/bin/hull");
    auto r = ctd.ctr(ctd.run({"--rm"}, "pkg", {"sh", "-c", "echo hi from the package; exit 3"}));
    INFO(r.err);
    CHECK(r.status == 3);
    CHECK(r.out == "hi from the package\n");
    CHECK(ctd.leaks() == "");
}

TEST_CASE("purged, nothing of it is left") {
    InstalledPackage package;
    auto files = package.files();
    REQUIRE(files.size() > 10);
    auto r = package.purge();
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK_FALSE(package_installed());
    for (const auto& path : files) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;  // shared dirs
        INFO(path);
        CHECK_FALSE(exists(path));
    }
    CHECK_FALSE(exists("/etc/containers/containers.conf.d/hull.conf"));
    CHECK(run_command({"man", "-w", "hull-create"}).status != 0);
}

// hull-docgen OUTDIR: writes hull's man pages and shell completions from the same CommandLine
// that `hull --help` prints, so the installed manual cannot drift from the binary. Run at
// build time; not installed.
#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "runtime/cli/command_line.hpp"
#include "runtime/cli/manual.hpp"

namespace {

void write(const std::string& path, const std::string& text) {
    std::ofstream file(path, std::ios::trunc);
    file << text;
    if (!file.flush()) throw std::runtime_error("cannot write " + path);
}

void make_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        throw std::runtime_error("cannot create " + path);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: hull-docgen OUTDIR\n";
        return 2;
    }
    try {
        std::string dir = argv[1];
        hull::cli::CommandLine command_line;
        const CLI::App& app = command_line.app();
        auto missing = hull::cli::undocumented_commands(app);
        if (!missing.empty()) throw std::runtime_error("no manual entry for: " + missing[0]);
        for (const char* sub : {"", "/man8", "/bash-completion", "/zsh"})
            make_dir(dir + sub);
        for (const auto& page : hull::cli::man_pages(app, HULL_VERSION)) {
            write(dir + "/man8/" + page.name + ".8", page.text);
        }
        write(dir + "/bash-completion/hull", hull::cli::bash_completion(app));
        write(dir + "/zsh/_hull", hull::cli::zsh_completion(app));
    } catch (const std::exception& e) {
        std::cerr << "hull-docgen: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

// hull's manual: man pages (roff, section 8) and bash and zsh completion, generated from the
// CommandLine definition so that they say exactly what --help says.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hull::cli {

struct ManPage {
    std::string name;  // "hull", "hull-create", "hull-bundle-new": the file is <name>.8
    std::string text;  // roff
};

// One page for hull itself and one per command (per leaf of a command group, like
// `bundle new`), each with its options, exit status and cross references.
std::vector<ManPage> man_pages(const CLI::App& root, const std::string& version);

// Commands, their options, option values from the definition's choices, container ids from
// `hull list -q` and files where an option takes a path.
std::string bash_completion(const CLI::App& root);
std::string zsh_completion(const CLI::App& root);

// The commands (full paths, "bundle new") that the manual has no exit status text or
// synopsis for; empty when every command is documented (a unit test holds it so).
std::vector<std::string> undocumented_commands(const CLI::App& root);

}  // namespace hull::cli

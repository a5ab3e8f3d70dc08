#include "runtime/cli/manual.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hull::cli {

namespace {

// A command as the user types it: its words after `hull` ("bundle new") and its definition.
struct Command {
    std::string path;
    const CLI::App* app;
};

void collect_leaves(const CLI::App& app, const std::string& prefix, std::vector<Command>& out) {
    for (const CLI::App* sub : app.get_subcommands({})) {
        std::string path = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
        if (sub->get_subcommands({}).empty()) {
            out.push_back({path, sub});
        } else {
            collect_leaves(*sub, path, out);
        }
    }
}

std::vector<Command> leaf_commands(const CLI::App& root) {
    std::vector<Command> out;
    collect_leaves(root, "", out);
    return out;
}

// What the definition cannot say: the arguments a command passes on after its own (exec's
// command, ps's options for ps(1)) and how its exit status is to be read.
struct CommandManual {
    const char* path;
    const char* trailing;     // after the positionals in the synopsis; "" for none
    const char* exit_status;  // nullptr: kDefaultExitStatus
};

constexpr const char* kDefaultExitStatus =
    "0 on success. 1 on any error, after a one-line message on standard error (with --log, "
    "also written to the log file, in JSON with --log-format json). Wrong usage (an unknown "
    "flag, a missing argument) also exits 1, as in runc.";

constexpr const char* kProcessExitStatus =
    "In the foreground (without --detach): the exit status of the container's process, or "
    "128+N when signal N killed it, as runc and crun report it; 1 when hull itself fails. With "
    "--detach: 0 once the process runs, 1 on error.";

constexpr CommandManual kManual[] = {
    {"create", "", nullptr},
    {"run", "", kProcessExitStatus},
    {"start", "", nullptr},
    {"state", "", nullptr},
    {"kill", "",
     "0 when the signal was sent. 1 on error: no such container, a stopped container, an "
     "unknown signal."},
    {"delete", "",
     "0 when the container is gone, also with --force for a container that does not exist (as "
     "containerd's shim expects). 1 on error, e.g. deleting a running container without "
     "--force."},
    {"list", "", nullptr},
    {"exec", "command [arg...]",
     "In the foreground (without --detach): the exit status of the process, or 128+N when "
     "signal N killed it. 255 when hull itself fails (no such container, a stopped or paused "
     "container, an executable that cannot be started, a --pid-file that cannot be written), "
     "as in runc, so that a failure is not taken for the process's own status 1. With "
     "--detach: 0 once the process runs, 255 on error."},
    {"spec", "", nullptr},
    {"bundle new", "", nullptr},
    {"features", "", nullptr},
    {"pause", "", nullptr},
    {"resume", "", nullptr},
    {"ps", "[ps-option...]", nullptr},
    {"events", "",
     "With --stats: 0 after printing the statistics once. Otherwise hull prints until the "
     "container stops and then exits 0. 1 on error."},
    {"update", "", nullptr},
    {"console", "",
     "0 when detached (Ctrl-] or --detach-keys) or when the container stopped. 1 on error: no "
     "such container, not a system container, no terminal."},
    {"checkpoint", "[arg...]", "Always 1: checkpoint is not supported yet."},
    {"restore", "[arg...]", "Always 1: restore is not supported yet."},
};

const CommandManual* manual_for(const std::string& path) {
    for (const CommandManual& m : kManual) {
        if (path == m.path) return &m;
    }
    return nullptr;
}

bool is_help(const CLI::Option* opt) {
    const auto& l = opt->get_lnames();
    return std::find(l.begin(), l.end(), "help") != l.end() ||
           std::find(l.begin(), l.end(), "help-all") != l.end();
}

std::vector<const CLI::Option*> flags_and_options(const CLI::App& app) {
    return app.get_options([](const CLI::Option* o) {
        return o->nonpositional() && !is_help(o) && !o->get_group().empty();
    });
}

std::vector<const CLI::Option*> positionals(const CLI::App& app) {
    return app.get_options([](const CLI::Option* o) { return o->get_positional(); });
}

bool takes_value(const CLI::Option* opt) {
    return opt->get_type_size() != 0;
}

// Multi-valued options (-e, --cap) may be given more than once.
bool repeatable(const CLI::Option* opt) {
    return opt->get_expected_max() > 1;
}

// The choices of an option checked with CLI::IsMember, which CLI11 describes as "{a,b}".
std::vector<std::string> choices(const CLI::Option* opt) {
    std::string type = opt->get_type_name();
    auto open = type.find('{');
    auto close = type.find('}', open);
    if (open == std::string::npos || close == std::string::npos) return {};
    std::vector<std::string> out;
    std::stringstream list(type.substr(open + 1, close - open - 1));
    for (std::string item; std::getline(list, item, ',');)
        out.push_back(item);
    return out;
}

std::string value_name(const CLI::Option* opt) {
    auto c = choices(opt);
    if (!c.empty()) {
        std::string out;
        for (const auto& item : c)
            out += (out.empty() ? "" : "|") + item;
        return out;
    }
    std::string type = opt->get_type_name();
    type = type.substr(0, type.find(':'));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    if (type == "text") return "value";
    if (type == "int" || type == "uint") return "n";
    return type;
}

std::vector<std::string> option_names(const CLI::Option* opt) {
    std::vector<std::string> out;
    for (const auto& s : opt->get_snames())
        out.push_back("-" + s);
    for (const auto& l : opt->get_lnames())
        out.push_back("--" + l);
    return out;
}

// ---------------------------------------------------------------- roff

std::string roff(const std::string& text) {
    std::string out;
    for (char ch : text) {
        if (ch == '\\') {
            out += "\\e";
        } else if (ch == '-') {
            out += "\\-";
        } else {
            out += ch;
        }
    }
    // A line starting with . or ' would be read as a request.
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
}

std::string bold(const std::string& text) {
    return "\\fB" + roff(text) + "\\fR";
}
std::string italic(const std::string& text) {
    return "\\fI" + roff(text) + "\\fR";
}

std::string page_name(const std::string& path) {
    std::string name = "hull-" + path;
    std::replace(name.begin(), name.end(), ' ', '-');
    return name;
}

std::string header(const std::string& name, const std::string& version) {
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char ch) { return std::toupper(ch); });
    return ".\\\" Generated by hull-docgen from hull's command line; do not edit.\n.TH " +
           roff(upper) + " 8 \"\" \"hull " + roff(version) + "\" \"System Administration\"\n";
}

void write_options(std::ostringstream& out, const std::vector<const CLI::Option*>& options) {
    for (const CLI::Option* opt : options) {
        out << ".TP\n";
        std::string names;
        for (const auto& n : option_names(opt))
            names += (names.empty() ? "" : ", ") + bold(n);
        out << names;
        if (takes_value(opt)) out << " " << italic(value_name(opt));
        out << "\n" << roff(opt->get_description());
        std::string def = opt->get_default_str();
        if (!def.empty() && opt->get_description().find("default") == std::string::npos) {
            out << " (default: " << roff(def) << ")sh";
        }
        out << "\n";
    }
}

std::string synopsis_arguments(const Command& cmd) {
    std::string out;
    for (const CLI::Option* p : positionals(*cmd.app)) {
        std::string name = italic(p->get_name());
        out += " " + (p->get_required() ? name : "[" + name + "]");
    }
    const CommandManual* m = manual_for(cmd.path);
    if (m && *m->trailing) out += " " + italic(m->trailing);
    return out;
}

ManPage command_page(const Command& cmd, const std::string& version) {
    std::ostringstream out;
    std::string name = page_name(cmd.path);
    out << header(name, version);
    out << ".SH NAME\n" << roff(name) << " \\- " << roff(cmd.app->get_description()) << "\n";
    out << ".SH SYNOPSIS\n"
        << bold("hull") << " [" << italic("global-options") << "] " << bold(cmd.path) << " ["
        << italic("options") << "]" << synopsis_arguments(cmd) << "\n";
    out << ".SH DESCRIPTION\n" << roff(cmd.app->get_description()) << ".\n";
    if (!cmd.app->get_footer().empty()) out << ".PP\n" << roff(cmd.app->get_footer()) << "\n";
    if (!cmd.app->get_aliases().empty()) {
        out << ".PP\nAlso available as";
        for (const auto& alias : cmd.app->get_aliases())
            out << " " << bold("hull " + alias);
        out << ".\n";
    }
    auto args = positionals(*cmd.app);
    if (!args.empty()) {
        out << ".SH ARGUMENTS\n";
        for (const CLI::Option* p : args) {
            out << ".TP\n" << italic(p->get_name()) << "\n" << roff(p->get_description()) << "\n";
        }
    }
    auto options = flags_and_options(*cmd.app);
    if (!options.empty()) {
        out << ".SH OPTIONS\n";
        write_options(out, options);
    }
    out << ".PP\nThe global options of " << bold("hull") << "(8) go before the command.\n";
    const CommandManual* m = manual_for(cmd.path);
    out << ".SH EXIT STATUS\n"
        << roff(m && m->exit_status ? m->exit_status : kDefaultExitStatus) << "\n";
    out << ".SH SEE ALSO\n" << bold("hull") << "(8)\n";
    return {name, out.str()};
}

ManPage root_page(const CLI::App& root, const std::vector<Command>& commands,
                  const std::string& version) {
    std::ostringstream out;
    out << header("hull", version);
    out << ".SH NAME\nhull \\- " << roff(root.get_description()) << "\n";
    out << ".SH SYNOPSIS\n"
        << bold("hull") << " [" << italic("global-options") << "] " << italic("command") << " ["
        << italic("options") << "] [" << italic("arguments") << "]\n";
    out << ".SH DESCRIPTION\n"
        << roff(
               "hull implements the OCI runtime specification: it reads a bundle (config.json "
               "and a root filesystem) and runs create, start, state, kill and delete as "
               "separate invocations coordinated through a state directory, with runc's "
               "command line, so that containerd and Podman can drive it in runc's place. With "
               "--system-container it boots a distribution's own init as a system container.")
        << "\n";
    out << ".SH COMMANDS\n";
    for (const Command& cmd : commands) {
        out << ".TP\n"
            << bold("hull " + cmd.path) << "\n"
            << roff(cmd.app->get_description()) << "; see " << bold(page_name(cmd.path))
            << "(8).\n";
    }
    out << ".SH GLOBAL OPTIONS\n";
    write_options(out, flags_and_options(root));
    out << ".SH EXIT STATUS\n"
        << roff(kDefaultExitStatus) << "\n.PP\n"
        << roff(
               "hull run and hull exec in the foreground exit with the status of the "
               "container's process (128+N when signal N killed it); each command's page says "
               "what its status means.")
        << "\n";
    out << ".SH FILES\n.TP\n"
        << bold("/run/hull") << "\n"
        << roff(
               "the default --root: one directory per container with its state, the exec "
               "fifo and, for system containers, the console socket and log. Keep it on a "
               "tmpfs.")
        << "\n.TP\n"
        << bold("/var/cache/hull/rootfs") << "\n"
        << roff(
               "root filesystems that hull bundle new --template debian debootstrapped, one "
               "per package list.")
        << "\n.TP\n"
        << bold("/etc/containers/containers.conf.d/hull.conf") << "\n"
        << roff("registers hull with Podman by name: podman --runtime hull.") << "\n";
    out << ".SH ENVIRONMENT\n.TP\n"
        << bold("HULL_EXE_PROTECTION") << "\n"
        << roff(
               "memfd: re-execute hull from a sealed memfd copy of its binary instead of a "
               "read-only bind mount (the CVE-2019-5736 defence).")
        << "\n";
    out << ".SH SEE ALSO\n";
    std::string sep;
    for (const Command& cmd : commands) {
        out << sep << bold(page_name(cmd.path)) << "(8)sh";
        sep = ",\n";
    }
    out << ",\n" << bold("runc") << "(8), " << bold("podman") << "(1), " << bold("ctr") << "(8)\n";
    return {"hull", out.str()};
}

// ---------------------------------------------------------------- shell completion

// Options whose value is a path complete file names; a value from a list completes the list;
// numbers and free text complete nothing.
enum class ValueKind { none, file, choice };

ValueKind value_kind(const CLI::Option* opt) {
    if (!choices(opt).empty()) return ValueKind::choice;
    std::string type = opt->get_type_name();
    if (type.rfind("TEXT", 0) == 0) return ValueKind::file;
    return ValueKind::none;
}

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : sep) + w;
    return out;
}

std::vector<std::string> all_option_names(const CLI::App& app, bool valued_only) {
    std::vector<std::string> out;
    for (const CLI::Option* opt : app.get_options(
             [](const CLI::Option* o) { return o->nonpositional() && !o->get_group().empty(); })) {
        if (valued_only && !takes_value(opt)) continue;
        for (const auto& n : option_names(opt))
            out.push_back(n);
    }
    return out;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> out;
    for (const CLI::App* sub : app.get_subcommands({})) {
        out.push_back(sub->get_name());
        for (const auto& alias : sub->get_aliases())
            out.push_back(alias);
    }
    return out;
}

// The bash `case` arm that completes a value of one of `app`'s options, or nothing.
void bash_value_cases(std::ostringstream& out, const CLI::App& app, const std::string& indent) {
    for (const CLI::Option* opt : app.get_options([](const CLI::Option* o) {
             return o->nonpositional() && !o->get_group().empty() && o->get_type_size() != 0;
         })) {
        out << indent << join(option_names(opt), "|") << ")\n";
        switch (value_kind(opt)) {
            case ValueKind::choice:
                out << indent << "    COMPREPLY=($(compgen -W \"" << join(choices(opt))
                    << "\" -- \"$cur\"))\n";
                break;
            case ValueKind::file:
                out << indent << "    _filedir\n";
                break;
            case ValueKind::none:
                break;
        }
        out << indent << "    return ;;\n";
    }
}

void bash_command(std::ostringstream& out, const std::string& path, const CLI::App& app) {
    out << "        \"" << path << "\")\n";
    out << "            case $prev in\n";
    bash_value_cases(out, app, "                ");
    out << "            esac\n";
    out << "            opts=\"" << join(all_option_names(app, false)) << "\"\n";
    std::vector<std::string> names;
    for (const CLI::Option* p : positionals(app))
        names.push_back(p->get_name());
    out << "            args=(" << join(names) << ")\n";
    out << "            valued=\" " << join(all_option_names(app, true)) << " \"\n";
    out << "            ;;\n";
}

}  // namespace

std::vector<ManPage> man_pages(const CLI::App& root, const std::string& version) {
    auto commands = leaf_commands(root);
    std::vector<ManPage> pages{root_page(root, commands, version)};
    for (const Command& cmd : commands)
        pages.push_back(command_page(cmd, version));
    return pages;
}

std::vector<std::string> undocumented_commands(const CLI::App& root) {
    std::vector<std::string> out;
    for (const Command& cmd : leaf_commands(root)) {
        if (!manual_for(cmd.path)) out.push_back(cmd.path);
    }
    return out;
}

std::string bash_completion(const CLI::App& root) {
    std::ostringstream out;
    out << "# bash completion for hull(8). Generated by hull-docgen from hull's command line; "
           "do not edit.\n\n";
    out << R"sh(# The ids of the containers under the --root given on the command line, if any.
_hull_ids() {
    local root=() i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --root) root=(--root "${words[i + 1]}") ;;
            --root=*) root=("${words[i]}") ;;
        esac
    done
    hull "${root[@]}" list -q 2>/dev/null
}

_hull() {
    local cur prev words cword
    _init_completion || return

    # Find the command (one word, or a group and its command: "bundle new"), skipping global
    # options and their values, then count the arguments already given after it.
    local cmd="" i w nargs=0 opts args=() valued
)sh";
    out << "    local global_valued=\" " << join(all_option_names(root, true)) << " \"\n";
    out << "    local groups=\" ";
    for (const CLI::App* sub : root.get_subcommands({})) {
        if (!sub->get_subcommands({}).empty()) out << sub->get_name() << " ";
    }
    out << "\"\n";
    out << R"sh(    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if [[ -z $cmd ]]; then
            if [[ $global_valued == *" $w "* ]]; then
                ((i++))
            elif [[ $w != -* ]]; then
                cmd=$w
            fi
        elif [[ $groups == *" $cmd "* && $cmd != *" "* ]]; then
            [[ $w != -* ]] && cmd="$cmd $w"
        elif [[ $w == -* ]]; then
            :
        else
            ((nargs++))
        fi
    done

    case $cmd in
        "")
            case $prev in
)sh";
    bash_value_cases(out, root, "                ");
    out << "            esac\n";
    out << "            COMPREPLY=($(compgen -W \"" << join(all_option_names(root, false)) << " "
        << join(subcommand_names(root)) << "\" -- \"$cur\"))\n";
    out << "            return ;;\n";
    for (const CLI::App* sub : root.get_subcommands({})) {
        if (sub->get_subcommands({}).empty()) continue;
        out << "        \"" << sub->get_name() << "\")\n";
        out << "            COMPREPLY=($(compgen -W \"" << join(subcommand_names(*sub))
            << "\" -- \"$cur\"))\n";
        out << "            return ;;\n";
    }
    for (const Command& cmd : leaf_commands(root)) {
        bash_command(out, cmd.path, *cmd.app);
        for (const auto& alias : cmd.app->get_aliases())
            bash_command(out, alias, *cmd.app);
    }
    out << R"sh(        *) return ;;
    esac

    # A value options of the command take was handled above; its flags next, then its
    # arguments: container ids, signal names, directories.
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case ${args[nargs]} in
        id) COMPREPLY=($(compgen -W "$(_hull_ids)" -- "$cur")) ;;
        signal) COMPREPLY=($(compgen -A signal -- "$cur")) ;;
        dir) _filedir -d ;;
    esac
} &&
    complete -F _hull hull
)sh";
    return out.str();
}

namespace {

// Text inside a single-quoted zsh word and an _arguments [description].
std::string zsh_quote(const std::string& text) {
    std::string out;
    for (char ch : text) {
        if (ch == '\'') {
            out += "'\\''";
        } else if (ch == '[' || ch == ']' || ch == ':') {
            out += '\\';
            out += ch;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string zsh_function(const std::string& path) {
    std::string name = "_hull";
    if (!path.empty()) name += "_" + path;
    std::replace(name.begin(), name.end(), ' ', '_');
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

std::string zsh_option_spec(const CLI::Option* opt) {
    auto names = option_names(opt);
    std::string exclusion = names.size() > 1 ? "(" + join(names) + ")" : "";
    std::string prefix = repeatable(opt) ? "*" : exclusion;
    std::string desc = "[" + zsh_quote(opt->get_description()) + "]";
    std::string action;
    if (takes_value(opt)) {
        switch (value_kind(opt)) {
            case ValueKind::choice:
                action = ":" + value_name(opt) + ":(" + join(choices(opt)) + ")sh";
                break;
            case ValueKind::file:
                action = ":" + value_name(opt) + ":_files";
                break;
            case ValueKind::none:
                action = ":" + value_name(opt) + ": ";
                break;
        }
    }
    std::string out;
    for (const auto& n : names) {
        // -b+ takes its value attached or as the next word, --bundle= after = or as the next.
        std::string spelled = n + (takes_value(opt) ? (n.size() == 2 ? "+" : "=") : "");
        out += " \\\n        '" + prefix + spelled + desc + action + "'";
    }
    return out;
}

void zsh_app(std::ostringstream& out, const std::string& path, const CLI::App& app) {
    out << zsh_function(path) << "() {\n";
    out << "    local curcontext=$curcontext state line ret=1\n";
    out << "    typeset -A opt_args\n";
    out << "    _arguments -C -s -S";
    for (const CLI::Option* opt : flags_and_options(app))
        out << zsh_option_spec(opt);
    auto subs = app.get_subcommands({});
    if (!subs.empty()) {
        out << " \\\n        '1: :->commands' \\\n        '*:: :->arguments' && ret=0\n";
        // hull's global --root, for _hull_ids in the commands' functions (dynamic scope).
        if (path.empty()) out << "    local hull_root=${opt_args[--root]}\n";
        out << "    case $state in\n";
        out << "        commands)\n            local -a commands=(\n";
        for (const CLI::App* sub : subs) {
            out << "                '" << zsh_quote(sub->get_name()) << ":"
                << zsh_quote(sub->get_description()) << "'\n";
        }
        out << "            )\n";
        out << "            _describe -t commands 'hull command' commands && ret=0 ;;\n";
        out << "        arguments)\n            case $words[1] in\n";
        for (const CLI::App* sub : subs) {
            std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
            std::string names = sub->get_name();
            for (const auto& alias : sub->get_aliases())
                names += "|" + alias;
            out << "                " << names << ") " << zsh_function(sub_path)
                << " && ret=0 ;;\n";
        }
        out << "            esac ;;\n    esac\n";
    } else {
        int index = 1;
        for (const CLI::Option* p : positionals(app)) {
            std::string action = " ";
            if (p->get_name() == "id") action = "_hull_ids";
            if (p->get_name() == "signal") action = "_signals";
            if (p->get_name() == "dir") action = "_files -/";
            out << " \\\n        '" << index++ << ":" << zsh_quote(p->get_name()) << ":" << action
                << "'";
        }
        const CommandManual* m = manual_for(path);
        if (m && *m->trailing) out << " \\\n        '*::" << zsh_quote(m->trailing) << ":_normal'";
        out << " && ret=0\n";
    }
    out << "    return ret\n}\n\n";
    for (const CLI::App* sub : subs) {
        zsh_app(out, path.empty() ? sub->get_name() : path + " " + sub->get_name(), *sub);
    }
}

}  // namespace

std::string zsh_completion(const CLI::App& root) {
    std::ostringstream out;
    out << "#compdef hull\n# zsh completion for hull(8). Generated by hull-docgen from hull's "
           "command line; do not edit.\n\n";
    out << R"sh(# The ids of the containers under the --root given on the command line, if any: _hull keeps
# it in hull_root, since each command's own _arguments has an opt_args of its own.
_hull_ids() {
    local -a root ids
    [[ -n $hull_root ]] && root=(--root $hull_root)
    ids=(${(f)"$(_call_program containers hull $root list -q 2>/dev/null)"})
    _describe -t containers 'container' ids
}

)sh";
    zsh_app(out, "", root);
    out << "_hull \"$@\"\n";
    return out.str();
}

}  // namespace hull::cli

// The hull command line: runc's global flags and subcommands, parsed with CLI11.
#pragma once

namespace hull::cli {

// Parses argv, runs the command, and returns the process exit status. Errors are printed
// on stderr and, with --log, written to the log file; they exit 1 like runc.
int run(int argc, char** argv);

}  // namespace hull::cli

// Running a program (usually the built hull) and capturing what it did.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hull::test {

struct CommandResult {
    int status = -1;  // exit code, or 128+N when killed by signal N
    std::string out;
    std::string err;
};

struct CommandOptions {
    std::string input;                       // written to stdin, then closed
    std::string cwd;                         // empty: inherit
    std::map<std::string, std::string> env;  // added to the inherited environment
    int timeout_seconds = 120;               // a hung command is killed: a failure, not a hang
};

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options = {});

// True while run_command waits for pid itself (the orphan reaper must leave it alone).
bool is_awaited(int pid);

// fork() for a test that waits for its child itself: the child is marked awaited before the
// reaper can see it, until forget_awaited(pid) after the test's own waitpid.
int fork_awaited();
void forget_awaited(int pid);

// The whole content of a file ("" when it cannot be read).
std::string read_text(const std::string& path);

// The path of the hull binary under test.
std::string hull_binary();

}  // namespace hull::test

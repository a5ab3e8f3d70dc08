// hull update's flags, parsed by the real command line, and the linux.resources they become:
// what cmd_update hands to the cgroup manager, whose writes the cgroups tests check per field.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "runtime/cgroup_commands.hpp"
#include "runtime/cli/command_line.hpp"

namespace {

hull::spec::Resources update_resources(std::vector<std::string> args) {
    args.insert(args.begin(), {"hull", "update"});
    args.push_back("c1");
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    // Built as hull builds it: update's options alone.
    hull::cli::CommandLine cl(static_cast<int>(argv.size()), argv.data());
    cl.app().parse(static_cast<int>(argv.size()), argv.data());
    REQUIRE(cl.update_options().id == "c1");
    return hull::runtime::resources_from_flags(cl.update_options());
}

}  // namespace

TEST_CASE("update's resource flags become the linux.resources it applies") {
    auto r = update_resources({"--memory",
                               "512m",
                               "--memory-reservation",
                               "64m",
                               "--memory-swap",
                               "1g",
                               "--kernel-memory",
                               "32m",
                               "--kernel-memory-tcp",
                               "16k",
                               "--cpu-share",
                               "256",
                               "--cpu-period",
                               "100000",
                               "--cpu-quota",
                               "50000",
                               "--cpu-rt-period",
                               "1000000",
                               "--cpu-rt-runtime",
                               "950000",
                               "--cpuset-cpus",
                               "0-1",
                               "--cpuset-mems",
                               "0",
                               "--pids-limit",
                               "64",
                               "--blkio-weight",
                               "500"});
    REQUIRE(r.memory);
    CHECK(r.memory->limit == 512LL << 20);
    CHECK(r.memory->reservation == 64LL << 20);
    CHECK(r.memory->swap == 1LL << 30);
    CHECK(r.memory->kernel == 32LL << 20);
    CHECK(r.memory->kernel_tcp == 16LL << 10);
    REQUIRE(r.cpu);
    CHECK(r.cpu->shares == 256u);
    CHECK(r.cpu->period == 100000u);
    CHECK(r.cpu->quota == 50000);
    CHECK(r.cpu->realtime_period == 1000000u);
    CHECK(r.cpu->realtime_runtime == 950000);
    CHECK(r.cpu->cpus == "0-1");
    CHECK(r.cpu->mems == "0");
    REQUIRE(r.pids);
    CHECK(r.pids->limit == 64);
    REQUIRE(r.block_io);
    CHECK(r.block_io->weight == 500);

    // Flags not given leave their fields unset, so update changes nothing else.
    auto only = update_resources({"--cpuset-mems", "1"});
    CHECK_FALSE(only.memory->limit);
    CHECK_FALSE(only.memory->reservation);
    CHECK_FALSE(only.cpu->shares);
    CHECK(only.cpu->cpus.empty());
    CHECK(only.cpu->mems == "1");
    CHECK_FALSE(only.pids);
    CHECK_FALSE(only.block_io);

    // -1 is unlimited; a bad size names its flag.
    CHECK(update_resources({"--memory-reservation", "-1"}).memory->reservation == -1);
    CHECK_THROWS_WITH(update_resources({"--kernel-memory", "lots"}),
                      Catch::Contains("--kernel-memory: invalid size \"lots\""));
}

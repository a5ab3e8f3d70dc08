// hooks::Phase and spec::hook_phases() are one list: each phase the runner knows reads the
// hooks config.json put under the same name.
#include <catch2/catch.hpp>
#include <string>

#include "hooks/run_hooks.hpp"
#include "spec/default_spec.hpp"
#include "spec/hook_phases.hpp"
#include "spec/parse.hpp"

using hull::hooks::Phase;

TEST_CASE("each hook phase reads the hooks config.json names it", "[hooks][phase]") {
    const Phase phases[] = {Phase::prestart,        Phase::create_runtime, Phase::create_container,
                            Phase::start_container, Phase::poststart,      Phase::poststop};
    auto table = hull::spec::hook_phases();
    REQUIRE(table.size() == std::size(phases));

    // One hook per phase, its path naming the phase.
    std::string hooks = "{";
    for (const auto& row : table) {
        if (hooks.size() > 1) hooks += ",";
        hooks += "\"" + std::string(row.name) + "\":[{\"path\":\"/bin/" + row.name + "\"}]";
    }
    hooks += "}";
    std::string json = hull::spec::default_config_json();
    json.insert(json.rfind('}'), ",\"hooks\":" + hooks);
    hull::spec::Config config = hull::spec::parse_config(json);
    REQUIRE(config.hooks);

    for (std::size_t i = 0; i < table.size(); ++i) {
        CAPTURE(table[i].name);
        CHECK(std::string(hull::hooks::phase_name(phases[i])) == table[i].name);
        const auto& configured = hull::hooks::hooks_for(*config.hooks, phases[i]);
        REQUIRE(configured.size() == 1);
        CHECK(configured[0].path == std::string("/bin/") + table[i].name);
    }
}

// `hull state ID` and `hull list`: read-only, lock-free (state.json is replaced atomically).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/log.hpp"
#include "runtime/container.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_id.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/state_json.hpp"

namespace hull::runtime {

namespace {

// A container as `state` and `list` show it: its record and live status, read lock-free.
struct Listed {
    ContainerRecord record;
    Status status;
    pid_t pid() const { return status == Status::stopped ? 0 : record.pid; }
};

std::optional<Listed> read_container(Context& ctx, const std::string& id) {
    auto container = Container::peek(ctx, id);
    if (!container) return std::nullopt;
    return Listed{container->record(), container->status()};
}

}  // namespace

void cmd_state(Context& ctx, const std::string& id) {
    validate_container_id(id);
    auto c = read_container(ctx, id);
    if (!c) throw Error("container does not exist: " + id);
    std::cout << spec::state_to_json(oci_state(c->record, c->status), spec::StateLayout::command)
              << '\n';
}

void cmd_list(Context& ctx, const std::string& format, bool quiet) {
    std::vector<Listed> all;
    for (const auto& id : list_container_ids(ctx.options.root))
        if (auto c = read_container(ctx, id)) all.push_back(std::move(*c));
    if (quiet) {
        for (const auto& c : all)
            std::cout << c.record.id << '\n';
        return;
    }
    if (format == "json") {
        // runc's list: one compact object per container, its `state` members.
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        w.StartArray();
        for (const auto& c : all) {
            w.StartObject();
            spec::write_state_members(w, oci_state(c.record, c.status), spec::StateLayout::command);
            w.EndObject();
        }
        w.EndArray();
        std::cout << buf.GetString() << '\n';
        return;
    }
    if (format != "table") throw Error("invalid format option \"" + format + "\"");
    // Columns padded like Go's tabwriter in runc (minwidth 12, padding 1).
    std::vector<std::vector<std::string>> rows = {
        {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
    for (const auto& c : all)
        rows.push_back({c.record.id, std::to_string(c.pid()), std::string(status_name(c.status)),
                        c.record.bundle, c.record.created, c.record.owner});
    std::vector<size_t> width(6, 12);
    for (const auto& row : rows)
        for (size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size() + 1);
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size(), ' ');
        }
        std::cout << line << '\n';
    }
}

}  // namespace hull::runtime

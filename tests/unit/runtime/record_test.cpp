#include <catch2/catch.hpp>
#include <string>

#include "base/error.hpp"
#include "runtime/container_record.hpp"
#include "runtime/notify_socket.hpp"

using hull::runtime::record_from_json;

TEST_CASE("record: a pid below 1 means no init", "[runtime][record]") {
    // kill(0, sig) and kill(-1, sig) signal whole groups, and /proc/0 does not exist: a damaged
    // state file must never turn into either.
    for (const char* pid : {"0", "-1", "-42", "-2147483648"}) {
        auto r = record_from_json(std::string(R"({"id":"c","status":"running","pid":)") + pid +
                                  R"(,"hull":{"initStartTime":5}})");
        CHECK(r.pid == 0);
        CHECK(r.start_time == 5);
    }
    CHECK(record_from_json(R"({"status":"running","pid":1})").pid == 1);
    CHECK(record_from_json(R"({"status":"running","pid":2147483648})").pid == 0);
    CHECK(record_from_json(R"({"status":"running","pid":"7"})").pid == 0);
}

TEST_CASE("record: corrupt files are refused with the reason", "[runtime][record]") {
    CHECK_THROWS_WITH(record_from_json("[1"),
                      Catch::StartsWith("corrupt container state file: invalid JSON at offset"));
    CHECK_THROWS_WITH(record_from_json("[]"), "corrupt container state file: not a JSON object");
    CHECK_THROWS_WITH(record_from_json(std::string(100000, '[')),
                      Catch::Contains("nested deeper than 128 levels"));
    // The status hull writes is one of its own names; anything else was not written by hull.
    CHECK_THROWS_WITH(record_from_json(R"({"id":"c","status":"frozen"})"),
                      "corrupt container state file: unknown container status \"frozen\"");
    CHECK_THROWS_WITH(record_from_json(R"({"id":"c"})"),
                      "corrupt container state file: unknown container status \"\"");
}

TEST_CASE("record: every status survives the round trip by its own name", "[runtime][record]") {
    using hull::runtime::Status;
    for (Status s : {Status::creating, Status::created, Status::running, Status::stopped}) {
        hull::runtime::ContainerRecord r;
        r.id = "c";
        r.status = s;
        std::string json = hull::runtime::record_to_json(r);
        CHECK_THAT(json, Catch::Contains(std::string("\"status\":\"") +
                                         std::string(hull::runtime::status_name(s)) + "\""));
        CHECK(record_from_json(json).status == s);
    }
    CHECK(hull::runtime::parse_status("paused") == Status::paused);
}

TEST_CASE("record: a container in the host's mount namespace keeps the mounts it found",
          "[runtime][record]") {
    hull::runtime::ContainerRecord r;
    r.id = "c";
    r.shared_mount_ns = true;
    r.rootfs_mounts_before = {31, 407};
    auto back = record_from_json(hull::runtime::record_to_json(r));
    CHECK(back.shared_mount_ns);
    CHECK(back.rootfs_mounts_before == std::vector<int>{31, 407});
    r.shared_mount_ns = false;
    r.rootfs_mounts_before.clear();
    CHECK_FALSE(record_from_json(hull::runtime::record_to_json(r)).shared_mount_ns);
}

TEST_CASE("notify: MAINPID is init's host pid, added to a READY=1 that lacks it",
          "[runtime][notify]") {
    bool ready = false;
    CHECK(hull::runtime::rewrite_notify_message("STATUS=up", 42, &ready) == "STATUS=up\n");
    CHECK_FALSE(ready);
    CHECK(hull::runtime::rewrite_notify_message("READY=1\n", 42, &ready) ==
          "READY=1\nMAINPID=42\n");
    CHECK(ready);
    CHECK(hull::runtime::rewrite_notify_message("MAINPID=7\nREADY=1", 42, &ready) ==
          "MAINPID=42\nREADY=1\n");
}

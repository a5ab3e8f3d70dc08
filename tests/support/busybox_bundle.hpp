// A real bundle for integration tests: a busybox rootfs from the host's busybox-static and
// the config.json that `hull spec` writes, adjusted with JSON pointers.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace hull::test {

class BusyboxBundle {
  public:
    // Builds <dir>/rootfs and <dir>/config.json (from `hull spec`, with terminal off and
    // args set to `args`).
    explicit BusyboxBundle(const std::string& dir,
                           const std::vector<std::string>& args = {"/bin/true"});

    const std::string& path() const { return dir_; }
    std::string rootfs() const { return dir_ + "/rootfs"; }
    rapidjson::Document& config() { return config_; }

    // Sets the value at a JSON pointer (creating parents) from a JSON text, e.g.
    // set("/process/args", R"(["sh","-c","echo hi"])"). Writes config.json.
    void set(const std::string& pointer, const std::string& json);
    // Removes the value at a pointer. Writes config.json.
    void erase(const std::string& pointer);
    void set_args(const std::vector<std::string>& args);
    // A new user namespace whose 65536 ids from 0 are the host's from host_id on.
    void add_user_namespace(unsigned host_id = 100000);
    void write_config() const;

  private:
    std::string dir_;
    rapidjson::Document config_;
};

// A busybox rootfs alone (bin/busybox plus applet links, etc/passwd, etc/group).
void make_busybox_rootfs(const std::string& rootfs);

// JSON array text from strings (no escaping beyond quotes and backslashes).
std::string json_array(const std::vector<std::string>& items);

}  // namespace hull::test

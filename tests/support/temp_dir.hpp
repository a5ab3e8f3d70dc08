// A directory that is removed with everything in it when the test ends, pass or fail.
// Removal never crosses into another mount: a test that leaks a mount fails loudly instead
// of deleting host files through it.
#pragma once

#include <string>

namespace hull::test {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "hull-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

// rm -rf that stays on the file system of path (returns false if something was left).
bool remove_tree(const std::string& path);

}  // namespace hull::test

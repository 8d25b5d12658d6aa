// Helpers shared by the tests.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace agtel::test {

// Sets (or unsets, with nullopt) an environment variable for the scope's lifetime.
class scoped_env {
 public:
  scoped_env(std::string name, std::optional<std::string> value);
  ~scoped_env();
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace agtel::test

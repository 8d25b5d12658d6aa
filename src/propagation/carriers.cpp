// Header-map helpers and the environment-variable carrier.
#include "agtel/propagation/carriers.hpp"

#include <algorithm>
#include <cstdlib>

#include "agtel/propagation/composite.hpp"

extern char** environ;  // POSIX: the calling process's environment

namespace agtel::propagation {
namespace {

constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Writes the environment-variable name for `key` to `out` (room for key.size() + 1 chars)
// and returns its length.
size_t write_env_name(std::string_view key, char* out) noexcept {
  size_t n = 0;
  if (!key.empty() && key[0] >= '0' && key[0] <= '9')
    out[n++] = '_';  // names can't start with a digit
  for (char c : key) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out[n++] = ok ? c : '_';
  }
  return n;
}

// Removes every "NAME=..." entry from an execve-style list.
void erase_env_entries(std::vector<std::string>& env, std::string_view name) {
  std::erase_if(env, [&](const std::string& entry) {
    return entry.size() > name.size() && entry[name.size()] == '=' && entry.starts_with(name);
  });
}

}  // namespace

bool detail::header_name_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string detail::lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

void detail::header_value_joiner::add(std::string_view value) noexcept {
  if (count_ == 0) {
    first_ = value;
    count_ = 1;
    return;
  }
  try {
    if (count_ == 1) joined_.assign(first_);
    joined_.append(1, ',').append(value);
    ++count_;
  } catch (...) {  // out of memory: return what was joined so far
  }
}

std::string env_name(std::string_view key) {
  std::string name(key.size() + 1, '\0');
  name.resize(write_env_name(key, name.data()));
  return name;
}

std::string_view env_reader::get(std::string_view key) const noexcept {
  char small[128];
  std::string large;
  char* buf = small;
  if (key.size() + 2 > sizeof small) {
    try {
      large.resize(key.size() + 2);
    } catch (...) {
      return {};
    }
    buf = large.data();
  }
  buf[write_env_name(key, buf)] = '\0';
  const char* value = std::getenv(buf);
  return value ? std::string_view(value) : std::string_view();
}

void env_reader::keys(std::vector<std::string_view>& out) const noexcept {
  try {
    for (char** e = environ; e && *e; ++e) {
      std::string_view entry(*e);
      out.push_back(entry.substr(0, entry.find('=')));
    }
  } catch (...) {  // out of memory: a partial list
  }
}

void env_writer::set(std::string_view key, std::string_view value) noexcept {
  if (value.find('\0') != std::string_view::npos) return;  // cannot live in an environment
  try {
    std::string name = env_name(key);
    if (name.empty()) return;
    if (map_) {
      (*map_)[std::move(name)].assign(value);
      return;
    }
    if (!list_) return;
    erase_env_entries(*list_, name);
    name.append(1, '=').append(value);
    list_->push_back(std::move(name));
  } catch (...) {  // out of memory: the variable is not written
  }
}

void inject_into_env(std::map<std::string, std::string>& env, const context& ctx) noexcept {
  try {
    auto propagator = global_propagator();
    for (std::string_view field : propagator->fields()) env.erase(env_name(field));
    env_writer writer(env);
    propagator->inject(ctx, writer);
  } catch (...) {
  }
}

void inject_into_env(std::vector<std::string>& env, const context& ctx) noexcept {
  try {
    auto propagator = global_propagator();
    for (std::string_view field : propagator->fields()) erase_env_entries(env, env_name(field));
    env_writer writer(env);
    propagator->inject(ctx, writer);
  } catch (...) {
  }
}

std::vector<std::string> child_environment(const context& ctx) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  inject_into_env(env, ctx);
  return env;
}

context extract_from_env(const context& base) noexcept {
  return global_propagator()->extract(env_reader{}, base);
}

}  // namespace agtel::propagation

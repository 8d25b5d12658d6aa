// The SDK's default resource and the resource merge rule.
//
// sdk_default describes this process only; it reads no environment variable (the
// OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME layer is applied by the configuration,
// src/config/).
#include "agtel/common/resource.hpp"

#include <errno.h>  // program_invocation_short_name (GNU)
#include <limits.h>
#include <unistd.h>

#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/version.hpp"

namespace agtel {
namespace {

// The base name of the running executable: the target of /proc/self/exe (what the
// semantic conventions ask for on Linux), else the name the program was invoked as.
std::string executable_name() {
  char path[PATH_MAX + 1];
  ssize_t n = ::readlink("/proc/self/exe", path, PATH_MAX);
  if (n > 0) {
    std::string_view p(path, static_cast<size_t>(n));
    // The kernel appends " (deleted)" when the binary was replaced or removed.
    constexpr std::string_view deleted = " (deleted)";
    if (p.ends_with(deleted)) p.remove_suffix(deleted.size());
    if (auto slash = p.rfind('/'); slash != std::string_view::npos) p.remove_prefix(slash + 1);
    if (!p.empty()) return std::string(p);
  }
  const char* invoked = program_invocation_short_name;
  return invoked ? std::string(invoked) : std::string();
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1];
  if (::gethostname(buf, sizeof buf) != 0) return {};
  buf[HOST_NAME_MAX] = '\0';  // gethostname may not terminate a truncated name
  return std::string(buf);
}

}  // namespace

resource resource::sdk_default() {
  resource r;
  auto& a = r.attributes;
  a.set("telemetry.sdk.name", "agtel");
  a.set("telemetry.sdk.language", "cpp");
  a.set("telemetry.sdk.version", agtel::version);
  std::string exe = executable_name();
  a.set("service.name", exe.empty() ? std::string("unknown_service") : "unknown_service:" + exe);
  a.set("process.pid", static_cast<int64_t>(::getpid()));
  if (!exe.empty()) a.set("process.executable.name", exe);
  if (std::string host = host_name(); !host.empty()) a.set("host.name", host);
  return r;
}

resource resource::merge(const resource& other) const {
  resource out = *this;
  for (const attribute& a : other.attributes) out.attributes.set_value(a.key, a.value);
  if (schema_url.empty()) {
    out.schema_url = other.schema_url;
  } else if (!other.schema_url.empty() && other.schema_url != schema_url) {
    // The spec calls this a merging error with an implementation-defined result: keep the
    // attributes (the updating resource wins) and drop the schema URL, which fits neither.
    out.schema_url.clear();
    detail::diag(diag_level::warning, "resource",
                 "merging resources with different schema URLs ('" + schema_url + "' and '" +
                     other.schema_url + "'); the merged resource has no schema URL");
  }
  return out;
}

}  // namespace agtel

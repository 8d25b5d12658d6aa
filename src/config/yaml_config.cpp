// The YAML file layer: agtel's own small schema (see agtel/sdk/config.hpp), read with
// yaml-cpp. yaml-cpp reports errors by throwing; every call into it happens inside the
// try blocks below, and nothing escapes.
//
// Reading is three steps. A quick scan refuses documents nested deeper than 64 levels:
// yaml-cpp parses recursively and needs about 250 KiB of stack at the ~500 levels it
// accepts, more than a small thread has, and agtel's schema is 4 levels deep. Then
// yaml-cpp builds a node tree (syntax errors stop here, and the document is ignored as a
// whole). Then a walk over the tree applies the keys agtel knows; it never recurses into
// what it does not know, so its own depth is the schema's, whatever the input.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_internal.hpp"

namespace agtel {
namespace {

using namespace config_detail;

constexpr size_t max_file_bytes = 1 << 20;
constexpr size_t max_nesting = 64;

// The 1-based line on which the document's nesting first exceeds `limit`, or 0. An
// over-estimate by design: block indentation levels, compact "- " / "? " / ": " indicators
// and open flow brackets all count, outside quoted scalars and comments. (A bracket in a
// plain or block scalar counts too; a real configuration never has 64 of them open.)
size_t line_exceeding_nesting(std::string_view text, size_t limit) {
  std::vector<size_t> indents;  // the block indentation stack; never longer than `limit`
  size_t flow = 0;
  char quote = 0;
  size_t line_no = 0;
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    size_t i = 0;
    if (!quote && flow == 0) {
      size_t indent = 0;
      while (indent < line.size() && line[indent] == ' ') ++indent;
      bool blank = indent == line.size() || line[indent] == '#' || line[indent] == '\r';
      if (!blank) {
        while (!indents.empty() && indents.back() >= indent) indents.pop_back();
        indents.push_back(indent);
        size_t compact = 0;
        for (size_t j = indent; j + 1 < line.size() &&
                                (line[j] == '-' || line[j] == '?' || line[j] == ':') &&
                                (line[j + 1] == ' ' || line[j + 1] == '\t');) {
          compact += 2;  // a sequence item or explicit key, and the mapping it may hold
          for (j += 2; j < line.size() && line[j] == ' ';) ++j;
        }
        if (indents.size() + compact > limit) return line_no;
      }
      i = indent;
    }
    for (; i < line.size(); ++i) {
      char c = line[i];
      if (quote) {
        if (quote == '"' && c == '\\') {
          ++i;
        } else if (c == quote) {
          if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'')
            ++i;  // '' inside single quotes
          else
            quote = 0;
        }
        continue;
      }
      bool token_start =
          i == 0 || std::string_view(" \t[{,").find(line[i - 1]) != std::string_view::npos;
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      if ((c == '"' || c == '\'') && token_start) {
        quote = c;
      } else if (c == '[' || c == '{') {
        if (++flow + indents.size() > limit) return line_no;
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    pos = end + 1;
  }
  return 0;
}

const char* type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

class yaml_reader {
 public:
  yaml_reader(std::string source, sdk_config& out) : source_(std::move(source)), out_(out) {}

  void read_root(const YAML::Node& root) {
    for_each_key(root, "",
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "disabled")
                     read_bool(v, path, out_.disabled);
                   else if (key == "service")
                     read_service(v, path);
                   else if (key == "traces")
                     read_traces(v, path);
                   else if (key == "metrics")
                     read_metrics(v, path);
                   else if (key == "logs")
                     read_logs(v, path);
                   else if (key == "otlp")
                     read_otlp(v, path, out_.otlp, true);
                   else if (key == "jsonl")
                     read_jsonl(v, path);
                   else if (key == "propagators")
                     read_propagators(v, path);
                   else
                     unknown_key(v, path);
                 });
  }

 private:
  // "<source>:<line>:<column>: " for messages about `n`.
  std::string where(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    if (m.is_null()) return source_ + ": ";
    return source_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
  }

  void warn(const YAML::Node& n, std::string_view path, const std::string& problem) {
    report(diag_level::warning, where(n) + std::string(path) + ": " + problem);
  }

  void unknown_key(const YAML::Node& v, std::string_view path) {
    warn(v, path, "unknown key; ignored");
  }

  // Calls f(key, "parent.key", value) for each entry of the mapping `n`; reports anything
  // else. Null values mean "not set" and are skipped, like empty environment variables.
  template <class F>
  void for_each_key(const YAML::Node& n, std::string_view parent, F&& f) {
    if (n.IsNull()) return;
    if (!n.IsMap()) {
      warn(n, parent.empty() ? "(top level)" : parent,
           std::string("expected a mapping, got ") + type_name(n) + "; ignored");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      // Copies, not references: yaml-cpp's iterator hands out a temporary pair (a reference
      // to its member dangles at the end of the statement). A Node copy is a handle.
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      if (!k.IsScalar()) {
        warn(k, parent.empty() ? "(top level)" : parent,
             std::string("keys must be names, got ") + type_name(k) + "; entry ignored");
        continue;
      }
      const std::string& key = k.Scalar();
      std::string path =
          parent.empty() ? printable(key) : std::string(parent) + "." + printable(key);
      if (v.IsNull()) continue;
      f(key, path, v);
    }
  }

  // The scalar text of `v`, or nullopt after reporting that `expected` was wanted.
  std::optional<std::string> scalar(const YAML::Node& v, std::string_view path,
                                    std::string_view expected) {
    if (v.IsScalar()) return v.Scalar();
    warn(v, path, "expected " + std::string(expected) + ", got " + type_name(v) + "; ignored");
    return std::nullopt;
  }

  // A UTF-8 string (empty allowed when `allow_empty`).
  std::optional<std::string> text(const YAML::Node& v, std::string_view path) {
    auto s = scalar(v, path, "a string");
    if (!s) return std::nullopt;
    if (!valid_utf8(*s)) {
      warn(v, path, "'" + printable(*s) + "' is not valid UTF-8; ignored");
      return std::nullopt;
    }
    return s;
  }

  // True when `out` was set; false (reported, `out` untouched) for anything but true/false.
  bool read_bool(const YAML::Node& v, std::string_view path, bool& out) {
    auto s = scalar(v, path, "true or false");
    if (!s) return false;
    if (iequals(*s, "true") || iequals(*s, "false")) {
      out = iequals(*s, "true");
      return true;
    }
    warn(v, path,
         "expected true or false, got '" + printable(*s) + "'; using " + (out ? "true" : "false"));
    return false;
  }

  void read_service(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "name") {
                     if (auto s = text(v, path); s && !s->empty())
                       out_.service_name = std::move(*s);
                   } else if (key == "attributes") {
                     read_attributes(v, path);
                   } else {
                     unknown_key(v, path);
                   }
                 });
  }

  // Resource attributes: names to scalar values, stored as strings (as the environment's).
  void read_attributes(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key.empty() || !valid_utf8(key)) {
                     warn(v, path, "attribute names must be non-empty UTF-8 text; ignored");
                     return;
                   }
                   if (auto s = text(v, path)) out_.resource_attributes.set(key, *s);
                 });
  }

  void read_traces(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "sampler")
                     read_sampler(v, path);
                   else if (key == "exporter")
                     read_exporter(v, path, telemetry_signal::traces, out_.traces_exporters);
                   else if (key == "console")
                     read_console(v, path);
                   else if (key == "batch" || key == "limits")
                     read_numbers(v, path);
                   else
                     unknown_key(v, path);
                 });
  }

  void read_sampler_name(const YAML::Node& v, std::string_view path) {
    auto s = scalar(v, path, "a sampler name");
    if (!s) return;
    if (auto k = parse_sampler(*s))
      out_.sampler = *k;
    else
      warn(v, path,
           "unknown sampler '" + printable(*s) +
               "' (agtel has: always_on, always_off, traceidratio, parentbased_always_on, "
               "parentbased_always_off, parentbased_traceidratio); using " +
               std::string(to_string(out_.sampler)));
  }

  void read_sampler(const YAML::Node& n, std::string_view parent) {
    if (n.IsScalar()) {  // shorthand: `sampler: always_on`
      read_sampler_name(n, std::string(parent) + ".name");
      return;
    }
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "name") {
                     read_sampler_name(v, path);
                   } else if (key == "arg") {
                     auto s = scalar(v, path, "a probability between 0 and 1");
                     if (!s) return;
                     if (auto p = parse_probability(*s))
                       out_.sampler_ratio = *p;
                     else
                       warn(v, path,
                            "expected a probability between 0 and 1, got '" + printable(*s) +
                                "'; using " + format_ratio(out_.sampler_ratio));
                   } else {
                     unknown_key(v, path);
                   }
                 });
  }

  // `exporter: console`, `exporter: "console, otlp"`, `exporter: [console, otlp]`, `none`.
  void read_exporter(const YAML::Node& v, std::string_view path, telemetry_signal signal,
                     std::vector<sdk_config::exporter_kind>& out) {
    std::vector<std::string> names;
    if (v.IsScalar()) {
      names = parse_name_list(v.Scalar());
    } else if (v.IsSequence()) {
      for (const YAML::Node& item : v)
        if (auto s = scalar(item, path, "an exporter name")) add_name(names, trim(*s));
    } else {
      warn(v, path,
           std::string("expected an exporter name or a list of them, got ") + type_name(v) +
               "; ignored");
      return;
    }
    if (!apply_exporter_names(names, where(v), path, out, signal))
      warn(v, path, "no usable exporter; ignored");
  }

  void read_console(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key != "format") return unknown_key(v, path);
                   auto s = scalar(v, path, "tree or json");
                   if (!s) return;
                   if (auto f = parse_console_format(*s))
                     out_.console = *f;
                   else
                     warn(v, path,
                          "expected tree or json, got '" + printable(*s) + "'; using " +
                              std::string(to_string(out_.console)));
                 });
  }

  // True when `path` is one of the numeric settings (which is then applied, or reported
  // and kept at the layer below's value).
  bool read_numeric(const YAML::Node& v, std::string_view path) {
    for (const numeric_setting& s : numeric_settings()) {
      if (s.yaml != path) continue;
      if (auto text = scalar(v, path, "a non-negative integer")) {
        if (auto value = check_numeric(s, where(v), path, *text, out_)) s.set(out_, *value);
      }
      return true;
    }
    return false;
  }

  // *.batch and *.limits: every key is one of the numeric settings.
  void read_numbers(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent, [&](const std::string&, const std::string& path, const YAML::Node& v) {
      if (!read_numeric(v, path)) unknown_key(v, path);
    });
  }

  // One of a fixed set of names: `parse` maps the text to a value, or to nullopt.
  template <class T, class Parse>
  void read_choice(const YAML::Node& v, std::string_view path, std::string_view expected,
                   Parse parse, T& out) {
    auto s = scalar(v, path, expected);
    if (!s) return;
    if (auto value = parse(*s))
      out = *value;
    else
      warn(v, path, "expected " + std::string(expected) + ", got '" + printable(*s) + "'; ignored");
  }

  // A string that `valid` accepts, described by `expected` when it does not.
  void read_checked_text(const YAML::Node& v, std::string_view path, std::string_view expected,
                         bool (*valid)(std::string_view) noexcept, std::string& out) {
    auto s = text(v, path);
    if (!s) return;
    if (valid(*s))
      out = std::move(*s);
    else
      warn(v, path, "expected " + std::string(expected) + ", got '" + printable(*s) + "'; ignored");
  }

  void read_metrics(const YAML::Node& n, std::string_view parent) {
    for_each_key(
        n, parent, [&](const std::string& key, const std::string& path, const YAML::Node& v) {
          if (key == "exporter")
            read_exporter(v, path, telemetry_signal::metrics, out_.metrics_exporters);
          else if (key == "exemplar_filter")
            read_choice(v, path, expected_exemplar_filter, parse_exemplar_filter,
                        out_.exemplar_filter);
          else if (key == "temporality_preference")
            read_choice(v, path, expected_temporality, parse_temporality, out_.metrics_temporality);
          else if (key == "prometheus")
            read_prometheus(v, path);
          else if (!read_numeric(v, path))
            unknown_key(v, path);
        });
  }

  void read_prometheus(const YAML::Node& n, std::string_view parent) {
    for_each_key(
        n, parent, [&](const std::string& key, const std::string& path, const YAML::Node& v) {
          if (key == "host")
            read_checked_text(v, path, "a host name or address", valid_host, out_.prometheus_host);
          else if (!read_numeric(v, path))
            unknown_key(v, path);
        });
  }

  void read_logs(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "exporter")
                     read_exporter(v, path, telemetry_signal::logs, out_.logs_exporters);
                   else if (key == "batch" || key == "limits")
                     read_numbers(v, path);
                   else
                     unknown_key(v, path);
                 });
  }

  // `otlp:` (generic: it may hold the per-signal sections) or `otlp.<signal>:`.
  void read_otlp(const YAML::Node& n, std::string_view parent, sdk_config::otlp_settings& out,
                 bool generic) {
    for_each_key(
        n, parent, [&](const std::string& key, const std::string& path, const YAML::Node& v) {
          if (key == "protocol") {
            read_choice(v, path, expected_protocol, parse_protocol, out.protocol);
          } else if (key == "endpoint") {
            std::string url;
            read_checked_text(v, path, "an http:// or https:// URL", valid_endpoint, url);
            if (!url.empty()) out.endpoint = std::move(url);
          } else if (key == "headers") {
            read_headers(v, path, out);
          } else if (key == "compression") {
            read_choice(v, path, expected_compression, parse_compression, out.gzip);
          } else if (key == "certificate" || key == "client_key" || key == "client_certificate") {
            auto s = text(v, path);
            if (!s) return;
            auto& field = key == "certificate"  ? out.certificate_file
                          : key == "client_key" ? out.client_key_file
                                                : out.client_certificate_file;
            field = std::move(*s);
          } else if (key == "insecure") {
            bool insecure = out.insecure.value_or(false);
            if (read_bool(v, path, insecure)) out.insecure = insecure;
          } else if (generic && key == "traces") {
            read_otlp(v, path, out_.otlp_traces, false);
          } else if (generic && key == "metrics") {
            read_otlp(v, path, out_.otlp_metrics, false);
          } else if (generic && key == "logs") {
            read_otlp(v, path, out_.otlp_logs, false);
          } else if (!read_numeric(v, path)) {
            unknown_key(v, path);
          }
        });
  }

  // `headers: { authorization: Bearer abc, x-tenant: a }`: replaces this layer's headers as
  // a whole (as the environment variable does); a bad entry costs only itself, and when
  // every entry is bad the layer below stays. `headers: {}` means "no headers".
  void read_headers(const YAML::Node& n, std::string_view parent, sdk_config::otlp_settings& out) {
    if (!n.IsMap()) {
      warn(n, parent,
           std::string("expected a mapping of header names to values, got ") + type_name(n) +
               "; ignored");
      return;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key.empty() || !valid_utf8(key)) {
                     warn(v, path, "header names must be non-empty UTF-8 text; ignored");
                     return;
                   }
                   if (auto s = text(v, path)) headers.emplace_back(key, std::move(*s));
                 });
    if (!headers.empty() || n.size() == 0) out.headers = std::move(headers);
  }

  void read_jsonl(const YAML::Node& n, std::string_view parent) {
    for_each_key(n, parent,
                 [&](const std::string& key, const std::string& path, const YAML::Node& v) {
                   if (key == "directory") {
                     if (auto s = text(v, path); s && !s->empty())
                       out_.jsonl.directory = std::move(*s);
                   } else if (!read_numeric(v, path)) {
                     unknown_key(v, path);
                   }
                 });
  }

  // `propagators: [tracecontext, baggage]` or `propagators: "tracecontext,baggage"`.
  void read_propagators(const YAML::Node& v, std::string_view path) {
    std::vector<std::string> names;
    if (v.IsScalar()) {
      names = parse_name_list(v.Scalar());
    } else if (v.IsSequence()) {
      for (const YAML::Node& item : v) {
        auto s = scalar(item, path, "a propagator name");
        if (s && !trim(*s).empty()) add_name(names, trim(*s));
      }
    } else {
      warn(v, path,
           std::string("expected a list of propagator names, got ") + type_name(v) + "; ignored");
      return;
    }
    out_.propagators = std::move(names);  // an empty list means none
  }

  std::string source_;
  sdk_config& out_;
};

std::optional<sdk_config> parse(std::string_view text, sdk_config out, const std::string& source) {
  try {
    if (size_t line = line_exceeding_nesting(text, max_nesting)) {
      report(diag_level::warning, source + ":" + std::to_string(line) + ": nested deeper than " +
                                      std::to_string(max_nesting) +
                                      " levels; the configuration is ignored");
      return std::nullopt;
    }
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsNull() && !root.IsMap()) {
      report(diag_level::warning, source +
                                      ": expected a mapping of settings at the top level, got " +
                                      type_name(root) + "; the configuration is ignored");
      return std::nullopt;
    }
    yaml_reader(source, out).read_root(root);
    return out;
  } catch (const YAML::Exception& e) {
    std::string at = e.mark.is_null() ? source
                                      : source + ":" + std::to_string(e.mark.line + 1) + ":" +
                                            std::to_string(e.mark.column + 1);
    // yaml-cpp's messages may quote the offending character: escape it like any input.
    report(diag_level::warning,
           at + ": not valid YAML (" + printable(e.msg, 200) + "); the configuration is ignored");
  } catch (const std::exception& e) {
    report(diag_level::error,
           source + ": cannot read the configuration (" + printable(e.what(), 200) + "); ignored");
  } catch (...) {
    report(diag_level::error, source + ": cannot read the configuration; ignored");
  }
  return std::nullopt;
}

// Reads at most max_file_bytes of a regular file. Opened non-blocking so that a FIFO
// cannot hang the caller (it is then refused as not a regular file).
std::optional<std::string> read_file(const std::filesystem::path& path, const std::string& name) {
  auto fail = [&](const std::string& why) -> std::optional<std::string> {
    report(diag_level::warning, "cannot read configuration file '" + name + "': " + why);
    return std::nullopt;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail(std::strerror(errno));
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_on_exit{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_file_bytes)
    return fail("larger than " + std::to_string(max_file_bytes) + " bytes");
  std::string data;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_file_bytes)  // the file grew while being read
      return fail("larger than " + std::to_string(max_file_bytes) + " bytes");
  }
  return data;
}

}  // namespace

std::optional<sdk_config> config_from_yaml_string(std::string_view yaml, sdk_config base) noexcept {
  try {
    return parse(yaml, std::move(base), "<string>");
  } catch (...) {
    report(diag_level::error, "out of memory reading the YAML configuration; ignored");
    return std::nullopt;
  }
}

std::optional<sdk_config> config_from_yaml_file(const std::filesystem::path& path,
                                                sdk_config base) noexcept {
  try {
    std::string name = printable(path.string(), 1024);
    auto data = read_file(path, name);
    if (!data) return std::nullopt;
    return parse(*data, std::move(base), name);
  } catch (...) {
    report(diag_level::error, "out of memory reading the YAML configuration; ignored");
    return std::nullopt;
  }
}

}  // namespace agtel

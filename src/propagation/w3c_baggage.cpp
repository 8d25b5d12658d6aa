// `baggage` header parsing and formatting, and the `baggage` propagator.
#include "agtel/propagation/w3c_baggage.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "export/console/text.hpp"
#include "propagation/detail/text.hpp"

namespace agtel::propagation {
namespace {

using detail::is_token;
using detail::trim_ows;

constexpr bool is_baggage_octet(unsigned char c) noexcept {
  return detail::has_class(static_cast<char>(c), detail::baggage_octet_class);
}

bool all_baggage_octets(std::string_view s) noexcept {
  return detail::all_of_class(s, detail::baggage_octet_class);
}

// Bytes written as themselves by format: baggage-octets other than '%'.
constexpr bool is_unencoded(unsigned char c) noexcept {
  return c != '%' && is_baggage_octet(c);
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `raw` (already checked to be baggage-octets) into `out`.
bool percent_decode(std::string_view raw, std::string& out) {
  size_t pct = raw.find('%');
  out.assign(raw.substr(0, pct));
  if (pct == std::string_view::npos) return true;
  out.reserve(raw.size());
  raw.remove_prefix(pct);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (raw.size() - i < 3) return false;
    int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  return true;
}

size_t encoded_size(std::string_view value) noexcept {
  size_t n = value.size();
  for (char c : value)
    if (!is_unencoded(static_cast<unsigned char>(c))) n += 2;
  return n;
}

void append_encoded(std::string_view value, std::string& out) {
  constexpr char digits[] = "0123456789ABCDEF";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (is_unencoded(u)) {
      out += c;
    } else {
      const char esc[3] = {'%', digits[u >> 4], digits[u & 0xf]};
      out.append(esc, 3);
    }
  }
}

// Walks a property list (`p1;p2=v2`, OWS allowed around every part) and emits its
// normalized form piece by piece (`p1`, `;`, `p2`, `=`, `v2`), dropping empty properties.
// Returns false, having emitted a prefix, if a property is malformed.
template <class Emit>
bool walk_properties(std::string_view props, Emit&& emit) {
  bool first = true;
  return detail::for_each_member(props, ';', [&](std::string_view prop) {
    prop = trim_ows(prop);
    if (prop.empty()) return true;
    size_t eq = prop.find('=');
    std::string_view key = trim_ows(prop.substr(0, eq));
    if (!is_token(key)) return false;
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = trim_ows(prop.substr(eq + 1));
      if (!all_baggage_octets(value)) return false;
    }
    if (!first) emit(std::string_view(";"));
    first = false;
    emit(key);
    if (eq != std::string_view::npos) {
      emit(std::string_view("="));
      emit(value);
    }
    return true;
  });
}

// The normalized size of a property list, or npos when it is malformed.
size_t properties_size(std::string_view props) noexcept {
  size_t n = 0;
  bool ok = walk_properties(props, [&](std::string_view piece) { n += piece.size(); });
  return ok ? n : std::string_view::npos;
}

// Parses one list member; false when it is invalid (the caller skips it).
bool parse_member(std::string_view member, baggage::entry& out) {
  size_t semi = member.find(';');
  std::string_view kv = member.substr(0, semi);
  size_t eq = kv.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view key = trim_ows(kv.substr(0, eq));
  std::string_view raw = trim_ows(kv.substr(eq + 1));
  if (!is_token(key) || !all_baggage_octets(raw)) return false;
  std::string_view props =
      semi == std::string_view::npos ? std::string_view() : member.substr(semi + 1);
  size_t props_size = properties_size(props);
  if (props_size == std::string_view::npos) return false;

  if (!percent_decode(raw, out.value)) return false;
  // Undecoded bytes are ASCII; only %-escapes can form (invalid) UTF-8.
  if (raw.find('%') != std::string_view::npos && !exporter::console::is_valid_utf8(out.value)) return false;
  out.key.assign(key);
  out.metadata.clear();
  out.metadata.reserve(props_size);
  walk_properties(props, [&](std::string_view piece) { out.metadata.append(piece); });
  return true;
}

constexpr std::array<std::string_view, 1> baggage_fields = {w3c_baggage_propagator::baggage_field};

}  // namespace

baggage parse_baggage(std::string_view header) noexcept {
  if (header.size() > baggage::max_header_bytes) {
    // Keep only the members that end within the first 8192 bytes.
    if (header[baggage::max_header_bytes] == ',') {
      header = header.substr(0, baggage::max_header_bytes);
    } else {
      size_t cut = header.rfind(',', baggage::max_header_bytes - 1);
      if (cut == std::string_view::npos) return {};
      header = header.substr(0, cut);
    }
  }
  try {
    std::vector<baggage::entry> entries;
    // One allocation for the list: members are separated by commas.
    size_t commas = static_cast<size_t>(std::count(header.begin(), header.end(), ','));
    entries.reserve(std::min(commas + 1, baggage::max_entries));
    baggage::entry member;
    detail::for_each_member(header, ',', [&](std::string_view raw) {
      raw = trim_ows(raw);
      if (raw.empty() || !parse_member(raw, member)) return true;  // skip, keep going
      for (auto& e : entries) {
        if (e.key == member.key) {  // a repeated key: the last value wins
          e.value.swap(member.value);
          e.metadata.swap(member.metadata);
          return true;
        }
      }
      if (entries.size() == baggage::max_entries) return false;  // ignore the rest
      entries.push_back(std::move(member));
      member = {};
      return true;
    });
    return baggage::from_entries(std::move(entries));
  } catch (...) {
    return {};  // out of memory: no baggage rather than a throw
  }
}

size_t format_baggage(const baggage& bag, std::string& out) {
  size_t written = 0, dropped = 0, bytes = 0;
  for (const auto& e : bag.entries()) {
    if (written == baggage::max_entries || !baggage::is_valid_key(e.key)) {
      ++dropped;
      continue;
    }
    size_t props = properties_size(e.metadata);
    if (props == 0) props = std::string_view::npos;  // nothing to write after ';'
    size_t need = (written ? 1 : 0) + e.key.size() + 1 + encoded_size(e.value) +
                  (props == std::string_view::npos ? 0 : 1 + props);
    if (bytes + need > baggage::max_header_bytes) {
      ++dropped;
      continue;
    }
    if (written) out += ',';
    out.append(e.key).append(1, '=');
    append_encoded(e.value, out);
    if (props != std::string_view::npos) {
      out += ';';
      walk_properties(e.metadata, [&](std::string_view piece) { out.append(piece); });
    }
    bytes += need;
    ++written;
  }
  if (dropped) {
    agtel::detail::diag(diag_level::warning, "propagation",
                        "baggage: " + std::to_string(dropped) +
                            " member(s) not propagated: over the W3C limits of 64 members "
                            "and 8192 bytes");
  }
  return written;
}

void w3c_baggage_propagator::inject(const context& ctx, text_map_writer& carrier) const noexcept {
  if (ctx.baggage().empty()) return;
  thread_local std::string scratch;  // reused: inject allocates nothing of its own
  try {
    scratch.clear();
    if (format_baggage(ctx.baggage(), scratch) == 0) return;
  } catch (...) {
    return;
  }
  carrier.set(baggage_field, scratch);
}

context w3c_baggage_propagator::extract(const text_map_reader& carrier,
                                        const context& base) const noexcept {
  std::string_view header = carrier.get(baggage_field);
  if (header.empty()) return base;
  baggage bag = parse_baggage(header);
  if (bag.empty()) return base;
  return context(base.span(), std::move(bag));
}

std::span<const std::string_view> w3c_baggage_propagator::fields() const noexcept {
  return baggage_fields;
}

}  // namespace agtel::propagation

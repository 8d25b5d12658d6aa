#include "table.hpp"

#include <algorithm>

#include "export/console/text.hpp"

namespace agtel::cli {
namespace {

// Characters (code points) in valid UTF-8 text: what a terminal advances by, near enough.
size_t width(std::string_view s) noexcept {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void pad(std::string& out, size_t n) {
  out.append(n, ' ');
}

}  // namespace

table::table(std::vector<column> columns) : columns_(std::move(columns)) {}

void table::add_row(const std::vector<std::string>& cells) {
  std::vector<std::string> row(columns_.size());
  for (size_t i = 0; i < columns_.size() && i < cells.size(); ++i)
    exporter::console::append_display_text(row[i], cells[i], columns_[i].max_width);
  rows_.push_back(std::move(row));
}

std::string table::render() const {
  std::vector<size_t> widths(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    widths[i] = width(columns_[i].title);
    for (const auto& row : rows_) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string out;
  auto line = [&](auto cell) {
    const size_t start = out.size();
    for (size_t i = 0; i < columns_.size(); ++i) {
      const std::string_view text = cell(i);
      const size_t gap = widths[i] - width(text);
      if (i > 0) out += "  ";
      if (columns_[i].alignment == align::right) pad(out, gap);
      out += text;
      if (columns_[i].alignment == align::left) pad(out, gap);
    }
    while (out.size() > start && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line([&](size_t i) -> std::string_view { return columns_[i].title; });
  for (const auto& row : rows_) line([&](size_t i) -> std::string_view { return row[i]; });
  return out;
}

}  // namespace agtel::cli

// A plain-text table for the read commands: columns padded to their widest cell, numbers
// right-aligned. Cells are made safe for a terminal (control characters escaped, invalid
// UTF-8 replaced, cut to a maximum width), because what they show came over the wire.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agtel::cli {

class table {
 public:
  enum class align { left, right };
  struct column {
    std::string title;
    align alignment = align::left;
    size_t max_width = 48;
  };

  explicit table(std::vector<column> columns);

  // Adds a row; extra cells are ignored, missing ones are empty.
  void add_row(const std::vector<std::string>& cells);
  size_t rows() const noexcept { return rows_.size(); }

  // The title line, then one line per row; trailing spaces trimmed.
  std::string render() const;

 private:
  std::vector<column> columns_;
  std::vector<std::vector<std::string>> rows_;  // already made safe
};

}  // namespace agtel::cli

// The small JSON dialect the store writes into its TEXT columns (attributes, events,
// links), and a cursor that reads it back. Only what the codec emits is read; anything
// else is reported as corrupt, never trusted (a file may have been edited by hand).
//
// Strings that are valid UTF-8 are JSON strings; other byte strings are {"x":"<hex>"}, so
// that every byte comes back exactly and the column stays valid JSON for the sqlite3 CLI.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agtel::store::json {

// Appends `s` as a JSON string, or as {"x":"<hex>"} when it is not valid UTF-8.
void write_string(std::string& out, std::string_view s);
void write_int(std::string& out, int64_t v);
// Finite doubles as the shortest text that reads back to the same bits (with ".0" when it
// would read as an integer); NaN and infinities as {"f":"nan"|"inf"|"-inf"}.
void write_double(std::string& out, double v);

// Reads one value at a time from `text`. Every function returns false (and leaves the
// cursor somewhere inside) on malformed input.
class cursor {
 public:
  explicit cursor(std::string_view text) noexcept : s_(text) {}

  bool at_end() const noexcept { return i_ >= s_.size(); }
  char peek() const noexcept { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) noexcept {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool expect(char c) noexcept { return eat(c); }

  // A JSON string (escapes decoded) or the {"x":"<hex>"} form.
  bool read_string(std::string& out);
  // A plain JSON string only (object keys).
  bool read_plain_string(std::string& out);
  // A number token: `is_double` says whether it had '.', 'e' or 'E'.
  bool read_number(int64_t& i, double& d, bool& is_double) noexcept;
  bool read_int(int64_t& v) noexcept;
  // A double: a number token or {"f":...}.
  bool read_double(double& v) noexcept;
  bool read_bool(bool& v) noexcept;
  // Skips one value of any shape (bounded nesting).
  bool skip_value(int depth = 0) noexcept;

  size_t position() const noexcept { return i_; }

 private:
  bool read_hex_string(std::string& out);
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace agtel::store::json

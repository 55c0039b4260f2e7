#include "config/toml_nesting.hpp"

#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid::config_detail {

namespace {

// A lexer just precise enough to tell keys, values, strings and comments apart. It never rejects
// a text: whatever it cannot follow, toml++ reports afterwards with its own message.
class NestingScan {
 public:
  NestingScan(std::string_view text, const std::string& source, int limit)
      : s_(text), source_(source), limit_(limit) {}

  void run() {
    while (!eof()) {
      switch (mode_) {
        case Mode::line_start:
          line_start();
          break;
        case Mode::key:
          key();
          break;
        case Mode::value:
          value();
          break;
      }
    }
  }

 private:
  enum class Mode { line_start, key, value };
  struct Container {
    char open;  // '[' or '{'
    int base;   // depth of the container's elements ('[') or of its keys' table ('{')
  };

  bool eof() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void advance() {
    if (s_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++i_;
  }
  void check(int depth) const {
    if (depth > limit_)
      throw InputError(SourceLocation{source_, line_, column_}, "",
                       "nested more than " + std::to_string(limit_) +
                           " levels deep (table headers, dotted keys, arrays and inline tables "
                           "together); a scenario needs a handful");
  }
  void skip_comment() {
    while (!eof() && peek() != '\n') advance();
  }
  // At a quote: past the string it opens (basic or literal, one line or multi-line).
  void skip_string() {
    const char q = peek();
    const bool escapes = q == '"';
    if (peek(1) == q && peek(2) == q) {
      for (int k = 0; k < 3; ++k) advance();
      while (!eof()) {
        if (escapes && peek() == '\\') {
          advance();
          if (!eof()) advance();
          continue;
        }
        if (peek() == q && peek(1) == q && peek(2) == q) {
          // Up to two more quotes may close the string ("""a"""" is a"); take them all.
          while (peek() == q) advance();
          return;
        }
        advance();
      }
      return;
    }
    advance();
    while (!eof() && peek() != q && peek() != '\n') {
      if (escapes && peek() == '\\') advance();
      if (!eof()) advance();
    }
    if (!eof() && peek() == q) advance();
  }

  void line_start() {
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '#') {
      skip_comment();
    } else if (c == '[') {
      header();
    } else {
      mode_ = Mode::key;
      key_base_ = table_depth_;
      key_parts_ = 1;
      check(key_base_ + key_parts_);
    }
  }

  // [a.b.c] or [[a.b.c]]: every later key of the table starts that deep.
  void header() {
    advance();
    if (peek() == '[') advance();
    int parts = 1;
    check(parts);
    while (!eof() && peek() != ']' && peek() != '\n') {
      if (peek() == '"' || peek() == '\'') {
        skip_string();
        continue;
      }
      if (peek() == '.') check(++parts);
      advance();
    }
    table_depth_ = parts;
    skip_comment();  // the closing brackets and any comment
  }

  // A key up to its '=': each dot is one table deeper.
  void key() {
    const char c = peek();
    if (c == '"' || c == '\'') {
      skip_string();
      return;
    }
    if (c == '.') check(key_base_ + ++key_parts_);
    if (c == '=') {
      depth_ = key_base_ + key_parts_;
      mode_ = Mode::value;
    } else if (c == '}' && !open_.empty()) {  // {} or a trailing separator
      open_.pop_back();
      mode_ = Mode::value;
    } else if (c == '\n' && open_.empty()) {  // not a key-value line; toml++ will say why
      mode_ = Mode::line_start;
    }
    advance();
  }

  void value() {
    const char c = peek();
    if (c == '"' || c == '\'') {
      skip_string();
      return;
    }
    if (c == '#') {
      skip_comment();
      return;
    }
    if (c == '[' || c == '{') {
      check(depth_ + 1);
      open_.push_back({c, c == '[' ? depth_ + 1 : depth_});
      if (c == '[') {
        depth_ += 1;
      } else {
        start_inline_key();
      }
    } else if ((c == ']' || c == '}') && !open_.empty()) {
      open_.pop_back();
    } else if (c == ',' && !open_.empty()) {
      if (open_.back().open == '{') {
        start_inline_key();
      } else {
        depth_ = open_.back().base;
      }
    } else if (c == '\n' && open_.empty()) {
      mode_ = Mode::line_start;
    }
    advance();
  }

  void start_inline_key() {
    mode_ = Mode::key;
    key_base_ = open_.back().base;
    key_parts_ = 1;
    check(key_base_ + key_parts_);
  }

  std::string_view s_;
  const std::string& source_;
  int limit_;
  std::size_t i_ = 0;
  int line_ = 1, column_ = 1;
  Mode mode_ = Mode::line_start;
  int table_depth_ = 0;  // parts of the last table header
  int key_base_ = 0, key_parts_ = 1;
  int depth_ = 0;  // depth of the value being read
  std::vector<Container> open_;
};

}  // namespace

void check_toml_nesting(std::string_view text, const std::string& source_name, int limit) {
  NestingScan(text, source_name, limit).run();
}

}  // namespace mfgrid::config_detail

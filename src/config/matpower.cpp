#include "mfgrid/config/matpower.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "config/text_file.hpp"
#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

struct Row {
  std::vector<double> values;
  std::vector<int> columns;  // source column of each value
  int line = 0;
  int column = 0;
};

struct Field {
  enum Kind { scalar, string, matrix, other } kind = other;
  double number = 0.0;
  std::string text;
  std::vector<Row> rows;
  int line = 0;
  int column = 0;
};

// A small reader for the subset of MATLAB that case files use: `mpc.x = value;` statements
// whose values are numbers, quoted strings, matrices and (ignored) cell arrays.
class CaseLexer {
 public:
  CaseLexer(std::string_view text, std::string source) : s_(text), source_(std::move(source)) {}

  std::map<std::string, Field> parse() {
    std::map<std::string, Field> fields;
    while (true) {
      skip_space(true);
      if (eof()) break;
      const int line = line_, column = column_;
      const std::string word = identifier();
      if (word.empty()) {
        skip_statement();
        continue;
      }
      if (word == "function") {
        skip_line();
        continue;
      }
      if (word.rfind("mpc.", 0) != 0) {
        skip_statement();
        continue;
      }
      skip_space(false);
      if (peek() != '=') {  // e.g. mpc.gen(:, 2) = …: indexed assignments are not case data
        skip_statement();
        continue;
      }
      advance();
      skip_space(false);
      Field f = value();
      f.line = line;
      f.column = column;
      fields[word.substr(4)] = std::move(f);
    }
    return fields;
  }

  [[noreturn]] void fail(int line, int column, const std::string& key,
                         const std::string& why) const {
    throw InputError(SourceLocation{source_, line, column}, key, why);
  }

 private:
  bool eof() const { return i_ >= s_.size(); }
  char peek() const { return eof() ? '\0' : s_[i_]; }
  void advance() {
    if (s_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++i_;
  }
  void skip_line() {
    while (!eof() && peek() != '\n') advance();
  }
  void skip_space(bool newlines) {
    while (!eof()) {
      const char c = peek();
      if (c == '%' || c == '#') {
        skip_line();
      } else if (c == ' ' || c == '\t' || c == '\r' || (newlines && (c == '\n' || c == ';'))) {
        advance();
      } else {
        break;
      }
    }
  }
  void skip_statement() {
    int depth = 0;
    while (!eof()) {
      const char c = peek();
      if (c == '%') {
        skip_line();
        continue;
      }
      if (c == '[' || c == '{' || c == '(') ++depth;
      if (c == ']' || c == '}' || c == ')') --depth;
      if (depth <= 0 && (c == ';' || c == '\n')) {
        advance();
        return;
      }
      advance();
    }
  }
  std::string identifier() {
    std::string out;
    while (!eof() &&
           (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '.')) {
      out += peek();
      advance();
    }
    return out;
  }
  double number(const std::string& key) {
    const char* begin = s_.data() + i_;
    char* end = nullptr;
    // strtod stops at the view's end because the case text always continues with a delimiter
    // or ends; copy the token to be safe.
    std::size_t n = 0;
    while (i_ + n < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_ + n])) &&
           s_[i_ + n] != ',' && s_[i_ + n] != ';' && s_[i_ + n] != ']' && s_[i_ + n] != '%')
      ++n;
    const std::string token(begin, n);
    const double v = std::strtod(token.c_str(), &end);
    if (token.empty() || end != token.c_str() + token.size())
      fail(line_, column_, key, "expected a number, got '" + token + "'");
    for (std::size_t k = 0; k < n; ++k) advance();
    return v;
  }
  Field value() {
    Field f;
    const char c = peek();
    if (c == '[') {
      f.kind = Field::matrix;
      advance();
      f.rows = matrix();
    } else if (c == '{') {
      f.kind = Field::other;
      skip_statement();
      return f;
    } else if (c == '\'' || c == '"') {
      f.kind = Field::string;
      const char quote = c;
      advance();
      while (!eof() && peek() != quote && peek() != '\n') {
        f.text += peek();
        advance();
      }
      if (!eof() && peek() == quote) advance();
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
      f.kind = Field::scalar;
      f.number = number("mpc");
    } else {
      skip_statement();
      return f;
    }
    skip_space(false);
    if (peek() == ';') advance();
    return f;
  }
  std::vector<Row> matrix() {
    std::vector<Row> rows;
    Row row;
    auto end_row = [&] {
      if (!row.values.empty()) rows.push_back(std::move(row));
      row = Row{};
    };
    while (true) {
      if (eof()) fail(line_, column_, "mpc", "matrix not closed with ']'");
      const char c = peek();
      if (c == ']') {
        advance();
        end_row();
        break;
      }
      if (c == '%') {
        skip_line();
      } else if (c == '\n' || c == ';') {
        advance();
        end_row();
      } else if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
        advance();
      } else if (c == '.' && s_.substr(i_, 3) == "...") {  // line continuation
        skip_line();
        if (!eof()) advance();
      } else {
        if (row.values.empty()) {
          row.line = line_;
          row.column = column_;
        }
        row.columns.push_back(column_);
        row.values.push_back(number("mpc"));
      }
    }
    return rows;
  }

  std::string_view s_;
  std::string source_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

const Field& require_matrix(const std::map<std::string, Field>& fields, const std::string& name,
                            std::size_t min_columns, const CaseLexer& lexer,
                            const std::string& source) {
  auto it = fields.find(name);
  if (it == fields.end() || it->second.kind != Field::matrix)
    throw InputError(SourceLocation{source, 0, 0}, "mpc." + name,
                     "missing; a case needs this matrix");
  for (const Row& r : it->second.rows)
    if (r.values.size() < min_columns)
      lexer.fail(r.line, r.column, "mpc." + name,
                 "row has " + std::to_string(r.values.size()) + " columns, at least " +
                     std::to_string(min_columns) + " are needed");
  return it->second;
}

std::string format_g(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

// Numbers in messages: short, unlike format_g, which writes numbers that read back exactly.
std::string short_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The columns of a matrix row that mfgrid reads, each checked where it is written: strtod
// accepts nan and inf, and a NaN compares false with every bound, so each value is checked to be
// finite and in its range before it is used (or cast to an integer).
class RowReader {
 public:
  RowReader(const CaseLexer& lexer, const Row& row, std::string key)
      : lexer_(lexer), row_(row), key_(std::move(key)) {}

  const Row& row() const { return row_; }
  [[noreturn]] void fail(std::size_t col, const std::string& why) const {
    lexer_.fail(row_.line, row_.columns.at(col), key_, why);
  }
  [[noreturn]] void fail_row(const std::string& why) const {
    lexer_.fail(row_.line, row_.column, key_, why);
  }
  // Column `col` (0-based; MATPOWER's documentation counts from 1) named `name`, in [lo, hi].
  double number(std::size_t col, const char* name, double lo, double hi) const {
    const double v = finite(col, name);
    if (v < lo || v > hi)
      fail(col, std::string(name) + " (column " + std::to_string(col + 1) + ") must be in [" +
                    short_g(lo) + ", " + short_g(hi) + "], got " + short_g(v));
    return v;
  }
  double finite(std::size_t col, const char* name) const {
    const double v = row_.values.at(col);
    if (!std::isfinite(v))
      fail(col, std::string(name) + " (column " + std::to_string(col + 1) +
                    ") must be a finite number, got " + short_g(v));
    return v;
  }

 private:
  const CaseLexer& lexer_;
  const Row& row_;
  std::string key_;
};

// Bus numbers are integers below 2^53 (exact in double).
constexpr double max_bus_number = 9007199254740992.0;

}  // namespace

MatpowerCase parse_matpower(std::string_view text, const std::string& source_name,
                            int cost_segments) {
  CaseLexer lexer(text, source_name);
  const auto fields = lexer.parse();

  if (auto v = fields.find("version"); v != fields.end()) {
    const std::string ver =
        v->second.kind == Field::scalar ? format_g(v->second.number) : v->second.text;
    if (ver != "2")
      lexer.fail(v->second.line, v->second.column, "mpc.version",
                 "case format version '" + ver + "' is not supported; save the case as version 2");
  } else {
    throw InputError(SourceLocation{source_name, 0, 0}, "mpc.version",
                     "missing; only version-2 cases (mpc.version = '2') are supported");
  }

  MatpowerCase result;
  NetworkSpec& net = result.network;
  net.periods = 1;
  if (auto b = fields.find("baseMVA"); b != fields.end()) {
    if (b->second.kind != Field::scalar || !(b->second.number >= limits::min_base_mva) ||
        !(b->second.number <= limits::max_base_mva))
      lexer.fail(b->second.line, b->second.column, "mpc.baseMVA",
                 "must be a number in [" + short_g(limits::min_base_mva) + ", " +
                     short_g(limits::max_base_mva) + "] MVA" +
                     (b->second.kind == Field::scalar ? ", got " + short_g(b->second.number) : ""));
    net.base_mva = b->second.number;
  } else {
    throw InputError(SourceLocation{source_name, 0, 0}, "mpc.baseMVA", "missing");
  }

  const Field& bus = require_matrix(fields, "bus", 13, lexer, source_name);
  const Field& gen = require_matrix(fields, "gen", 10, lexer, source_name);
  const Field& branch = require_matrix(fields, "branch", 11, lexer, source_name);
  const Field& gencost = require_matrix(fields, "gencost", 4, lexer, source_name);

  std::map<long long, int> index;  // MATPOWER bus number → our bus index; -1 for isolated
  int reference = -1;
  const double max_mw = limits::max_power_mw;
  for (const Row& r : bus.rows) {
    const RowReader row(lexer, r, "mpc.bus");
    if (!(r.values[0] >= 1) || r.values[0] != std::floor(r.values[0]) ||
        r.values[0] > max_bus_number)
      row.fail(0, "bus number must be a positive integer");
    const auto id = static_cast<long long>(r.values[0]);
    if (index.count(id))
      lexer.fail(r.line, r.column, "mpc.bus", "bus " + std::to_string(id) + " defined twice");
    const double type_value = r.values[1];
    if (!(type_value == 1 || type_value == 2 || type_value == 3 || type_value == 4))
      row.fail(1, "bus type must be 1, 2, 3 or 4, got " + short_g(type_value));
    const int type = static_cast<int>(type_value);
    if (type == 4) {
      index[id] = -1;
      continue;
    }
    const double load = row.number(2, "Pd", -max_mw, max_mw) + row.number(4, "Gs", -max_mw, max_mw);
    if (!(std::abs(load) <= max_mw))
      row.fail(2, "Pd + Gs = " + short_g(load) + " MW is beyond ±" + short_g(max_mw) + " MW");
    index[id] = static_cast<int>(net.buses.size());
    if (type == 3 && reference < 0) reference = static_cast<int>(net.buses.size());
    net.buses.push_back(BusSpec{std::to_string(id), {load}, {}, {}});
    result.bus_lines.push_back(r.line);
  }
  if (net.buses.empty())
    throw InputError(SourceLocation{source_name, bus.line, bus.column}, "mpc.bus",
                     "no in-service bus");
  if (reference < 0)
    throw InputError(SourceLocation{source_name, bus.line, bus.column}, "mpc.bus",
                     "no reference bus (type 3)");
  net.reference_bus = reference;

  auto bus_of = [&](const RowReader& row, std::size_t col) {
    const double number = row.row().values[col];
    // Checked before the cast: a NaN or huge double is no bus number (and casting it is UB).
    const bool integral =
        std::isfinite(number) && number == std::floor(number) && std::abs(number) <= max_bus_number;
    auto it = integral ? index.find(static_cast<long long>(number)) : index.end();
    if (it == index.end())
      row.fail(col, "refers to bus " + format_g(number) + ", which is not in mpc.bus");
    return it->second;
  };

  for (const Row& r : branch.rows) {
    const RowReader row(lexer, r, "mpc.branch");
    const int f = bus_of(row, 0);
    const int t = bus_of(row, 1);
    const double status = row.finite(10, "status");
    if (status <= 0 || f < 0 || t < 0) {
      ++result.skipped_branches;
      continue;
    }
    const double tap_value = row.number(8, "tap ratio", 0.0, 1e3);
    const double tap = tap_value == 0.0 ? 1.0 : tap_value;
    const double x = row.finite(3, "x") * tap;
    if (x == 0.0)
      lexer.fail(r.line, r.column, "mpc.branch", "zero reactance: a DC power flow needs x != 0");
    if (!(std::abs(x) >= limits::min_reactance_pu && std::abs(x) <= limits::max_reactance_pu))
      row.fail(3, "reactance x·tap = " + short_g(x) + " p.u. must have a magnitude in [" +
                      short_g(limits::min_reactance_pu) + ", " + short_g(limits::max_reactance_pu) +
                      "]");
    if (f == t) lexer.fail(r.line, r.column, "mpc.branch", "branch connects a bus to itself");
    LineSpec line;
    line.name = net.buses[f].name + "-" + net.buses[t].name;
    line.from = f;
    line.to = t;
    line.reactance_pu = x;
    line.limit_mw = row.number(5, "rateA", 0.0, max_mw);  // 0 = unlimited
    line.shift_deg = row.number(9, "shift angle", -360.0, 360.0);
    net.lines.push_back(line);
  }

  if (gencost.rows.size() < gen.rows.size())
    throw InputError(SourceLocation{source_name, gencost.line, gencost.column}, "mpc.gencost",
                     "has " + std::to_string(gencost.rows.size()) + " rows for " +
                         std::to_string(gen.rows.size()) + " generators");
  std::map<int, int> per_bus_count;
  for (std::size_t g = 0; g < gen.rows.size(); ++g) {
    const Row& r = gen.rows[g];
    const RowReader row(lexer, r, "mpc.gen");
    const int b = bus_of(row, 0);
    const double status = row.finite(7, "status");
    if (status <= 0 || b < 0) {
      ++result.skipped_generators;
      continue;
    }
    GeneratorSpec spec;
    spec.bus = b;
    spec.name = "g" + net.buses[b].name +
                (per_bus_count[b]++ ? "_" + std::to_string(per_bus_count[b]) : "");
    spec.pmax_mw = row.number(8, "Pmax", -max_mw, max_mw);
    spec.pmin_mw = row.number(9, "Pmin", -max_mw, max_mw);
    if (spec.pmin_mw > spec.pmax_mw)
      lexer.fail(r.line, r.column, "mpc.gen",
                 "Pmin " + format_g(spec.pmin_mw) + " exceeds Pmax " + format_g(spec.pmax_mw));
    const Row& c = gencost.rows[g];
    const RowReader cost(lexer, c, "mpc.gencost");
    const double model = c.values[0];
    if (!(model == 1 || model == 2))
      cost.fail(0,
                "cost model must be 1 (piecewise linear) or 2 (polynomial), got " + short_g(model));
    // n is checked in double, against what the row holds, before it is cast: a negative, NaN or
    // huge n must not become a size_t that wraps past the bounds check.
    const bool polynomial = model == 2;
    const std::size_t per_item = polynomial ? 1 : 2;
    const std::size_t most = (c.values.size() - 4) / per_item;
    const double least = polynomial ? 1 : 2, n_value = c.values[3];
    const char* items = polynomial ? "coefficients" : "points";
    if (!(n_value == std::floor(n_value)) || !(n_value >= least))
      cost.fail(3, std::string(polynomial ? "polynomial" : "piecewise") + " cost: n = " +
                       short_g(n_value) + " must be an integer >= " + short_g(least) +
                       " (the number of " + items + ")");
    if (n_value > static_cast<double>(most))
      cost.fail(3, std::string(polynomial ? "polynomial" : "piecewise") + " cost declares " +
                       short_g(n_value) + " " + items + " but the row has " + std::to_string(most));
    const auto n = static_cast<std::size_t>(n_value);
    // Every value n covers is finite: the cost-curve code refuses others too, but here the error
    // points at the column.
    for (std::size_t k = 4; k < 4 + per_item * n; ++k)
      cost.finite(k, polynomial ? "cost coefficient" : "cost point");
    try {
      if (model == 2) {
        set_polynomial_cost(spec, std::span<const double>(c.values).subspan(4, n), cost_segments);
      } else {
        std::vector<std::pair<double, double>> pts;
        for (std::size_t k = 0; k < n; ++k)
          pts.emplace_back(c.values[4 + 2 * k], c.values[5 + 2 * k]);
        set_piecewise_cost(spec, pts);
      }
    } catch (const std::invalid_argument& e) {
      lexer.fail(c.line, c.column, "mpc.gencost", e.what());
    }
    net.generators.push_back(std::move(spec));
  }
  return result;
}

MatpowerCase read_matpower(const std::string& path, int cost_segments) {
  return parse_matpower(config_detail::read_text_file(path, "MATPOWER case file"), path,
                        cost_segments);
}

void write_matpower(const NetworkSpec& net, std::ostream& out, int period,
                    std::string_view case_name) {
  std::vector<bool> has_gen(net.buses.size(), false);
  for (const auto& g : net.generators) has_gen[static_cast<std::size_t>(g.bus)] = true;
  out << "function mpc = " << case_name << "\n"
      << "% Written by mfgrid: DC data only (reactive, voltage and resistance columns are "
         "placeholders).\n"
      << "mpc.version = '2';\n"
      << "mpc.baseMVA = " << format_g(net.base_mva) << ";\n\n"
      << "%% bus data\n%\tbus_i\ttype\tPd\tQd\tGs\tBs\tarea\tVm\tVa\tbaseKV\tzone\tVmax\tVmin\n"
      << "mpc.bus = [\n";
  for (std::size_t b = 0; b < net.buses.size(); ++b) {
    const int type = static_cast<int>(b) == net.reference_bus ? 3 : (has_gen[b] ? 2 : 1);
    out << '\t' << b + 1 << '\t' << type << '\t'
        << format_g(net.buses[b].base_load_mw[static_cast<std::size_t>(period)])
        << "\t0\t0\t0\t1\t1\t0\t0\t1\t1.1\t0.9;\t% " << net.buses[b].name << "\n";
  }
  out << "];\n\n%% generator data\n%\tbus\tPg\tQg\tQmax\tQmin\tVg\tmBase\tstatus\tPmax\tPmin\n"
      << "mpc.gen = [\n";
  for (const auto& g : net.generators)
    out << '\t' << g.bus + 1 << "\t0\t0\t0\t0\t1\t" << format_g(net.base_mva) << "\t1\t"
        << format_g(g.pmax_mw) << '\t' << format_g(g.pmin_mw) << ";\t% " << g.name << "\n";
  out << "];\n\n%% branch "
         "data\n%\tfbus\ttbus\tr\tx\tb\trateA\trateB\trateC\tratio\tangle\tstatus\tangmin\tangmax\n"
      << "mpc.branch = [\n";
  for (const auto& l : net.lines)
    out << '\t' << l.from + 1 << '\t' << l.to + 1 << "\t0\t" << format_g(l.reactance_pu) << "\t0\t"
        << format_g(l.limit_mw) << "\t0\t0\t0\t" << format_g(l.shift_deg) << "\t1\t-360\t360;\t% "
        << l.name << "\n";
  out << "];\n\n%% generator cost data (piecewise linear: n, then x1 y1 ... xn yn)\n"
      << "mpc.gencost = [\n";
  for (const auto& g : net.generators) {
    const auto pts = cost_points(g);
    out << "\t1\t0\t0\t" << pts.size();
    for (const auto& [x, y] : pts) out << '\t' << format_g(x) << '\t' << format_g(y);
    out << ";\n";
  }
  out << "];\n";
}

}  // namespace mfgrid

// Errors mfgrid reports to its users.
//
// Every error the user can fix by editing an input carries where the input went wrong, so the
// message reads like a compiler's: `file:line:column: key: what is wrong`.
#pragma once

#include <stdexcept>
#include <string>

namespace mfgrid {

// A position in a user's input. line == 0 means the position is the whole source (for example a
// `--set key=value` override, whose "file" is the override itself).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  std::string str() const;
};

// Base of every error mfgrid throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A mistake in the user's input: a scenario file, a `--set` override, a MATPOWER case.
// The command line exits with code 2 and runs nothing.
class InputError : public Error {
 public:
  InputError(SourceLocation where, std::string key, std::string reason);

  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key() const noexcept { return key_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string reason_;
};

// A failure of the environment rather than of the input: a file that cannot be read or written,
// an HDF5 or MPI failure. Carries the path and the reason.
class IoError : public Error {
 public:
  IoError(std::string path, const std::string& reason);
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace mfgrid

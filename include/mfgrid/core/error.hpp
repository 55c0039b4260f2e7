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

// An error about a file: its path and the reason ("PATH: reason").
class FileError : public Error {
 public:
  FileError(std::string path, std::string reason);
  const std::string& path() const noexcept { return path_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// A file the user named that cannot be used as asked: missing, not a regular file, in use by
// another run, existing where a new one was asked for, foreign, truncated or damaged. The command
// line exits with code 2, as for other bad input.
class IoError : public FileError {
 public:
  using FileError::FileError;
};

// Reading or writing failed while mfgrid was working with a file it had opened: no space left on
// the device, a quota, a device error. Not the input's fault: the command line exits with code 1.
class IoFailure : public FileError {
 public:
  using FileError::FileError;
};

// A number the simulation produced is not one it may carry on with: not finite, a distribution
// that does not sum to one, a state outside its bounds. Names the day and the quantity; the run
// stops before that day is written. The command line exits with code 1.
class NumericError : public Error {
 public:
  using Error::Error;
};

}  // namespace mfgrid

// Reading a run file that may be damaged without letting HDF5 take mfgrid down with it.
//
// HDF5 1.10 trusts the sizes and offsets in its global heap, where it keeps variable-length
// attribute text and dimension lists — the one part of a file without a checksum. A damaged heap
// makes it crash or loop forever inside H5Aread (found by fuzzing the readers; tests/fuzz/known/),
// before mfgrid's own checksum over that text can be compared. So the commands that open a file a
// user hands them first read it in a child process, before MPI starts: a crash or a hang there is
// reported as a damaged file, and the real reading, which reads the same bytes, is known to pass.
#pragma once

#include <functional>
#include <string>

namespace mfgrid {

// Runs `reading` in a child process. Returns its exit code (0 when it returned normally);
// throws IoError(path, why) when the child was killed by a signal or did not finish within
// `timeout_seconds`, and the child's IoError (its message) when it threw one.
int read_in_child(const std::string& path, const std::function<int()>& reading,
                  double timeout_seconds = 20.0);

// The header and every text HDF5 keeps without a checksum (checked against the file's
// metadata checksum), read in a child: what `resume` and `run --continue` read first.
void probe_run_file(const std::string& path);

}  // namespace mfgrid

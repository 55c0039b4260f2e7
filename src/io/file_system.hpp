// What the run file needs of the file system beyond HDF5 (private to io): refusing outputs that
// are not regular files, creating a new file atomically, free space, and why a write failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mfgrid::io {

// Throws IoError when `path` exists and is not a regular file (a directory, device, FIFO,
// socket or symbolic link; links are not followed): run files are written and replaced only as
// regular files. `role` names the file in the message ("the output", "the interrupted run").
void require_regular_or_absent(const std::string& path, const char* role);

// Creates `path` as a new, empty regular file, atomically (O_CREAT | O_EXCL: two runs can never
// both start it, and a symbolic link there is never followed). With `replace`, an existing
// regular file at `path` is removed first. Throws IoError when `path` exists (without `replace`)
// or cannot be created.
void create_exclusively(const std::string& path, bool replace);

// Waits until the file's data is on the disk (fsync), before it replaces another by a rename;
// IoFailure when the system says it cannot be.
void sync_to_disk(const std::string& path);

// Bytes an unprivileged writer may still use on the file system of `path` (statvfs), if known.
std::optional<std::uint64_t> free_bytes(const std::string& path);

// Refuses (IoFailure, "no space left on device") a write of about `bytes` to `path` when the file
// system has less free space than that; `what` names the write.
void require_space(const std::string& path, std::uint64_t bytes, const std::string& what);

// Why a write to `path` failed, as precisely as the system tells: "no space left on device (…
// free)" when the file system is full, else errno's text (when the failed call set it), else
// `fallback`.
std::string write_failure_reason(const std::string& path, int saved_errno,
                                 const std::string& fallback);

}  // namespace mfgrid::io

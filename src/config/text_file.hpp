// Reading a text input a user names (a scenario file, a MATPOWER case): checked before it is read.
#pragma once

#include <string>
#include <string_view>

namespace mfgrid::config_detail {

// The whole of the file at `path`. Throws IoError(path, reason) unless it is a regular file of at
// most limits::max_text_file_bytes: a device (/dev/zero) or a FIFO would otherwise be read forever
// or block. `what` names the file in messages ("scenario file", "MATPOWER case file").
std::string read_text_file(const std::string& path, std::string_view what);

}  // namespace mfgrid::config_detail

// Every path a user names is checked before it is read: a device (/dev/zero read 6.5 GB in 30 s),
// a FIFO (blocked forever), a directory or a file beyond the size limit is an error at once.
#include "config/text_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

namespace fs = std::filesystem;

// A scratch directory of its own, removed afterwards.
class TextFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mfgrid_text_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// The reason an IoError gives for `path`, which must come at once.
std::string io_error(const std::function<void()>& read) {
  const auto start = std::chrono::steady_clock::now();
  try {
    read();
  } catch (const IoError& e) {
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    return e.what();
  }
  ADD_FAILURE() << "no IoError";
  return "";
}

TEST_F(TextFiles, DevicesFifosAndDirectoriesAreNotRead) {
  const std::string fifo = path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& p : {std::string("/dev/zero"), fifo, dir_.string()}) {
    EXPECT_NE(io_error([&] {
                config_detail::read_text_file(p, "scenario file");
              }).find("scenario file is not a regular file"),
              std::string::npos)
        << p;
    EXPECT_NE(io_error([&] { read_matpower(p); }).find("MATPOWER case file is not a regular file"),
              std::string::npos)
        << p;
    EXPECT_NE(io_error([&] { load_scenario(p); }).find("not a regular file"), std::string::npos)
        << p;
  }
  EXPECT_NE(io_error([&] { read_matpower(path("missing.m")); }).find("No such file"),
            std::string::npos);
}

TEST_F(TextFiles, FilesBeyondTheSizeLimitAreNotRead) {
  const std::string big = path("big.m");
  {
    // A sparse file: the size is what is checked, nothing is read.
    std::ofstream(big).put('%');
    fs::resize_file(big, limits::max_text_file_bytes + 1);
  }
  EXPECT_NE(io_error([&] { read_matpower(big); }).find("text inputs are limited to 256.0 MiB"),
            std::string::npos);
  fs::resize_file(big, 10);
  EXPECT_EQ(config_detail::read_text_file(big, "x").size(), 10u);
}

TEST_F(TextFiles, AScenariosMatpowerPathIsCheckedTheSameWay) {
  for (const std::string& p : {std::string("/dev/zero"), path("fifo")}) {
    if (p != "/dev/zero") {
      ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
    }
    std::string text = testing::small_scenario();
    const auto begin = text.find("[network]"), end = text.find("[households]");
    text.replace(begin, end - begin, "[network]\nmatpower = \"" + p + "\"\n\n");
    try {
      parse_scenario(text, "s.toml");
      ADD_FAILURE() << p;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().line, 15) << e.what();
      EXPECT_EQ(e.key(), "network.matpower");
      EXPECT_NE(e.reason().find("MATPOWER case file is not a regular file"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace mfgrid

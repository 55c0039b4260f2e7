// The run file's lock: one holder, named to whoever else asks; stale locks taken over only when
// the holder is certainly gone.
#include "mfgrid/io/run_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

namespace fs = std::filesystem;

class RunLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgrid_lock_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    unsetenv("SLURM_JOB_ID");
  }
  void TearDown() override {
    unsetenv("SLURM_JOB_ID");
    fs::remove_all(dir_);
  }
  std::string out() const { return (dir_ / "out.h5").string(); }
  std::string text(const std::string& path) const {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // A lock file as a holder that died would leave it: its record, no lock.
  void leave_record(const std::string& host, const std::string& pid, const std::string& job) {
    std::ofstream(lock_path(out())) << "host=" << host << "\npid=" << pid << "\njob=" << job
                                    << "\nsince=2026-01-01T00:00:00Z\ncommand=mfgrid run\n";
  }
  fs::path dir_;
};

TEST_F(RunLockTest, TheHolderIsWrittenDownAndTheFileGoesWithTheLock) {
  {
    RunLock lock = RunLock::acquire(out(), nullptr);
    EXPECT_TRUE(lock.held());
    const std::string record = text(lock_path(out()));
    EXPECT_NE(record.find("pid=" + std::to_string(getpid())), std::string::npos) << record;
    EXPECT_NE(record.find("host=" + RunLock::self().host), std::string::npos) << record;
    EXPECT_EQ(RunLock::inspect(out()).kind, LockState::Kind::held);
  }
  EXPECT_FALSE(fs::exists(lock_path(out())));
  EXPECT_EQ(RunLock::inspect(out()).kind, LockState::Kind::none);
}

TEST_F(RunLockTest, ASecondWriterIsRefusedWithTheHoldersName) {
  // Locks of open file descriptions: a second acquisition conflicts even in the same process.
  RunLock first = RunLock::acquire(out(), nullptr);
  try {
    RunLock::acquire(out(), nullptr);
    FAIL() << "two holders";
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("in use by host " + RunLock::self().host), std::string::npos) << what;
    EXPECT_NE(what.find("pid " + std::to_string(getpid())), std::string::npos) << what;
  }
  EXPECT_THROW(RunLock::refuse_if_held(out()), IoError);
  EXPECT_TRUE(first.held());
}

TEST_F(RunLockTest, AStaleLockOfThisHostIsTakenOver) {
  leave_record(RunLock::self().host, "999999999", "");
  const LockState state = RunLock::inspect(out());
  ASSERT_EQ(state.kind, LockState::Kind::stale);
  EXPECT_NE(state.advice.find("takes it over"), std::string::npos) << state.advice;
  std::optional<LockHolder> previous;
  RunLock lock = RunLock::acquire(out(), &previous);
  ASSERT_TRUE(previous.has_value());
  EXPECT_EQ(previous->pid, "999999999");
  EXPECT_NE(text(lock_path(out())).find("pid=" + std::to_string(getpid())), std::string::npos);
}

TEST_F(RunLockTest, AStaleLockOfAnotherHostIsRefusedWithHowToClearIt) {
  leave_record("some-other-node", "1234", "77");
  EXPECT_EQ(RunLock::inspect(out()).kind, LockState::Kind::stale);
  EXPECT_NE(RunLock::inspect(out()).advice.find("remove " + lock_path(out())), std::string::npos);
  try {
    RunLock::acquire(out(), nullptr);
    FAIL() << "took over a lock whose holder cannot be checked";
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("host some-other-node, pid 1234, SLURM job 77"), std::string::npos) << what;
    EXPECT_NE(what.find("remove " + lock_path(out())), std::string::npos) << what;
  }
  EXPECT_TRUE(fs::exists(lock_path(out())));  // left for the user to judge
}

TEST_F(RunLockTest, TheSameSlurmJobRequeuedOnAnotherNodeTakesItsLockOver) {
  leave_record("some-other-node", "1234", "4242");
  setenv("SLURM_JOB_ID", "4242", 1);
  std::optional<LockHolder> previous;
  RunLock lock = RunLock::acquire(out(), &previous);
  ASSERT_TRUE(previous.has_value());
  EXPECT_EQ(previous->job, "4242");
  EXPECT_NE(text(lock_path(out())).find("job=4242"), std::string::npos);
}

TEST_F(RunLockTest, ALockFileThatIsNotARegularFileIsRefused) {
  fs::create_symlink(dir_ / "elsewhere", lock_path(out()));
  EXPECT_THROW(RunLock::acquire(out(), nullptr), IoError);
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));  // the link was not followed
}

}  // namespace
}  // namespace mfgrid

#include "mfgrid/core/stop_signal.hpp"

#include <csignal>

namespace mfgrid {

namespace {
volatile std::sig_atomic_t received = 0;
extern "C" void on_stop_signal(int signal) { received = signal; }
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a signal must not fail an MPI or file call half-way
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGUSR1, &action, nullptr);
}

int stop_signal() noexcept { return received; }

}  // namespace mfgrid

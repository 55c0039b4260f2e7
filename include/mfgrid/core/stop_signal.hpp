// Graceful stop: SIGTERM and SIGUSR1 (what SLURM sends before a time limit, `scancel --signal`)
// only raise a flag; the run finishes its day, checkpoints and exits.
#pragma once

namespace mfgrid {

// Installs the handlers (idempotent). Other signals keep their default action.
void install_stop_handlers();
// The signal received since the handlers were installed, or 0.
int stop_signal() noexcept;

}  // namespace mfgrid

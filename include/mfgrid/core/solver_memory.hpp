// The allocator setting a program that runs CLP many times wants (the market clearing every
// period, the households' QPs every day).
#pragma once

namespace mfgrid {

// CLP allocates its work arrays at the start of every solve and frees them at its end. With
// glibc's defaults each free at the top of the heap hands the memory back to the system, and the
// next solve takes it again page by page: in a virtual machine, where a page fault is costly, that
// was most of a small clearing's time (3 buses, warm: 158 µs, 35 µs with this; ACTIVSg2000: 36 →
// 19 ms; the default 30-day run 1.34 → 1.11 s). This keeps 64 MiB of padding at the top of the
// heap, so the memory stays with the process. It changes no result. Programs call it once at
// start (the command line, the benchmarks); the library does not, the allocator being the
// program's. Nothing to do where the C library is not glibc.
void keep_solver_memory();

}  // namespace mfgrid

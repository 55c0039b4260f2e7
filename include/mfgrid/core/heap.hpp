// The C library's heap, set for code that allocates and frees the same work arrays over and over.
//
// CLP allocates its factorisation and work arrays (a few hundred kB) at every solve and frees them
// at its end; a day of dsm-community solves 400 household QPs. glibc's defaults hand memory at the
// top of the heap back to the operating system as soon as 128 kB of it is free, and serve blocks
// of 128 kB or more with mmap, so every solve grew and shrank the heap (2 400 brk calls a simulated
// day) and faulted its pages in again: on this project's 2-core AMD machine a one-thread
// dsm-community day spent 70 % of its time in the kernel, and one household LP took 312 µs
// instead of 29 µs (bench/README.md).
#pragma once

namespace mfgrid {

// Keeps freed heap memory in the process for the next allocation: blocks up to 32 MiB come from
// the heap, and the heap returns memory to the operating system only when 128 MiB at its top are
// free (it also grows by 16 MiB at a time). The first call sets this for the whole process; later
// calls do nothing. Results do not change, only where the memory comes from. Without glibc it
// does nothing.
void keep_freed_heap_memory();

}  // namespace mfgrid

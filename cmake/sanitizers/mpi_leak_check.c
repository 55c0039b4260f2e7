/* Sanitizer builds only (MFGRID_SANITIZE): MPI_Init, MPI_Init_thread and MPI_Finalize wrapped
 * through the MPI profiling interface (PMPI), so that LeakSanitizer reports leaks of ours and can
 * name the third-party ones.
 *
 * Open MPI and PMIx load their plugins (mca_*.so) with dlopen and dlclose them again: the ones not
 * selected already inside MPI_Init, all of them in MPI_Finalize. LeakSanitizer's usual check at
 * exit finds their leaks with stacks in "<unknown module>", which no suppression can name (the
 * fast unwinder stops in Debian's libraries, built without frame pointers, so such a stack holds
 * no frame of a library still loaded). Hence:
 *  - what MPI_Init and MPI_Init_thread allocate on the calling thread is never reported
 *    (__lsan_disable): MPI's own start-up, no code of ours runs inside;
 *  - the leak check runs at the start of MPI_Finalize instead of at exit, while every plugin still
 *    loaded after MPI_Init is there: each leak's allocating frame names its library, and
 *    tests/sanitizers/lsan.supp suppresses those of third-party libraries. What MPI or HDF5 still
 *    hold at this point is reachable from their globals and is not reported; memory of ours that
 *    nothing points to any more is reported just as at exit. The check runs once (LeakSanitizer
 *    skips its exit check afterwards); a process that never finalizes MPI is checked at exit.
 *
 * Definitions of these functions in an executable (or pulled from libmfgrid.a ahead of
 * libmpi.so) take the place of Open MPI's; the PMPI_ functions are the real ones. */
#include <mpi.h>
#include <sanitizer/lsan_interface.h>

int MPI_Init(int* argc, char*** argv) {
  __lsan_disable();
  const int rc = PMPI_Init(argc, argv);
  __lsan_enable();
  return rc;
}

int MPI_Init_thread(int* argc, char*** argv, int required, int* provided) {
  __lsan_disable();
  const int rc = PMPI_Init_thread(argc, argv, required, provided);
  __lsan_enable();
  return rc;
}

int MPI_Finalize(void) {
  __lsan_do_leak_check();
  return PMPI_Finalize();
}

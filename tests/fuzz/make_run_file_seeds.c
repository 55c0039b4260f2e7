// Small HDF5 files shaped like mfgrid run files: seeds for the run_file fuzzer
// (corpus/run_file/header-only, summary-contiguous, summary-chunked, foreign-format) and the
// crafted files of the open findings in known/run_file/ (io-*). Not built by CMake:
//   h5pcc -o make_run_file_seeds make_run_file_seeds.c && mkdir -p crafted && ./make_run_file_seeds
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t fnv(const char* s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; ++s) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}
static void str_attr(hid_t loc, const char* name, const char* value) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, &value);
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}
static void int_attr(hid_t loc, const char* name, int64_t v) {
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(loc, name, H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, &v);
  H5Aclose(a);
  H5Sclose(s);
}
static hid_t dataset(hid_t f, const char* name, int rank, const hsize_t* dims, const double* data,
                     int chunked) {
  hsize_t maxdims[4];
  for (int i = 0; i < rank; ++i) maxdims[i] = chunked && i == 0 ? H5S_UNLIMITED : dims[i];
  hid_t s = H5Screate_simple(rank, dims, maxdims);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (chunked) {
    hsize_t chunk[4];
    for (int i = 0; i < rank; ++i) chunk[i] = dims[i] ? dims[i] : 1;
    H5Pset_chunk(dcpl, rank, chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 4);
    H5Pset_fletcher32(dcpl);
  }
  hid_t d = H5Dcreate2(f, name, H5T_IEEE_F64LE, s, lcpl, dcpl, H5P_DEFAULT);
  if (data) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Pclose(dcpl);
  H5Pclose(lcpl);
  H5Sclose(s);
  return d;
}
static hid_t create(const char* path) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_link_phase_change(fcpl, 4096, 4095);
  H5Pset_attr_phase_change(fcpl, 1024, 1023);
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
  H5Pclose(fapl);
  H5Pclose(fcpl);
  return f;
}

static void vlen_array_attr(hid_t loc, const char* name, const char** values, hsize_t n) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  hid_t s = H5Screate_simple(1, &n, NULL);
  hid_t a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, values);
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}
static void fixed_array_attr(hid_t loc, const char* name, const char* values, size_t size,
                             hsize_t n) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, size);
  hid_t s = H5Screate_simple(1, &n, NULL);
  hid_t a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, values);
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}
static void int_array_attr(hid_t loc, const char* name, const int64_t* v, hsize_t n) {
  hid_t s = H5Screate_simple(1, &n, NULL);
  hid_t a = H5Acreate2(loc, name, H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, v);
  H5Aclose(a);
  H5Sclose(s);
}
// A header whose attribute `skip` is left out (the caller writes its own).
static void header_but(hid_t f, const char* skip);
static void header(hid_t f) { header_but(f, ""); }
static void header_but(hid_t f, const char* skip) {
  const char* toml = "[scenario]\nname = \"x\"\n";
  char sum[17];
  snprintf(sum, sizeof sum, "%016llx", (unsigned long long)fnv(toml));
  if (strcmp(skip, "format")) str_attr(f, "format", "mfgrid-run");
  if (strcmp(skip, "format_version")) int_attr(f, "format_version", 1);
  if (strcmp(skip, "scenario")) str_attr(f, "scenario", toml);
  if (strcmp(skip, "scenario_fnv1a64")) str_attr(f, "scenario_fnv1a64", sum);
  if (strcmp(skip, "scenario_name")) str_attr(f, "scenario_name", "x");
  if (strcmp(skip, "scenario_dir")) str_attr(f, "scenario_dir", ".");
  if (strcmp(skip, "version")) str_attr(f, "version", "0.1.0");
  if (strcmp(skip, "git_revision")) str_attr(f, "git_revision", "seed");
  if (strcmp(skip, "created")) str_attr(f, "created", "2026-01-01T00:00:00Z");
  if (strcmp(skip, "seed")) int_attr(f, "seed", 1);
  if (strcmp(skip, "ranks")) int_attr(f, "ranks", 1);
  if (strcmp(skip, "threads")) int_attr(f, "threads", 1);
  if (strcmp(skip, "days")) int_attr(f, "days", 2);
  if (strcmp(skip, "days_done")) int_attr(f, "days_done", 1);
  if (strcmp(skip, "complete")) int_attr(f, "complete", 0);
  if (strcmp(skip, "checkpoint_day")) int_attr(f, "checkpoint_day", 1);
}
static void summary(hid_t f, int chunked) {
  const double v[4] = {1, 2, 3, 4};
  hsize_t one[1] = {2}, two[2] = {1, 2};
  hid_t d = dataset(f, "param", 1, one, v, 0);
  str_attr(d, "labels", "a, b");
  H5Dclose(d);
  d = dataset(f, "group", 1, one, v, 0);
  str_attr(d, "labels", "low, high");
  H5Dclose(d);
  H5Dclose(dataset(f, "tariff/theta", 2, two, v, chunked));
  H5Dclose(dataset(f, "outcome/eei", 2, two, v, chunked));
  H5Dclose(dataset(f, "outcome/bill", 2, two, v, chunked));
  hsize_t row[1] = {1};
  H5Dclose(dataset(f, "outcome/inequality", 1, row, v, chunked));
  H5Dclose(dataset(f, "outcome/revenue_adequacy", 1, row, v, chunked));
  H5Dclose(dataset(f, "outcome/cost", 1, row, v, chunked));
  H5Dclose(dataset(f, "iteration", 1, row, v, 0));
  H5Dclose(dataset(f, "followers/policy_residual", 1, row, v, chunked));
  H5Dclose(dataset(f, "followers/meanfield_residual", 1, row, v, chunked));
  H5Dclose(dataset(f, "followers/converged", 1, row, v, chunked));
  H5Dclose(dataset(f, "leader/objective", 1, one, v, chunked));
}
int main(void) {
  hid_t f = create("header_only.h5");
  header(f);
  H5Fclose(f);
  f = create("summary_contiguous.h5");
  header(f);
  summary(f, 0);
  H5Fclose(f);
  f = create("summary_chunked.h5");
  header(f);
  summary(f, 1);
  H5Fclose(f);
  f = create("foreign.h5");
  str_attr(f, "format", "netcdf");
  H5Fclose(f);

  // Crafted files: each one valid HDF5, shaped to break one assumption of the readers.
  {  // the format attribute: two variable-length strings instead of one
    f = create("crafted/format-vlen-array");
    header_but(f, "format");
    const char* v[2] = {"mfgrid-run", "mfgrid-run"};
    vlen_array_attr(f, "format", v, 2);
    H5Fclose(f);
  }
  {  // the format attribute: four fixed-length strings of 10 bytes
    f = create("crafted/format-fixed-array");
    header_but(f, "format");
    fixed_array_attr(f, "format", "mfgrid-runmfgrid-runmfgrid-runmfgrid-run", 10, 4);
    H5Fclose(f);
  }
  {  // days: four integers instead of one
    f = create("crafted/days-int-array");
    header_but(f, "days");
    const int64_t v[4] = {2, 2, 2, 2};
    int_array_attr(f, "days", v, 4);
    H5Fclose(f);
  }
  {  // the group labels with an empty item
    f = create("crafted/labels-empty-item");
    header(f);
    summary(f, 0);
    hid_t d = H5Dopen2(f, "group", H5P_DEFAULT);
    H5Adelete(d, "labels");
    str_attr(d, "labels", "low,,high");
    H5Dclose(d);
    H5Fclose(f);
  }
  {  // iteration: a scalar dataset
    f = create("crafted/iteration-scalar");
    header(f);
    summary(f, 0);
    H5Ldelete(f, "iteration", H5P_DEFAULT);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t d = H5Dcreate2(f, "iteration", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
  }
  {  // tariff/theta: [1, 2^40] elements, chunked, none written (a small file)
    f = create("crafted/theta-huge-row");
    header(f);
    summary(f, 0);
    H5Ldelete(f, "tariff/theta", H5P_DEFAULT);
    hsize_t dims[2] = {1, (hsize_t)1 << 40}, chunk[2] = {1, 1024};
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    hid_t d = H5Dcreate2(f, "tariff/theta", H5T_IEEE_F64LE, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(s);
    H5Fclose(f);
  }
  {  // a dataset of variable-length strings (verify_run_file reads every dataset)
    f = create("crafted/vlen-dataset");
    header(f);
    summary(f, 0);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    hsize_t n = 3;
    const char* v[3] = {"a", "bb", "ccc"};
    hid_t s = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(f, "notes", t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d);
    H5Sclose(s);
    H5Tclose(t);
    H5Fclose(f);
  }
  {  // a dataset of 2^40 bytes, chunked, none written
    f = create("crafted/huge-dataset");
    header(f);
    summary(f, 0);
    hsize_t n = (hsize_t)1 << 40, chunk = 4096;
    hid_t s = H5Screate_simple(1, &n, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    hid_t d = H5Dcreate2(f, "big", H5T_STD_U8LE, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(s);
    H5Fclose(f);
  }
  return 0;
}

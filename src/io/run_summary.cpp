#include "mfgrid/io/run_summary.hpp"

#include <algorithm>
#include <sstream>

#include "io/checksums.hpp"
#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

std::vector<std::string> labels(hid_t file, const std::string& dim) {
  h5::Id ds = h5::open_dataset(file, dim);
  std::vector<std::string> out;
  if (!h5::has_attribute(ds, "labels")) return out;
  std::stringstream in(h5::string_attribute(ds, "labels"));
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(' ');
    out.push_back(first == std::string::npos ? std::string() : item.substr(first));
  }
  return out;
}

// The last row of a [row, …] dataset (empty when it has none).
std::vector<double> last_row(hid_t file, const std::string& name) {
  h5::Id ds = h5::open_dataset(file, name);
  const auto e = h5::extent(ds);
  if (h5::rows(ds) == 0) return {};
  h5::require_plausible(ds, e[0]);
  hsize_t row = 1;
  for (std::size_t i = 1; i < e.size(); ++i) row *= e[i];
  std::vector<double> out(row);
  const std::pair<hsize_t, hsize_t> block{e[0] - 1, 1};
  h5::read_blocks(ds, H5T_NATIVE_DOUBLE, {&block, 1}, out.data());
  return out;
}

double last_value(hid_t file, const std::string& name) {
  const auto v = last_row(file, name);
  return v.empty() ? 0.0 : v.front();
}

}  // namespace

std::size_t verify_run_file(const std::string& path) {
  const RunFileHeader header = read_run_header(path);
  h5::Id file = h5::open_file(header.path, MPI_COMM_NULL, false);
  const std::vector<std::string> names = h5::dataset_names(file);
  // The text and dimension lists HDF5 keeps without a checksum (checked where the file has ours).
  if (h5::has_attribute(file, io::metadata_checksum_attribute) &&
      h5::string_attribute(file, io::metadata_checksum_attribute) != io::metadata_checksum(file))
    throw IoError(header.path,
                  "attribute text or dimension lists are damaged (their checksum does not match)");
  for (const std::string& name : names) {
    h5::Id ds = h5::open_dataset(file, name);
    if (h5::extent(ds).empty()) {  // a scalar: one value
      h5::Id type(H5Dget_type(ds), H5Tclose);
      if (H5Tdetect_class(type, H5T_VLEN) > 0 || H5Tis_variable_str(type) > 0)
        throw IoError(header.path, "dataset '" + name + "' is not one mfgrid writes");
      std::vector<unsigned char> value(H5Tget_size(type));
      h5::check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.data()), header.path,
                "dataset '" + name + "' is damaged");
      continue;
    }
    h5::read_checked(ds, h5::rows(ds));
  }
  return names.size();
}

RunSummary read_run_summary(const std::string& path) {
  RunSummary s;
  s.header = read_run_header(path);
  h5::Id file = h5::open_file(s.header.path, MPI_COMM_NULL, false);
  s.params = labels(file, "param");
  s.groups = labels(file, "group");
  s.theta = last_row(file, "tariff/theta");
  s.eei = last_row(file, "outcome/eei");
  s.bill = last_row(file, "outcome/bill");
  s.inequality = last_value(file, "outcome/inequality");
  s.revenue_adequacy = last_value(file, "outcome/revenue_adequacy");
  s.cost = last_value(file, "outcome/cost");
  s.follower_updates = static_cast<std::int64_t>(h5::rows(h5::open_dataset(file, "iteration")));
  s.policy_residual = last_value(file, "followers/policy_residual");
  s.meanfield_residual = last_value(file, "followers/meanfield_residual");
  s.followers_converged = last_value(file, "followers/converged") != 0;
  h5::Id objective = h5::open_dataset(file, "leader/objective");
  const auto j = h5::read_all<double>(objective);
  s.interactions = static_cast<std::int64_t>(j.size());
  if (!j.empty()) {
    s.last_objective = j.back();
    s.best_objective = *std::min_element(j.begin(), j.end());
  }
  return s;
}

}  // namespace mfgrid

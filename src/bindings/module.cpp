// mfgrid._core: the library for Python (the mfgrid package re-exports it, python/mfgrid/).
// Importing it starts MPI (a one-rank job without mpirun); the interpreter's exit closes every
// simulation still open (an unfinished run file gets its checkpoint) and then finalises MPI.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "bindings/python_errors.hpp"
#include "bindings/simulation_handle.hpp"
#include "mfgrid/agents/billing.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/version.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/mpi_session.hpp"
#include "mfgrid/parallel/rank_threads.hpp"

namespace py = pybind11;

namespace mfgrid::bindings {

namespace {

// A scenario with where its relative paths resolve (the run file records it, as `mfgrid run`).
struct LoadedScenario {
  Scenario scenario;
  std::string dir;
};

LoadedScenario load(const std::string& path_or_name, const std::vector<std::string>& overrides) {
  return {load_scenario(path_or_name, overrides), scenario_directory(path_or_name)};
}

// The scenario with these overrides on top (the seed of a Simulation(…, seed=S)).
LoadedScenario with_overrides(const LoadedScenario& s, const std::vector<std::string>& overrides) {
  return {parse_scenario(s.scenario.resolved_toml, s.scenario.source, overrides, s.dir), s.dir};
}

int threads_for(int requested) { return rank_threads(requested, Communicator::world()); }

// The followers' response as the leader observes it (agents/billing.hpp): imports and exports
// [class, period] and the mean of each household's largest period import [class].
py::dict response_arrays(const ClassEnergy& e) {
  const auto classes = static_cast<py::ssize_t>(e.classes);
  const auto periods = static_cast<py::ssize_t>(e.periods);
  py::dict out;
  out["imports"] = py::array_t<double>({classes, periods}, e.imports.data());
  out["exports"] = py::array_t<double>({classes, periods}, e.exports.data());
  out["peak_import"] = py::array_t<double>({classes}, e.peak_import.data());
  return out;
}

// θ in real units, refused (InputError) when it has not one value per parameter.
std::vector<double> real_tariff(const TariffParameters& parameters,
                                const std::vector<double>& theta) {
  if (static_cast<int>(theta.size()) != parameters.dimension())
    throw InputError(
        SourceLocation{"tariff_real"}, "theta",
        std::to_string(parameters.dimension()) + " values, not " + std::to_string(theta.size()));
  return parameters.real_values(theta);
}

std::unique_ptr<MpiSession>& mpi_session() {
  static std::unique_ptr<MpiSession> session;
  return session;
}

void bind_scenario(py::module_& m) {
  py::class_<LoadedScenario>(m, "Scenario",
                             "A scenario, validated: load_scenario(name_or_path, overrides)")
      .def_property_readonly("name", [](const LoadedScenario& s) { return s.scenario.name; })
      .def_property_readonly("description",
                             [](const LoadedScenario& s) { return s.scenario.description; })
      .def_property_readonly("seed", [](const LoadedScenario& s) { return s.scenario.seed; })
      .def_property_readonly("days", [](const LoadedScenario& s) { return s.scenario.time.days; })
      .def_property_readonly("periods",
                             [](const LoadedScenario& s) { return s.scenario.time.periods; })
      .def_property_readonly(
          "leader_update_every_days",
          [](const LoadedScenario& s) { return s.scenario.leader.update_every_days; },
          "K_L: the days of one leader interaction")
      .def_property_readonly(
          "leader_warmup_days",
          [](const LoadedScenario& s) { return s.scenario.leader.warmup_days; },
          "days before the leader's first interaction window opens")
      .def_property_readonly("class_names",
                             [](const LoadedScenario& s) {
                               std::vector<std::string> names;
                               for (const HouseholdClass& c : s.scenario.households.classes)
                                 names.push_back(c.name);
                               return names;
                             })
      .def_property_readonly(
          "tariff_names",
          [](const LoadedScenario& s) { return TariffParameters(s.scenario).names(); },
          "the leader's tariff parameters θ, in order")
      .def_property_readonly(
          "tariff_units",
          [](const LoadedScenario& s) { return TariffParameters(s.scenario).units(); })
      .def(
          "tariff_real",
          [](const LoadedScenario& s, const std::vector<double>& theta) {
            return real_tariff(TariffParameters(s.scenario), theta);
          },
          py::arg("theta"), "θ in real units (tariff_units)")
      .def_property_readonly("source", [](const LoadedScenario& s) { return s.scenario.source; })
      .def_property_readonly("directory", [](const LoadedScenario& s) { return s.dir; })
      .def_property_readonly(
          "toml", [](const LoadedScenario& s) { return s.scenario.resolved_toml; },
          "every setting, defaults filled in (what a run file records)")
      .def("__repr__", [](const LoadedScenario& s) {
        return "<mfgrid.Scenario " + s.scenario.name + ": " + std::to_string(s.scenario.time.days) +
               " days>";
      });
  m.def("load_scenario", &load, py::arg("name_or_path"), py::arg("overrides"),
        "A scenario file, or the embedded scenario of that name; overrides are key=value strings "
        "(as `mfgrid run --set`)");
  m.def("with_overrides", &with_overrides, py::arg("scenario"), py::arg("overrides"));
  m.def("embedded_scenarios", [] {
    std::vector<std::string> names;
    for (const EmbeddedScenario& e : embedded_scenarios()) names.emplace_back(e.name);
    return names;
  });
}

void bind_simulation(py::module_& m) {
  py::class_<Snapshot, std::shared_ptr<Snapshot>>(
      m, "Snapshot", "A simulation's state in memory: restore(snapshot)")
      .def_property_readonly("day", [](const Snapshot& s) { return s.day; })
      .def("__repr__", [](const Snapshot& s) {
        return "<mfgrid.Snapshot at day " + std::to_string(s.day) + ">";
      });
  py::class_<SimulationHandle>(m, "Simulation")
      .def(
          py::init([](const LoadedScenario& s, int threads, const std::string& output, bool force) {
            return std::make_unique<SimulationHandle>(s.scenario, threads_for(threads), output,
                                                      force, s.dir);
          }),
          py::arg("scenario"), py::arg("threads") = 0, py::arg("output") = "",
          py::arg("force") = false)
      .def_static(
          "resume",
          [](const std::string& path, int threads) {
            return SimulationHandle::resume(path, threads_for(threads));
          },
          py::arg("path"), py::arg("threads") = 0)
      .def("step", &SimulationHandle::step, py::arg("days") = 1)
      .def("post_tariff", &SimulationHandle::post_tariff, py::arg("theta"))
      .def("set_class_policy", &SimulationHandle::set_class_policy, py::arg("cls"),
           py::arg("probabilities"))
      .def("release_class_policy", &SimulationHandle::release_class_policy, py::arg("cls"))
      .def("class_policy", &SimulationHandle::class_policy, py::arg("cls"))
      .def_property_readonly("policy_shape",
                             [](const SimulationHandle& h) {
                               const PolicyTable& p = h.simulation().policy();
                               return py::make_tuple(p.periods(), p.bins(), p.actions());
                             })
      .def("day_outcome", &SimulationHandle::day_outcome)
      .def(
          "snapshot",
          [](const SimulationHandle& h) { return std::const_pointer_cast<Snapshot>(h.snapshot()); })
      .def("restore", &SimulationHandle::restore, py::arg("snapshot"))
      .def("checkpoint", &SimulationHandle::checkpoint, py::arg("copy_to") = "",
           py::arg("force") = false)
      .def("close", &SimulationHandle::close)
      .def_property_readonly("day", [](const SimulationHandle& h) { return h.simulation().day(); })
      .def_property_readonly(
          "days", [](const SimulationHandle& h) { return h.simulation().scenario().time.days; })
      .def_property_readonly("complete", &SimulationHandle::complete)
      .def_property_readonly("output", &SimulationHandle::output_path)
      .def_property_readonly("threads",
                             [](const SimulationHandle& h) { return h.simulation().threads(); })
      .def_property_readonly(
          "theta", [](const SimulationHandle& h) { return h.simulation().posted_theta(); })
      .def_property_readonly(
          "tariff_names",
          [](const SimulationHandle& h) { return h.simulation().tariff_parameters().names(); })
      .def_property_readonly(
          "tariff_units",
          [](const SimulationHandle& h) { return h.simulation().tariff_parameters().units(); })
      .def(
          "tariff_real",
          [](const SimulationHandle& h, const std::vector<double>& theta) {
            return real_tariff(h.simulation().tariff_parameters(), theta);
          },
          py::arg("theta"))
      .def(
          "day_response",
          [](const SimulationHandle& h) { return response_arrays(h.last_day().energy); },
          "what the leader observes of the last day: kWh per household of each class")
      .def_property_readonly("outputs",
                             [](const SimulationHandle& h) { return h.arrays().describe(); })
      .def(
          "labels",
          [](const SimulationHandle& h, const std::string& dim) {
            return dimension_labels(h.simulation(), dim);
          },
          py::arg("dim"));
}

}  // namespace

}  // namespace mfgrid::bindings

PYBIND11_MODULE(_core, m) {
  using namespace mfgrid::bindings;
  m.doc() = "mfgrid's simulator (C++), for the mfgrid package";
  m.attr("__version__") = std::string(mfgrid::version());
  register_errors(m);
  mpi_session() = std::make_unique<mfgrid::MpiSession>(nullptr, nullptr);
  const mfgrid::Communicator world = mfgrid::Communicator::world();
  m.attr("rank") = world.rank();
  m.attr("ranks") = world.size();
  bind_scenario(m);
  bind_simulation(m);
  py::module_::import("atexit").attr("register")(py::cpp_function([] {
    SimulationHandle::close_all();
    mpi_session().reset();
  }));
}

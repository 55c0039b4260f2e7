// The catalogue of learners: each follower and leader learner declares, in its own .cpp, its
// name, a one-line description and the specification of its parameters (keys, types, ranges,
// defaults, docs), as OpenSpiel's games declare their parameter specification. The scenario
// reader validates a learner's table `[leader.<name>]` / `[followers.<name>]` against it, so the
// config layer knows the learners' keys without naming a learner.
//
// Registration: a learner's .cpp defines its registration function with
// MFGRID_LEARNER_REGISTRATION(role, id); the build collects those from src/followers and
// src/leader into a generated list (cmake/LearnerRegistry.cmake) that the catalogue calls on
// first use. (Self-registering static objects would be dropped by the linker from a static
// library no code references.) Learner modules register their factories next to their type
// (leader/leader_learner_registry.hpp, followers/follower_learner_registry.hpp).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfgrid {

enum class LearnerRole { followers, leader };
const char* to_string(LearnerRole role);  // "followers", "leader": the scenario's table

enum class ParameterType { integer, number };

struct ParameterSpec {
  std::string key;
  ParameterType type = ParameterType::number;
  double default_value = 0.0;
  double lo = 0.0;  // the value must lie in [lo, hi], or (lo, hi] when lo_open
  double hi = 0.0;
  bool lo_open = false;
  std::string doc;         // one line: what it is, its units
  std::string flat_key{};  // its name in [role] before learners had tables, when it differed
};

// The resolved values of one learner's parameters, keyed by the spec's keys. Looking up a key
// the learner did not declare is a programming error (std::logic_error).
class LearnerParameters {
 public:
  LearnerParameters() = default;
  void set(std::string_view key, double value);  // declared or new
  bool has(std::string_view key) const;
  double number(std::string_view key) const;
  int integer(std::string_view key) const;
  const std::vector<std::pair<std::string, double>>& values() const { return values_; }

 private:
  std::vector<std::pair<std::string, double>> values_;
};

// A relation between parameters a range cannot express; key empty when there is none.
struct ParameterProblem {
  std::string key;
  std::string reason;
};
using ParameterCheck = ParameterProblem (*)(const LearnerParameters&);

struct LearnerType {
  LearnerRole role = LearnerRole::leader;
  std::string name;  // as written in `learner = "..."` and in the table `[role.name]`
  std::string doc;   // one line
  std::vector<ParameterSpec> parameters{};
  ParameterCheck check = nullptr;  // optional, after each value passed its range
  // Leaders: false for a leader that only posts the scenario's tariff (needs nothing to learn).
  bool learns_tariff = true;
  // Followers: true when every prosumer follows its own plan (memory: a plan per agent-period).
  bool plans_actions = false;
};

// Adds a type; a second type of the same role and name is a programming error.
void register_learner_type(LearnerType type);
// Every registered type, followers first, each role in name order.
const std::vector<LearnerType>& learner_types();
// The type of that role and name, or null.
const LearnerType* find_learner_type(LearnerRole role, std::string_view name);
// The names of a role's learners, in name order.
std::vector<std::string> learner_names(LearnerRole role);
// Every parameter of the type at its default.
LearnerParameters default_parameters(const LearnerType& type);
// The same, by role and name (std::invalid_argument when there is no such learner).
LearnerParameters default_parameters(LearnerRole role, std::string_view name);

// The factories of one role's learners, by name: each role's registry (leader/, followers/) holds
// one, of its own factory type, and registers the learner's type here with its factory.
template <class Factory>
class LearnerFactories {
 public:
  explicit LearnerFactories(LearnerRole role) : role_(role) {}
  void add(LearnerType type, Factory factory) {
    type.role = role_;
    factories_[type.name] = factory;
    register_learner_type(std::move(type));
  }
  // The factory of a registered learner, or null (the registration runs on first use).
  const Factory* find(std::string_view name) const {
    if (!find_learner_type(role_, name)) return nullptr;
    const auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : &it->second;
  }

 private:
  LearnerRole role_;
  std::map<std::string, Factory, std::less<>> factories_;
};

}  // namespace mfgrid

// Defines the registration function of learner `id` of `role` (followers or leader); the build
// finds these and calls each once, before the catalogue is first read.
#define MFGRID_LEARNER_REGISTRATION(role, id) \
  namespace mfgrid::learner_registration {    \
  void role##_##id();                         \
  }                                           \
  void mfgrid::learner_registration::role##_##id()

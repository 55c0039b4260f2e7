// mfgrid's errors as Python exceptions, with the same messages: a scenario mistake is a ValueError
// (mfgrid.InputError), a file that cannot be used or written an OSError (mfgrid.FileError), a
// number the simulation may not carry on with an ArithmeticError (mfgrid.NumericError).
#pragma once

#include <pybind11/pybind11.h>

namespace mfgrid::bindings {

void register_errors(pybind11::module_& m);

}  // namespace mfgrid::bindings

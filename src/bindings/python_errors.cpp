#include "bindings/python_errors.hpp"

#include "mfgrid/core/error.hpp"

namespace py = pybind11;

namespace mfgrid::bindings {

void register_errors(py::module_& m) {
  // Held for the interpreter's life: the translator below runs after this function has returned.
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  static py::exception<FileError> file_error(m, "FileError", PyExc_OSError);
  static py::exception<NumericError> numeric_error(m, "NumericError", PyExc_ArithmeticError);
  static py::exception<Error> error(m, "Error", PyExc_RuntimeError);
  // pybind11 hands the exception over by value.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const FileError& e) {
      file_error(e.what());
    } catch (const NumericError& e) {
      numeric_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });
}

}  // namespace mfgrid::bindings

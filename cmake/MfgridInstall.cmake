# Installation and the exported package mfgrid::mfgrid (find_package(mfgrid) after cmake --install).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS mfgrid mfgrid_sanitizer_link EXPORT mfgridTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS mfgrid_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/mfgrid DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mfgrid/scenarios)
# The Python package, for mfgrid export (and PYTHONPATH=PREFIX/share/mfgrid/python).
install(DIRECTORY python/mfgrid DESTINATION ${CMAKE_INSTALL_DATADIR}/mfgrid/python
  PATTERN __pycache__ EXCLUDE)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/mfgrid)
install(EXPORT mfgridTargets NAMESPACE mfgrid:: DESTINATION ${config_dir})
configure_package_config_file(cmake/mfgridConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mfgridConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mfgridConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/mfgridConfig.cmake
  ${PROJECT_BINARY_DIR}/mfgridConfigVersion.cmake
  cmake/FindCLP.cmake cmake/FindRandom123.cmake
  DESTINATION ${config_dir})

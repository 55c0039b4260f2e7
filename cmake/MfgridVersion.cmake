# Generates version.cpp with the program version and the git revision of the source tree, at build
# time, so the revision recorded in run files is the one that was built.
set(MFGRID_VERSION_CPP "${PROJECT_BINARY_DIR}/generated/version.cpp")
add_custom_target(mfgrid_version_info
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOUTPUT=${MFGRID_VERSION_CPP}
    -DVERSION=${PROJECT_VERSION}
    -P ${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${MFGRID_VERSION_CPP}
  COMMENT "Recording the git revision"
  VERBATIM)

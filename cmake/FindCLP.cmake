# FindCLP: COIN-OR CLP, the linear-programming solver used for market clearing.
# Defines CLP::CLP. Uses pkg-config (Debian: coinor-libclp-dev ships clp.pc) and falls back to a
# plain header and library search.
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_CLP QUIET clp)
endif()
find_path(CLP_INCLUDE_DIR ClpSimplex.hpp HINTS ${PC_CLP_INCLUDE_DIRS} PATH_SUFFIXES coin coin-or)
find_library(CLP_LIBRARY Clp HINTS ${PC_CLP_LIBRARY_DIRS})
find_library(CLP_COINUTILS_LIBRARY CoinUtils HINTS ${PC_CLP_LIBRARY_DIRS})
set(CLP_VERSION ${PC_CLP_VERSION})
find_package_handle_standard_args(CLP
  REQUIRED_VARS CLP_LIBRARY CLP_COINUTILS_LIBRARY CLP_INCLUDE_DIR
  VERSION_VAR CLP_VERSION)
if(CLP_FOUND AND NOT TARGET CLP::CLP)
  add_library(CLP::CLP UNKNOWN IMPORTED)
  set_target_properties(CLP::CLP PROPERTIES
    IMPORTED_LOCATION "${CLP_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CLP_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CLP_COINUTILS_LIBRARY}")
endif()
mark_as_advanced(CLP_INCLUDE_DIR CLP_LIBRARY CLP_COINUTILS_LIBRARY)

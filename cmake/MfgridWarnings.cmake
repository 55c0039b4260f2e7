# Compiler options shared by every mfgrid target.
add_library(mfgrid_options INTERFACE)
target_compile_options(mfgrid_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  # Bit-identical results need the same arithmetic in vector and scalar code paths: no fused
  # multiply-add contraction, no fast-math reassociation.
  -ffp-contract=off -fno-fast-math)
if(MFGRID_NATIVE)
  target_compile_options(mfgrid_options INTERFACE $<$<CONFIG:Release,RelWithDebInfo>:-march=native>)
endif()
if(MFGRID_SANITIZE)
  target_compile_options(mfgrid_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(mfgrid_options INTERFACE -fsanitize=address,undefined)
endif()

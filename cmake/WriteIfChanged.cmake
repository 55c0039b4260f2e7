# write_if_changed(PATH CONTENT): writes CONTENT to PATH unless PATH already holds exactly it, so
# that a generated source is not rewritten (and everything depending on it not rebuilt) when
# nothing changed. Included by the generator scripts (cmake -P).
function(write_if_changed path content)
  set(old "")
  if(EXISTS ${path})
    file(READ ${path} old)
  endif()
  if(NOT "${old}" STREQUAL "${content}")
    file(WRITE ${path} "${content}")
  endif()
endfunction()

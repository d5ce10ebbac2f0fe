# Runs the built binary BIN to write, into OUT: diffsmith.1 (and .gz),
# completions/{diffsmith.bash,_diffsmith,diffsmith.fish}; and compresses
# OUT/changelog. gzip -n: no name or time stamp, so the package is
# reproducible.
file(MAKE_DIRECTORY ${OUT}/completions)
function(run_to_file file)
  execute_process(COMMAND ${BIN} ${ARGN} OUTPUT_FILE ${file} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE ${file})
    message(FATAL_ERROR "`diffsmith ${ARGN}` failed (${rc}): ${err}")
  endif()
endfunction()
function(gzip_file file)
  execute_process(COMMAND gzip -9 -n -c ${file} OUTPUT_FILE ${file}.gz RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${file} failed (${rc})")
  endif()
endfunction()
run_to_file(${OUT}/diffsmith.1 manpage)
run_to_file(${OUT}/completions/diffsmith.bash completions bash)
run_to_file(${OUT}/completions/_diffsmith completions zsh)
run_to_file(${OUT}/completions/diffsmith.fish completions fish)
gzip_file(${OUT}/diffsmith.1)
gzip_file(${OUT}/changelog)

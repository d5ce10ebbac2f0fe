# Turns every prompts/*.md into a string constant, looked up by file name via
# diffsmith::prompt("system.md"). Run at build time (see CMakeLists.txt).
file(GLOB _files ${DIR}/*.md)
list(SORT _files)
set(_body "// Generated from prompts/*.md by cmake/embed_prompts.cmake. Do not edit.\n#include <string_view>\n#include <utility>\nnamespace diffsmith {\nnamespace {\nconstexpr std::pair<std::string_view, std::string_view> kPrompts[] = {\n")
foreach(_f ${_files})
  get_filename_component(_name ${_f} NAME)
  file(READ ${_f} _text)
  set(_body "${_body}  {\"${_name}\", R\"diffsmith_prompt(${_text})diffsmith_prompt\"},\n")
endforeach()
set(_body "${_body}  {\"\", \"\"}\n};\n}  // namespace\nstd::string_view prompt(std::string_view name) {\n  for (const auto& [n, text] : kPrompts)\n    if (n == name) return text;\n  return {};\n}\n}  // namespace diffsmith\n")
file(WRITE ${OUT}.tmp "${_body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})

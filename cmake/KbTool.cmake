# kb_tool(NAME SOURCES... LIBS LIB... [WITH_SOURCE_DIR]): one of the programs of bench/ and eval/
# that print figures, built into build/ (the scripts look for them there). WITH_SOURCE_DIR
# gives it KB_SOURCE_DIR, for the data files of the repo.
function(kb_tool name)
  cmake_parse_arguments(KB_TOOL "WITH_SOURCE_DIR" "" "LIBS" ${ARGN})
  add_executable(${name} ${KB_TOOL_UNPARSED_ARGUMENTS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_link_libraries(${name} PRIVATE ${KB_TOOL_LIBS})
  target_include_directories(${name} PRIVATE ${RAPIDJSON_INCLUDE_DIRS})
  if(KB_TOOL_WITH_SOURCE_DIR)
    target_compile_definitions(${name} PRIVATE KB_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  endif()
endfunction()

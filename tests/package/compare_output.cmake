# cmake -DEXE=PROGRAM -DEXPECTED=FILE -P compare_output.cmake: run PROGRAM and
# fail unless it exits 0 and prints exactly the contents of FILE.
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
file(READ ${EXPECTED} want)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}")
endif()
if(NOT out STREQUAL want)
  message(FATAL_ERROR "${EXE} printed\n${out}\nthe documentation shows\n${want}")
endif()
message(STATUS "output as documented:\n${out}")

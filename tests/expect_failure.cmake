# Runs COMMAND (a ;-separated list) and passes only when it exits non-zero and its output matches
# EXPECTED (a regular expression). Used to test that bad command lines fail with a clear message.
#   cmake -DCOMMAND="prog;--flag;value" -DEXPECTED="regex" -P expect_failure.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE exit_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(exit_code EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit code from: ${COMMAND}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECTED}")
  message(FATAL_ERROR "output of ${COMMAND} does not match '${EXPECTED}'\nstdout:\n${out}\nstderr:\n${err}")
endif()
message(STATUS "exit code ${exit_code}, message: ${err}")

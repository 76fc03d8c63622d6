# Checks the installed tsdl.pc with pkg-config, then compiles SOURCE with CXX_COMPILER and the flags
# pkg-config gives, and runs the program. Prints "SKIPPED" and exits 0 when pkg-config is missing,
# unless the environment variable CI is true, where a missing pkg-config fails the test.
#   cmake -DPKG_CONFIG=... -DPREFIX=... -DPKGCONFIG_DIR=share/pkgconfig -DINCLUDE_DIR=include
#         -DVERSION=0.1.0 -DOPENMP_FLAGS=-fopenmp -DCXX_COMPILER=... -DSOURCE=... -DWORK_DIR=...
#         [-DEXPECTED_OUTPUT=regex] -P pkg_config.cmake
cmake_minimum_required(VERSION 3.16)

foreach(variable IN ITEMS PREFIX PKGCONFIG_DIR INCLUDE_DIR VERSION CXX_COMPILER SOURCE WORK_DIR)
  if(NOT ${variable})
    message(FATAL_ERROR "pkg_config.cmake: ${variable} is not set; pass it with -D${variable}=...")
  endif()
endforeach()
if(NOT PKG_CONFIG)
  if("$ENV{CI}" STREQUAL "true")
    message(FATAL_ERROR "pkg-config not found, and CI=true requires this test to run; install it with apt-get install pkg-config")
  endif()
  message(STATUS "SKIPPED: pkg-config not found; install it with apt-get install pkg-config and reconfigure")
  return()
endif()

set(pc_dir "${PREFIX}/${PKGCONFIG_DIR}")
if(NOT EXISTS "${pc_dir}/tsdl.pc")
  message(FATAL_ERROR "${pc_dir}/tsdl.pc not found; run the packaging_install test first")
endif()
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")

# Runs pkg-config with the given arguments and stores its standard output, stripped, in `output_variable`.
function(query_pkg_config output_variable)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
    ERROR_VARIABLE errors OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " arguments "${ARGN}")
    message(FATAL_ERROR "pkg-config ${arguments} failed (exit status ${result}) with PKG_CONFIG_PATH=${pc_dir}:\n${errors}")
  endif()
  set(${output_variable} "${output}" PARENT_SCOPE)
endfunction()

# Fails unless `flags` contains `expected` as a whole, space-separated item.
function(expect_flag flags expected description)
  string(FIND " ${flags} " " ${expected} " position)
  if(position EQUAL -1)
    message(FATAL_ERROR "${description} '${flags}' lacks '${expected}'")
  endif()
endfunction()

query_pkg_config(pc_file_dir --variable=pcfiledir tsdl)
if(NOT pc_file_dir STREQUAL pc_dir)
  message(FATAL_ERROR "pkg-config used tsdl.pc from '${pc_file_dir}', expected ${pc_dir}")
endif()

query_pkg_config(modversion --modversion tsdl)
if(NOT modversion STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config --modversion tsdl is '${modversion}', expected ${VERSION}")
endif()

query_pkg_config(cflags --cflags tsdl)
query_pkg_config(eigen_cflags --cflags eigen3)
expect_flag("${cflags}" "-I${PREFIX}/${INCLUDE_DIR}" "pkg-config --cflags tsdl")
expect_flag("${cflags}" "${eigen_cflags}" "pkg-config --cflags tsdl")
expect_flag("${cflags}" "-DEIGEN_DONT_PARALLELIZE" "pkg-config --cflags tsdl")
query_pkg_config(libs --libs tsdl)
if(OPENMP_FLAGS)
  expect_flag("${cflags}" "${OPENMP_FLAGS}" "pkg-config --cflags tsdl")
  expect_flag("${libs}" "${OPENMP_FLAGS}" "pkg-config --libs tsdl")
endif()

separate_arguments(cflag_list UNIX_COMMAND "${cflags}")
separate_arguments(lib_list UNIX_COMMAND "${libs}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(program "${WORK_DIR}/pkg_config_consumer")
set(compile_command "${CXX_COMPILER}" -std=c++17 -O2 ${cflag_list} "${SOURCE}" -o "${program}" ${lib_list})
execute_process(COMMAND ${compile_command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  string(REPLACE ";" " " command "${compile_command}")
  message(FATAL_ERROR "compiling with the pkg-config flags failed (exit status ${result}).\nCommand: ${command}\n${output}")
endif()

execute_process(COMMAND "${program}" WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE result OUTPUT_VARIABLE output
  ERROR_VARIABLE errors)
message(STATUS "pkg_config_consumer output:\n${output}${errors}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${program} failed (exit status ${result})")
endif()
if(EXPECTED_OUTPUT AND NOT output MATCHES "${EXPECTED_OUTPUT}")
  message(FATAL_ERROR "the output of ${program} does not match '${EXPECTED_OUTPUT}'")
endif()

# Configures the CMake project PROJECT_DIR in BINARY_DIR (emptied first), builds it and runs the
# executable EXECUTABLE from RUN_DIR, failing with the full output when any step fails.
#
# Required: PROJECT_DIR, BINARY_DIR, EXECUTABLE, GENERATOR, CXX_COMPILER.
# Optional:
#   BUILD_TYPE        CMAKE_BUILD_TYPE of the project (and the --config of a multi-config build)
#   MAKE_PROGRAM      CMAKE_MAKE_PROGRAM, when the parent build set one
#   PREFIX_PATH       CMAKE_PREFIX_PATH; the configured tsdl_DIR must then lie under it
#   MODE              TSDL_CONSUMER_MODE of tests/packaging/consumer
#   TSDL_SOURCE_DIR   the tsdl source tree, passed on for MODE add_subdirectory
#   MAKE_ARCHIVE      when ON, packs the release files of TSDL_SOURCE_DIR into a .tar.gz and passes
#                     its file:// URL and SHA-256 on, for MODE fetchcontent
#   RUN_DIR           working directory of the executable (default BINARY_DIR/run)
#   EXPECTED_OUTPUT   regular expression the executable's standard output must match
cmake_minimum_required(VERSION 3.16)

foreach(variable IN ITEMS PROJECT_DIR BINARY_DIR EXECUTABLE GENERATOR CXX_COMPILER)
  if(NOT ${variable})
    message(FATAL_ERROR "build_and_run.cmake: ${variable} is not set; pass it with -D${variable}=...")
  endif()
endforeach()
if(NOT RUN_DIR)
  set(RUN_DIR "${BINARY_DIR}/run")
endif()

# Runs a command and fails with its output unless it exits 0; stores standard output in `output_variable`.
function(run_step description output_variable)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "${description} failed (exit status ${result}).\nCommand: ${command}\n"
      "Standard output:\n${output}\nStandard error:\n${errors}")
  endif()
  set(${output_variable} "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}" "${RUN_DIR}")

set(configure_args -S "${PROJECT_DIR}" -B "${BINARY_DIR}" -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  # No package registry, so tsdl comes from PREFIX_PATH; the tsdl_DIR check below confirms it.
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(PREFIX_PATH)
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${PREFIX_PATH}")
endif()
if(MODE)
  list(APPEND configure_args "-DTSDL_CONSUMER_MODE=${MODE}")
endif()
if(TSDL_SOURCE_DIR)
  list(APPEND configure_args "-DTSDL_SOURCE_DIR=${TSDL_SOURCE_DIR}")
endif()

if(MAKE_ARCHIVE)
  # The files a source release needs to configure with tests and examples off.
  set(archive "${BINARY_DIR}/tsdl-source.tar.gz")
  set(release_files CMakeLists.txt LICENSE cmake include)
  foreach(file IN LISTS release_files)
    if(NOT EXISTS "${TSDL_SOURCE_DIR}/${file}")
      message(FATAL_ERROR "${TSDL_SOURCE_DIR}/${file} not found; it belongs in the source archive")
    endif()
  endforeach()
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar czf "${archive}" -- ${release_files}
    WORKING_DIRECTORY "${TSDL_SOURCE_DIR}" RESULT_VARIABLE result ERROR_VARIABLE errors)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "packing ${archive} from ${TSDL_SOURCE_DIR} failed:\n${errors}")
  endif()
  file(SHA256 "${archive}" archive_sha256)
  list(APPEND configure_args "-DTSDL_ARCHIVE_URL=file://${archive}" "-DTSDL_ARCHIVE_SHA256=${archive_sha256}")
endif()

run_step("configuring ${PROJECT_DIR}" configure_output ${CMAKE_COMMAND} ${configure_args})

if(PREFIX_PATH)
  file(STRINGS "${BINARY_DIR}/CMakeCache.txt" tsdl_dir_line REGEX "^tsdl_DIR:")
  string(REGEX REPLACE "^tsdl_DIR:[A-Z]+=" "" tsdl_dir "${tsdl_dir_line}")
  string(FIND "${tsdl_dir}" "${PREFIX_PATH}/" position)
  if(NOT position EQUAL 0)
    message(FATAL_ERROR "find_package(tsdl) used '${tsdl_dir}', expected a directory under ${PREFIX_PATH}")
  endif()
endif()

set(build_args --build "${BINARY_DIR}")
if(BUILD_TYPE)
  list(APPEND build_args --config "${BUILD_TYPE}")
endif()
run_step("building ${PROJECT_DIR}" build_output ${CMAKE_COMMAND} ${build_args})

# Single-config generators put the executable in BINARY_DIR, multi-config ones in a subdirectory
# named after the configuration.
set(executable_path "${BINARY_DIR}/${EXECUTABLE}")
if(NOT EXISTS "${executable_path}")
  file(GLOB executable_path "${BINARY_DIR}/*/${EXECUTABLE}")
endif()
list(LENGTH executable_path executable_count)
if(NOT executable_count EQUAL 1)
  message(FATAL_ERROR "expected one ${EXECUTABLE} from the build of ${PROJECT_DIR} in ${BINARY_DIR}, found ${executable_count}")
endif()

execute_process(COMMAND "${executable_path}" WORKING_DIRECTORY "${RUN_DIR}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message(STATUS "${EXECUTABLE} output:\n${output}${errors}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${executable_path} failed (exit status ${result})")
endif()
if(EXPECTED_OUTPUT AND NOT output MATCHES "${EXPECTED_OUTPUT}")
  message(FATAL_ERROR "the output of ${EXECUTABLE} does not match '${EXPECTED_OUTPUT}'")
endif()

# Installs the tsdl build tree BUILD_DIR into PREFIX (emptied first) and checks the installed
# files. Then installs into PREFIX-staged with DESTDIR set, which must put the same files under
# DESTDIR and nothing in PREFIX-staged itself.
#   cmake -DBUILD_DIR=... -DPREFIX=... -DCONFIG=... -DSOURCE_DIR=...
#         -DINCLUDE_DIR=include -DCMAKE_DIR=share/cmake/tsdl -DPKGCONFIG_DIR=share/pkgconfig
#         -P install.cmake
cmake_minimum_required(VERSION 3.16)
foreach(variable IN ITEMS BUILD_DIR PREFIX SOURCE_DIR INCLUDE_DIR CMAKE_DIR PKGCONFIG_DIR)
  if(NOT ${variable})
    message(FATAL_ERROR "install.cmake: ${variable} is not set; pass it with -D${variable}=...")
  endif()
endforeach()

set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()

function(install_into prefix)
  file(REMOVE_RECURSE "${prefix}")
  execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${prefix} failed (${result}):\n${output}")
  endif()
endfunction()

install_into("${PREFIX}")

set(expected_files
  "${INCLUDE_DIR}/tsdl/tsdl.hpp"
  "${INCLUDE_DIR}/tsdl/models.hpp"
  "${INCLUDE_DIR}/tsdl/data.hpp"
  "${INCLUDE_DIR}/tsdl/metrics.hpp"
  "${CMAKE_DIR}/tsdlConfig.cmake"
  "${CMAKE_DIR}/tsdlConfigVersion.cmake"
  "${CMAKE_DIR}/tsdlTargets.cmake"
  "${PKGCONFIG_DIR}/tsdl.pc")
foreach(file IN LISTS expected_files)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "${PREFIX}/${file} is missing after installation")
  endif()
endforeach()

# Every header in the source tree is installed.
file(GLOB_RECURSE source_headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/tsdl/*.hpp")
foreach(header IN LISTS source_headers)
  if(NOT EXISTS "${PREFIX}/${INCLUDE_DIR}/${header}")
    message(FATAL_ERROR "header ${header} is in the source tree but not installed under ${PREFIX}/${INCLUDE_DIR}")
  endif()
endforeach()

# The installed package must not point back into the source or build tree, so that it keeps working
# after those are deleted or moved. Paths inside PREFIX are removed before the search, because the
# test prefix itself lies inside the build tree.
file(GLOB_RECURSE package_files "${PREFIX}/${CMAKE_DIR}/*.cmake" "${PREFIX}/${PKGCONFIG_DIR}/*.pc")
foreach(file IN LISTS package_files)
  file(READ "${file}" text)
  string(REPLACE "${PREFIX}" "" text "${text}")
  foreach(tree IN ITEMS "${SOURCE_DIR}" "${BUILD_DIR}")
    string(FIND "${text}" "${tree}" position)
    if(NOT position EQUAL -1)
      message(FATAL_ERROR "${file} contains the path ${tree}; the installed package must not refer to the source or build tree")
    endif()
  endforeach()
endforeach()

# tsdl.pc names the prefix given to `cmake --install --prefix`, not the one set at configure time.
file(READ "${PREFIX}/${PKGCONFIG_DIR}/tsdl.pc" pc_text)
string(FIND "${pc_text}" "prefix=${PREFIX}\n" position)
if(position EQUAL -1)
  message(FATAL_ERROR "${PREFIX}/${PKGCONFIG_DIR}/tsdl.pc does not contain the line 'prefix=${PREFIX}':\n${pc_text}")
endif()

# A staged installation (DESTDIR) puts the same files under DESTDIR and keeps the final prefix in tsdl.pc.
set(staging "${PREFIX}-destdir")
file(REMOVE_RECURSE "${staging}")
set(ENV{DESTDIR} "${staging}")
install_into("${PREFIX}-staged")
unset(ENV{DESTDIR})
foreach(file IN LISTS expected_files)
  if(NOT EXISTS "${staging}${PREFIX}-staged/${file}")
    message(FATAL_ERROR "${staging}${PREFIX}-staged/${file} is missing after installation with DESTDIR=${staging}")
  endif()
endforeach()
if(EXISTS "${PREFIX}-staged")
  message(FATAL_ERROR "installation with DESTDIR=${staging} wrote to ${PREFIX}-staged itself")
endif()
file(READ "${staging}${PREFIX}-staged/${PKGCONFIG_DIR}/tsdl.pc" pc_text)
string(FIND "${pc_text}" "prefix=${PREFIX}-staged\n" position)
if(position EQUAL -1)
  message(FATAL_ERROR "tsdl.pc installed with DESTDIR does not contain 'prefix=${PREFIX}-staged':\n${pc_text}")
endif()
file(REMOVE_RECURSE "${staging}")

message(STATUS "tsdl installed into ${PREFIX}")

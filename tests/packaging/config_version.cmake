# Checks which requested versions the installed tsdlConfigVersion.cmake accepts, as find_package()
# would ask it. Before 1.0 only the same major.minor is compatible; from 1.0 on, the same major.
#   cmake -DVERSION_FILE=<prefix>/share/cmake/tsdl/tsdlConfigVersion.cmake -DVERSION=0.1.0 -P config_version.cmake
cmake_minimum_required(VERSION 3.16)
if(NOT EXISTS "${VERSION_FILE}")
  message(FATAL_ERROR "VERSION_FILE '${VERSION_FILE}' not found; run the packaging_install test first")
endif()
if(NOT VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$")
  message(FATAL_ERROR "VERSION is '${VERSION}'; expected major.minor.patch")
endif()
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
set(patch ${CMAKE_MATCH_3})

# Sets PACKAGE_VERSION_COMPATIBLE and PACKAGE_VERSION_EXACT in the caller for a request of
# `requested` (one to three components) made by a project with a pointer size of `pointer_size`.
function(ask_version_file requested pointer_size)
  string(REPLACE "." ";" components "${requested}")
  list(LENGTH components count)
  list(APPEND components 0 0 0)
  list(GET components 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET components 1 PACKAGE_FIND_VERSION_MINOR)
  list(GET components 2 PACKAGE_FIND_VERSION_PATCH)
  set(PACKAGE_FIND_VERSION "${requested}")
  set(PACKAGE_FIND_VERSION_COUNT ${count})
  set(CMAKE_SIZEOF_VOID_P ${pointer_size})
  include("${VERSION_FILE}")
  set(PACKAGE_VERSION_COMPATIBLE "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
  set(PACKAGE_VERSION_EXACT "${PACKAGE_VERSION_EXACT}" PARENT_SCOPE)
endfunction()

# Each case: requested version, then the expected PACKAGE_VERSION_COMPATIBLE.
math(EXPR next_minor "${minor} + 1")
math(EXPR next_major "${major} + 1")
set(cases
  "${major}.${minor}" TRUE
  "${major}.${minor}.${patch}" TRUE
  "${major}.${next_minor}" FALSE
  "${next_major}.0" FALSE)
if(minor GREATER 0)
  math(EXPR previous_minor "${minor} - 1")
  if(major EQUAL 0)
    list(APPEND cases "${major}.${previous_minor}" FALSE)
  else()
    list(APPEND cases "${major}.${previous_minor}" TRUE)
  endif()
endif()

set(failures "")
list(LENGTH cases length)
math(EXPR last "${length} - 1")
foreach(index RANGE 0 ${last} 2)
  math(EXPR expected_index "${index} + 1")
  list(GET cases ${index} requested)
  list(GET cases ${expected_index} expected)
  ask_version_file("${requested}" 8)
  if(NOT PACKAGE_VERSION_COMPATIBLE STREQUAL expected)
    string(APPEND failures "  request ${requested}: compatible is '${PACKAGE_VERSION_COMPATIBLE}', expected ${expected}\n")
  endif()
endforeach()

ask_version_file("${VERSION}" 8)
if(NOT PACKAGE_VERSION_EXACT)
  string(APPEND failures "  request ${VERSION}: not marked exact\n")
endif()

# The package is header-only, so a 32-bit project may use a copy installed by a 64-bit build.
ask_version_file("${major}.${minor}" 4)
if(NOT PACKAGE_VERSION_COMPATIBLE)
  string(APPEND failures "  request ${major}.${minor} from a 32-bit project: not compatible, expected compatible\n")
endif()

if(failures)
  message(FATAL_ERROR "${VERSION_FILE} (version ${VERSION}) answered wrongly:\n${failures}")
endif()
message(STATUS "tsdlConfigVersion.cmake accepts the expected versions of ${VERSION}")

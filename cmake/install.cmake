# Installation and the CMake package: the public headers, the static and the
# shared library, the credvault tool, a package for find_package(credvault)
# and a pkg-config file. docs/install.md describes what a host sees.
#
# Two components, for packagers who split a library package from a
# development one: credvault_runtime (the shared library and the tool) and
# credvault_development (everything else).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CREDVAULT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/credvault
  CACHE STRING "Where credvault's CMake package goes, under the prefix")

# Headers, the generated version.hpp among them.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/credvault
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT credvault_development
  FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/credvault/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/credvault
  COMPONENT credvault_development)

# The libraries, each in an export set of its own, so that a host loads the
# one it links and looks for that one's dependencies alone. They are
# credvault::credvault_static and credvault::credvault_shared to a host;
# the package makes credvault::credvault stand for one of them.
set_target_properties(credvault PROPERTIES EXPORT_NAME credvault_static)
install(TARGETS credvault EXPORT credvault_static_targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    COMPONENT credvault_development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS credvault_shared EXPORT credvault_shared_targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    COMPONENT credvault_runtime
    NAMELINK_COMPONENT credvault_development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# An installed library built with sanitizers calls into their runtimes, so
# whatever links it must link those too. Hosts get the link options with
# the targets; a library built without sanitizers adds nothing.
get_target_property(credvault_runtime_link_options credvault_build_flags
  INTERFACE_LINK_OPTIONS)
if(credvault_runtime_link_options)
  foreach(library credvault credvault_shared)
    target_link_options(${library} INTERFACE
      "$<INSTALL_INTERFACE:${credvault_runtime_link_options}>")
  endforeach()
  list(JOIN credvault_runtime_link_options " " credvault_pc_runtime_libs)
  string(PREPEND credvault_pc_runtime_libs " ")
else()
  set(credvault_pc_runtime_libs "")
endif()

# The tool finds the shared library relative to itself, wherever the prefix
# is moved.
file(RELATIVE_PATH credvault_bin_to_lib
  ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
set_target_properties(credvault_tool PROPERTIES
  INSTALL_RPATH "$ORIGIN/${credvault_bin_to_lib}")
install(TARGETS credvault_tool
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT credvault_runtime)

# The CMake package.
foreach(variant static shared)
  install(EXPORT credvault_${variant}_targets
    NAMESPACE credvault::
    FILE credvault-${variant}-targets.cmake
    DESTINATION ${CREDVAULT_INSTALL_CMAKEDIR}
    COMPONENT credvault_development)
endforeach()

# The dependencies the package asks for: the Boost the library was built
# against (Boost keeps no ABI between releases) and, for the static
# library, OpenSSL of at least the major and minor version it was built
# against.
string(REGEX MATCH "^[0-9]+\\.[0-9]+" credvault_openssl_version
  "${OPENSSL_VERSION}")
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/credvaultConfig.cmake.in
  ${PROJECT_BINARY_DIR}/credvaultConfig.cmake
  INSTALL_DESTINATION ${CREDVAULT_INSTALL_CMAKEDIR}
  NO_SET_AND_CHECK_MACRO)

# While the major version is 0 a minor release may break the API, as the
# soname says too (src/CMakeLists.txt).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(credvault_compatibility SameMinorVersion)
else()
  set(credvault_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/credvaultConfigVersion.cmake
  COMPATIBILITY ${credvault_compatibility})

install(FILES
  ${PROJECT_BINARY_DIR}/credvaultConfig.cmake
  ${PROJECT_BINARY_DIR}/credvaultConfigVersion.cmake
  DESTINATION ${CREDVAULT_INSTALL_CMAKEDIR}
  COMPONENT credvault_development)

# The pkg-config file. It finds the prefix from its own place (pcfiledir),
# so that it stays right when the install goes to another prefix than the
# one configured (cmake --install --prefix).
file(RELATIVE_PATH credvault_pc_to_prefix
  ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" credvault_pc_to_prefix "${credvault_pc_to_prefix}")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(credvault_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(credvault_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()

# Boost ships no pkg-config files: the file names Boost.JSON's library, and
# the directories of its headers and library when the compiler would not
# search them anyway.
get_target_property(credvault_boost_includes Boost::headers
  INTERFACE_INCLUDE_DIRECTORIES)
get_target_property(credvault_boost_configs Boost::json
  IMPORTED_CONFIGURATIONS)
list(GET credvault_boost_configs 0 credvault_boost_config)
get_target_property(credvault_boost_json Boost::json
  IMPORTED_LOCATION_${credvault_boost_config})
get_filename_component(credvault_boost_libdir "${credvault_boost_json}"
  DIRECTORY)
set(credvault_pc_boost_cflags "")
foreach(dir IN LISTS credvault_boost_includes)
  if(NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND credvault_pc_boost_cflags " -I${dir}")
  endif()
endforeach()
set(credvault_pc_boost_libs "")
if(NOT credvault_boost_libdir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
  set(credvault_pc_boost_libs " -L${credvault_boost_libdir}")
endif()
string(APPEND credvault_pc_boost_libs " -lboost_json")

configure_file(${PROJECT_SOURCE_DIR}/cmake/credvault.pc.in
  ${PROJECT_BINARY_DIR}/credvault.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/credvault.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT credvault_development)

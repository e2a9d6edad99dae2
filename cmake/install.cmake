# Installs libgradlab.so, the gradlab binary, the public headers and a CMake package so that an
# out-of-tree plugin builds with find_package(gradlab) and links gradlab::gradlab
# (tests/plugins/install_test.cmake proves it under ctest).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The installed binary finds the installed library next to it, wherever the prefix is.
set_target_properties(gradlab_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")

install(TARGETS gradlab EXPORT gradlabTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gradlab)
install(TARGETS gradlab_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir autograd layers optim regularizers plugins experiments)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gradlab/${dir}
    FILES_MATCHING PATTERN "*.hpp" PATTERN "examples" EXCLUDE PATTERN "course" EXCLUDE)
endforeach()
# The example plugin's sources, as a starting point: its standalone/ project builds as it is.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/plugins/examples/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/gradlab/examples/plugin)

install(EXPORT gradlabTargets NAMESPACE gradlab:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)
# The plugin API version, for a plugin project that wants to check it at configure time.
file(STRINGS ${PROJECT_SOURCE_DIR}/plugins/plugin_api.hpp api_line REGEX "^#define GRADLAB_API_VERSION ")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" GRADLAB_PLUGIN_API_VERSION "${api_line}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gradlabConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gradlabConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gradlabConfig.cmake ${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)

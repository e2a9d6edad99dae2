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
# The public headers: what a plugin compiles against. Not installed: experiments/ (the command's
# own code: nothing includes it but the CLI) and the engine's internals (the GEMM kernels, im2col,
# op_support's helpers, the thread count, the config tree), which no installed header includes.
foreach(dir autograd layers optim regularizers plugins)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gradlab/${dir}
    FILES_MATCHING PATTERN "*.hpp" PATTERN "examples" EXCLUDE
    PATTERN "op_support.hpp" EXCLUDE PATTERN "gemm.hpp" EXCLUDE PATTERN "gemm_eigen_order*.hpp" EXCLUDE
    PATTERN "im2col.hpp" EXCLUDE PATTERN "threads.hpp" EXCLUDE PATTERN "config_tree.hpp" EXCLUDE)
endforeach()
# The example plugin's sources, as a starting point: its standalone/ project builds as it is.
set(example_dir ${CMAKE_INSTALL_DATADIR}/gradlab/examples/plugin)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/plugins/examples/ DESTINATION ${example_dir}
  PATTERN swish_experiment.yaml EXCLUDE)
# The built example plugin (when GRADLAB_EXAMPLES builds it), and its experiment with the plugin
# path rewritten to point at it (relative to the installed YAML, so the prefix can move): it runs
# from the install as is.
if(TARGET gradlab_example)
  set(example_lib_dir ${CMAKE_INSTALL_LIBDIR}/gradlab/plugins)
  install(TARGETS gradlab_example LIBRARY DESTINATION ${example_lib_dir})
  file(RELATIVE_PATH example_rel /prefix/${example_dir} /prefix/${example_lib_dir})
  set(example_yaml_source ${PROJECT_SOURCE_DIR}/plugins/examples/swish_experiment.yaml)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${example_yaml_source})
  file(READ ${example_yaml_source} example_yaml)
  string(FIND "${example_yaml}" "plugins: [../../build/plugins/examples/libgradlab_example.so]" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${example_yaml_source}: its plugins: line changed; update cmake/install.cmake")
  endif()
  string(REPLACE "plugins: [../../build/plugins/examples/libgradlab_example.so]"
    "plugins: [${example_rel}/libgradlab_example.so]   # installed: ${example_lib_dir}" example_yaml "${example_yaml}")
  string(REPLACE "#   ./build/gradlab run plugins/examples/swish_experiment.yaml"
    "#   gradlab run ${example_dir}/swish_experiment.yaml   (this installed copy: from the prefix)"
    example_yaml "${example_yaml}")
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/installed/swish_experiment.yaml CONTENT "${example_yaml}")
  install(FILES ${PROJECT_BINARY_DIR}/installed/swish_experiment.yaml DESTINATION ${example_dir})
endif()

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

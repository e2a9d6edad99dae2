# Installs libgradlab.so, the gradlab binary, the public headers and a CMake package so that an
# out-of-tree plugin builds with find_package(gradlab) and links gradlab::gradlab.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS gradlab EXPORT gradlabTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gradlab)
install(TARGETS gradlab_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir autograd layers optim regularizers plugins experiments)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gradlab/${dir}
    FILES_MATCHING PATTERN "*.hpp" PATTERN "examples" EXCLUDE PATTERN "course" EXCLUDE)
endforeach()
install(EXPORT gradlabTargets NAMESPACE gradlab:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gradlabConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gradlabConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gradlabConfig.cmake ${PROJECT_BINARY_DIR}/gradlabConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gradlab)

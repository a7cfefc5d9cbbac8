# SPDX-License-Identifier: MIT
# Install rules: headers, library, CMake package, pkg-config file.
include(CMakePackageConfigHelpers)

set(AIOEVT_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/aioevt")

install(TARGETS aioevt EXPORT aioevtTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/aioevt"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h")
install(FILES "${PROJECT_BINARY_DIR}/include/aioevt/version.h"
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/aioevt")

install(EXPORT aioevtTargets NAMESPACE aioevt:: DESTINATION ${AIOEVT_CMAKE_DIR})
configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/aioevtConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/aioevtConfig.cmake"
    INSTALL_DESTINATION ${AIOEVT_CMAKE_DIR})
write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/aioevtConfigVersion.cmake"
    COMPATIBILITY SameMajorVersion)
install(FILES
    "${PROJECT_BINARY_DIR}/aioevtConfig.cmake"
    "${PROJECT_BINARY_DIR}/aioevtConfigVersion.cmake"
    DESTINATION ${AIOEVT_CMAKE_DIR})

# pkg-config (also what qmake's link_pkgconfig reads).
configure_file("${PROJECT_SOURCE_DIR}/aioevt.pc.in" "${PROJECT_BINARY_DIR}/aioevt.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/aioevt.pc"
    DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

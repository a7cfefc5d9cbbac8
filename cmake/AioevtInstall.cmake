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

# The QML module: its library in its own export set (so that a consumer of the core
# never needs Qt Qml), and the plugin with qmldir and type information in the QML
# import folder, e.g. <prefix>/lib/qml/Aioevt.
if(TARGET aioevt_qml)
    set(AIOEVT_QML_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/qml" CACHE STRING
        "QML import folder, relative to the install prefix")
    install(TARGETS aioevt_qml EXPORT aioevtQmlTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
    install(EXPORT aioevtQmlTargets NAMESPACE aioevt:: DESTINATION ${AIOEVT_CMAKE_DIR})
    install(TARGETS aioevt_qmlplugin
        LIBRARY DESTINATION "${AIOEVT_QML_INSTALL_DIR}/Aioevt"
        RUNTIME DESTINATION "${AIOEVT_QML_INSTALL_DIR}/Aioevt")
    install(FILES
        "${PROJECT_BINARY_DIR}/qml/Aioevt/qmldir"
        "${PROJECT_BINARY_DIR}/qml/Aioevt/aioevt_qml.qmltypes"
        DESTINATION "${AIOEVT_QML_INSTALL_DIR}/Aioevt")
    set(AIOEVT_HAS_QML ON)
endif()
# The MQTT bridge links libmosquitto privately: its consumers need nothing more.
if(TARGET aioevt_mqtt)
    install(TARGETS aioevt_mqtt EXPORT aioevtMqttTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
    install(EXPORT aioevtMqttTargets NAMESPACE aioevt:: DESTINATION ${AIOEVT_CMAKE_DIR})
endif()
if(TARGET aioevt_coro)
    install(TARGETS aioevt_coro EXPORT aioevtCoroTargets)
    install(EXPORT aioevtCoroTargets NAMESPACE aioevt:: DESTINATION ${AIOEVT_CMAKE_DIR})
endif()
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

# pkg-config (also what qmake's link_pkgconfig reads), relocatable.
set(AIOEVT_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH AIOEVT_PC_RELATIVE_PREFIX "/prefix/${AIOEVT_PKGCONFIG_DIR}" "/prefix")
string(REGEX REPLACE "/$" "" AIOEVT_PC_RELATIVE_PREFIX "${AIOEVT_PC_RELATIVE_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/aioevt.pc.in" "${PROJECT_BINARY_DIR}/aioevt.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/aioevt.pc" DESTINATION "${AIOEVT_PKGCONFIG_DIR}")
if(AIOEVT_HAS_QML)
    configure_file("${PROJECT_SOURCE_DIR}/cmake/aioevt-qml.pc.in"
        "${PROJECT_BINARY_DIR}/aioevt-qml.pc" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/aioevt-qml.pc" DESTINATION "${AIOEVT_PKGCONFIG_DIR}")
endif()

# qmake module file, for `QT += aioevt` with QMAKEPATH=<prefix>.
set(AIOEVT_QMAKE_MODULE_DIR "mkspecs/modules" CACHE STRING
    "Where qt_lib_aioevt.pri goes, relative to the install prefix")
file(RELATIVE_PATH AIOEVT_PRI_RELATIVE_PREFIX "/prefix/${AIOEVT_QMAKE_MODULE_DIR}" "/prefix")
string(REGEX REPLACE "/$" "" AIOEVT_PRI_RELATIVE_PREFIX "${AIOEVT_PRI_RELATIVE_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/qt_lib_aioevt.pri.in"
    "${PROJECT_BINARY_DIR}/qt_lib_aioevt.pri" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/qt_lib_aioevt.pri" DESTINATION "${AIOEVT_QMAKE_MODULE_DIR}")

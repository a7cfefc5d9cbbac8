# SPDX-License-Identifier: MIT
# `docs`: Doxygen over the public headers; a warning fails the build.
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
    set(AIOEVT_DOCS_OUTPUT "${PROJECT_BINARY_DIR}/docs")
    configure_file("${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${PROJECT_BINARY_DIR}/Doxyfile" @ONLY)
    add_custom_target(docs
        COMMAND ${DOXYGEN_EXECUTABLE} "${PROJECT_BINARY_DIR}/Doxyfile"
        WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
        COMMENT "API documentation in ${AIOEVT_DOCS_OUTPUT}/html/index.html"
        VERBATIM)
else()
    message(STATUS "Doxygen not found: no `docs` target")
endif()

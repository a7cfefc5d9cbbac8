# SPDX-License-Identifier: MIT
# Helpers shared by every aioevt target.

# Strict Qt and compiler flags for code of this project (not for consumers).
function(aioevt_set_strict_flags target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_KEYWORDS
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_CAST_FROM_BYTEARRAY
        QT_USE_QSTRINGBUILDER
        QT_NO_FOREACH)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra)
        if(AIOEVT_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()

# AIOEVT_SANITIZE applies to everything built in this tree, so that Qt Test executables
# and the library agree.
macro(aioevt_apply_sanitizers)
    if(AIOEVT_SANITIZE)
        string(REPLACE ";" "," _aioevt_sanitizers "${AIOEVT_SANITIZE}")
        add_compile_options(-fsanitize=${_aioevt_sanitizers} -fno-omit-frame-pointer -g)
        add_link_options(-fsanitize=${_aioevt_sanitizers})
        if("thread" IN_LIST AIOEVT_SANITIZE)
            # Tells aioevt to annotate its cross-thread hand-off for ThreadSanitizer.
            add_compile_definitions(AIOEVT_TSAN)
            # GCC warns that std::atomic_thread_fence, used inside Qt's and libstdc++'s
            # headers, is invisible to ThreadSanitizer; that is not ours to fix.
            if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
                add_compile_options(-Wno-tsan)
            endif()
        endif()
    endif()
endmacro()

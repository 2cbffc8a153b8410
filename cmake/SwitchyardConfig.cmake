# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# switchyard_cfg: the language standard, warnings and Qt strictness every target shares.
add_library(switchyard_cfg INTERFACE)
target_compile_features(switchyard_cfg INTERFACE cxx_std_20)
target_compile_options(switchyard_cfg INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
target_compile_definitions(switchyard_cfg INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

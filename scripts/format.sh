#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Formats every C++ file the way .clang-format says. `--check` changes nothing and fails
# on any deviation (what .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = --check ]; then
    exec clang-format --dry-run -Werror "${files[@]}"
fi
clang-format -i "${files[@]}"

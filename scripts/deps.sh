#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages Switchyard needs, only those missing. Usage:
#   scripts/deps.sh build   packages to build and run
#   scripts/deps.sh test    build packages plus what the tests need
set -euo pipefail

build=(cmake ninja-build g++ pkg-config
       qt6-base-dev libqt6sql6-sqlite qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
       qt6-l10n-tools qtkeychain-qt6-dev libssl-dev libhttp-parser-dev libsqlite3-dev)
test=(clang-format curl openssl gnome-keyring dbus libsecret-tools libreoffice-calc-nogui)

wanted=("${build[@]}")
[ "${1:-build}" = test ] && wanted+=("${test[@]}")

missing=()
for package in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$package")
done
# The SDK tests need Node.js and npm; any install of them will do (Debian's, or one
# already on the machine from elsewhere, which Debian's npm package would conflict with).
if [ "${1:-build}" = test ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "switchyard: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

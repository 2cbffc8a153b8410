#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Builds and runs every test through ctest. Installs what it needs first.
# Extra arguments go to ctest (e.g. -R gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
if [ -f tests/e2e/node/package.json ]; then
    (cd tests/e2e/node && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --silent --no-audit --no-fund; })
fi
# The keychain tests talk to a real Secret Service: a private session bus with gnome-keyring.
# They fail, rather than skip, when it does not answer.
export SWITCHYARD_TEST_KEYCHAIN=required
# Tests that drive outside programs (LibreOffice) fail, rather than skip, without them.
export SWITCHYARD_TEST_TOOLS=required
exec dbus-run-session -- scripts/with-keyring.sh ctest --test-dir build --output-on-failure --timeout 300 "$@"

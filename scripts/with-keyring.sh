#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Inside a D-Bus session: starts an unlocked gnome-keyring (Secret Service) with a
# throw-away password and home, then runs the given command.
set -euo pipefail
export HOME_FOR_KEYRING=$(mktemp -d)
export XDG_DATA_HOME="$HOME_FOR_KEYRING/data"
mkdir -p "$XDG_DATA_HOME"
eval "$(printf 'switchyard-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$HOME_FOR_KEYRING"' EXIT
"$@"

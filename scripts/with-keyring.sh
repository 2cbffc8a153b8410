#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Switchyard contributors
# SPDX-License-Identifier: MIT
# Inside a D-Bus session: starts an unlocked gnome-keyring (Secret Service) with a
# throw-away password and home, then runs the given command.
set -euo pipefail
export HOME_FOR_KEYRING=$(mktemp -d)
export XDG_DATA_HOME="$HOME_FOR_KEYRING/data"
# A runtime dir of its own: gnome-keyring's control socket lives there, and a shared one
# lets a keyring of another session (a parallel test run) answer, or lock, in its place.
export XDG_RUNTIME_DIR="$HOME_FOR_KEYRING/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'switchyard-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$HOME_FOR_KEYRING"' EXIT
"$@"

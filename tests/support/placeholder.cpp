// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Keeps the support library non-empty while it grows.
namespace sy::testsupport { }

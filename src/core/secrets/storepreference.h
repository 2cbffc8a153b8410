// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

namespace sy::secrets {

// Which store a new provider key goes to (config "secret_store"). Auto: the OS keychain,
// or the encrypted file where no keychain answers.
enum class StorePreference { Auto, Keychain, EncryptedFile };

} // namespace sy::secrets

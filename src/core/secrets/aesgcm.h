// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>

// AES-256-GCM through OpenSSL's EVP interface: confidentiality and integrity in one
// step, so a wrong key and a tampered file are both caught before any plaintext is used.
namespace sy::secrets::aesgcm {

constexpr int kKeyBytes = 32;
constexpr int kNonceBytes = 12; // 96 bits, fresh from the CSPRNG for every message
constexpr int kTagBytes = 16;

// nonce || ciphertext || tag. `associated` is authenticated but not encrypted (a header).
// Empty on an OpenSSL failure (which leaves nothing behind to use).
QByteArray seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView associated);

// The plaintext, or nothing when the key is wrong or a single bit of `sealed` or
// `associated` changed.
std::optional<QByteArray> open(QByteArrayView key, QByteArrayView sealed, QByteArrayView associated);

} // namespace sy::secrets::aesgcm

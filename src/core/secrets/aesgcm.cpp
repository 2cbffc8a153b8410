// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "aesgcm.h"

#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace sy::secrets::aesgcm {

namespace {

using Context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

unsigned char *bytes(QByteArray &array)
{
    return reinterpret_cast<unsigned char *>(array.data());
}

} // namespace

QByteArray seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView associated)
{
    if (key.size() != kKeyBytes)
        return {};
    QByteArray sealed(kNonceBytes + plaintext.size() + kTagBytes, Qt::Uninitialized);
    if (RAND_bytes(bytes(sealed), kNonceBytes) != 1)
        return {};
    Context context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int length = 0;
    unsigned char *out = bytes(sealed) + kNonceBytes;
    if (!context || EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(sealed)) != 1
        || EVP_EncryptUpdate(context.get(), nullptr, &length, bytes(associated), int(associated.size())) != 1
        || EVP_EncryptUpdate(context.get(), out, &length, bytes(plaintext), int(plaintext.size())) != 1
        || EVP_EncryptFinal_ex(context.get(), out + length, &length) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out + plaintext.size()) != 1)
        return {};
    return sealed;
}

std::optional<QByteArray> open(QByteArrayView key, QByteArrayView sealed, QByteArrayView associated)
{
    if (key.size() != kKeyBytes || sealed.size() < kNonceBytes + kTagBytes)
        return std::nullopt;
    const QByteArrayView nonce = sealed.first(kNonceBytes);
    const QByteArrayView ciphertext = sealed.sliced(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
    QByteArray tag = sealed.last(kTagBytes).toByteArray();
    QByteArray plaintext(ciphertext.size(), Qt::Uninitialized);
    Context context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int length = 0;
    if (!context || EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1
        || EVP_DecryptUpdate(context.get(), nullptr, &length, bytes(associated), int(associated.size())) != 1
        || EVP_DecryptUpdate(context.get(), bytes(plaintext), &length, bytes(ciphertext), int(ciphertext.size())) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1
        || EVP_DecryptFinal_ex(context.get(), bytes(plaintext) + length, &length) != 1) {
        plaintext.fill('\0'); // unauthenticated bytes are never handed out
        return std::nullopt;
    }
    return plaintext;
}

} // namespace sy::secrets::aesgcm

// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

#include "sdkrunner.h"

namespace sy::e2e {

// The keychain entries a data dir's provider key catalog names.
inline QStringList catalogKeychainEntries(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("providerkeys.json")));
    QStringList entries;
    if (file.open(QIODevice::ReadOnly)) {
        for (const QJsonValue &key : QJsonDocument::fromJson(file.readAll()).array()) {
            if (key[u"store"].toString() == u"keychain")
                entries.append(key[u"entry"].toString());
        }
    }
    return entries;
}

// How many of `entries` the Secret Service holds, as libsecret's own tool finds them
// (QtKeychain files an entry under server=<service>, user=<entry>). Looking up exact
// entries keeps tests that share one keyring from counting each other's.
inline int entriesInKeychain(const QStringList &entries,
                             const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    int found = 0;
    for (const QString &entry : entries) {
        const ProcessResult search
            = runProcess(QStringLiteral("secret-tool"),
                         {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"),
                          QStringLiteral("switchyard"), QStringLiteral("user"), entry},
                         environment);
        const QByteArray listing = search.out + search.err;
        if (listing.contains(QByteArray("attribute.user = " + entry.toUtf8() + '\n')))
            ++found;
    }
    return found;
}

} // namespace sy::e2e

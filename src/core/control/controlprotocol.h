// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "common/result.h"

namespace sy {
struct UsageRecord;
}

namespace sy::live {
struct Figures;
}

namespace sy::control {

// The local control channel's wire format (docs/CONTROL.md): one JSON object per line,
// UTF-8, '\n'-terminated, over a local socket in the data dir. Every message carries the
// protocol version "v". The conversions here are the only place that knows field names,
// so the server, the client and the window agree.
class ControlProtocol
{
public:
    static constexpr int kVersion = 1;
    static constexpr qsizetype kMaxRequestLine = 64 * 1024; // what a server reads
    static constexpr qsizetype kMaxMessageLine = 64 * 1024 * 1024; // what a client reads (a subscribe backfill)

    // The socket in `dataDir` (a Unix socket file; a named pipe on Windows).
    static QString socketPath(const QString &dataDir);
    static QString socketFileName() { return QStringLiteral("switchyard.sock"); }

    static QByteArray encode(QJsonObject message); // adds "v"; one line with its '\n'
    static Result<QJsonObject> decode(QByteArrayView line);

    static QJsonObject toJson(const live::Figures &figures);
    static live::Figures figuresFromJson(const QJsonObject &object);
    static QJsonObject toJson(const UsageRecord &record);
    static UsageRecord recordFromJson(const QJsonObject &object);
};

} // namespace sy::control

// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QString>

namespace sy::host {

// What the user is told about the gateway's life: started, reloaded, a refused edit, a
// key that could not be read, the store moved aside. Messages are translated (tr()) and
// content-free: no body, header value or key ever appears in one. The developer log
// (qC* categories, English) is separate. Thread-safe; capped in memory.
class EventLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)

public:
    enum class Level { Info, Warning, Error };
    Q_ENUM(Level)
    struct Event
    {
        QDateTime at; // UTC
        Level level = Level::Info;
        QString message;
    };

    static constexpr int kCapacity = 500;

    explicit EventLog(QObject *parent = nullptr);

    void add(Level level, const QString &message); // any thread
    QList<Event> events() const; // oldest first

signals:
    void added(const sy::host::EventLog::Event &event); // on the adding thread

private:
    mutable QMutex m_mutex;
    QList<Event> m_events;
};

} // namespace sy::host

Q_DECLARE_METATYPE(sy::host::EventLog::Event)

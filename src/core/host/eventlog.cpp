// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "eventlog.h"

#include <QMutexLocker>

#include "common/clock.h"

namespace sy::host {

EventLog::EventLog(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<sy::host::EventLog::Event>();
}

void EventLog::add(Level level, const QString &message)
{
    Event event {Clock::instance().nowUtc(), level, message};
    {
        QMutexLocker lock(&m_mutex);
        if (m_events.size() >= kCapacity)
            m_events.removeFirst();
        m_events.append(event);
    }
    emit added(event);
}

QList<EventLog::Event> EventLog::events() const
{
    QMutexLocker lock(&m_mutex);
    return m_events;
}

} // namespace sy::host

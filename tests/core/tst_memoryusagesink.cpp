// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "common/memoryusagesink.h"

using namespace sy;

class TestMemoryUsageSink : public QObject
{
    Q_OBJECT

private slots:
    void recordsFromAnotherThread()
    {
        MemoryUsageSink sink;
        QSignalSpy spy(&sink, &MemoryUsageSink::recorded);
        QThread *thread = QThread::create([&sink] {
            UsageRecord record;
            record.model = QStringLiteral("gpt-4o-mini");
            record.status = 200;
            sink.record(record);
        });
        thread->start();
        QVERIFY(thread->wait(5000));
        delete thread;
        QCOMPARE(spy.count(), 1);
        QCOMPARE(sink.records().size(), 1);
        QCOMPARE(sink.records().first().model, QStringLiteral("gpt-4o-mini"));
        sink.clear();
        QVERIFY(sink.records().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMemoryUsageSink)
#include "tst_memoryusagesink.moc"

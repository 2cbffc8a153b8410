// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>

#include "providers/endpoint.h"

using namespace sy::providers;

class TestEndpoint : public QObject
{
    Q_OBJECT

private slots:
    void forPath_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<Endpoint>("endpoint");
        QTest::addColumn<WireFormat>("format");
        QTest::newRow("chat") << QByteArray("/v1/chat/completions") << Endpoint::ChatCompletions << WireFormat::OpenAI;
        QTest::newRow("completions") << QByteArray("/v1/completions") << Endpoint::Completions << WireFormat::OpenAI;
        QTest::newRow("embeddings") << QByteArray("/v1/embeddings") << Endpoint::Embeddings << WireFormat::OpenAI;
        QTest::newRow("responses") << QByteArray("/v1/responses") << Endpoint::Responses << WireFormat::OpenAI;
        QTest::newRow("models") << QByteArray("/v1/models") << Endpoint::Models << WireFormat::OpenAI;
        QTest::newRow("messages") << QByteArray("/v1/messages") << Endpoint::Messages << WireFormat::Anthropic;
        QTest::newRow("count") << QByteArray("/v1/messages/count_tokens") << Endpoint::CountTokens
                               << WireFormat::Anthropic;
        QTest::newRow("query ignored") << QByteArray("/v1/messages?beta=true") << Endpoint::Messages
                                       << WireFormat::Anthropic;
        QTest::newRow("trailing slash") << QByteArray("/v1/messages/") << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("case") << QByteArray("/V1/messages") << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("prefix") << QByteArray("/v1/chat/completionsX") << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("no version") << QByteArray("/chat/completions") << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("model id") << QByteArray("/v1/models/gpt-4o") << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("empty") << QByteArray() << Endpoint::Unknown << WireFormat::OpenAI;
        QTest::newRow("health") << QByteArray("/healthz") << Endpoint::Unknown << WireFormat::OpenAI;
    }
    void forPath()
    {
        QFETCH(QByteArray, path);
        QFETCH(Endpoint, endpoint);
        QFETCH(WireFormat, format);
        QCOMPARE(endpointForPath(path), endpoint);
        QCOMPARE(wireFormatOf(endpointForPath(path)), format);
    }
};

QTEST_GUILESS_MAIN(TestEndpoint)
#include "tst_endpoint.moc"

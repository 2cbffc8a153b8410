// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "providers/wireformat.h"

using namespace sy::providers;
using namespace Qt::StringLiterals;

class TestWireFormat : public QObject
{
    Q_OBJECT

private slots:
    void status_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid") << ErrorKind::InvalidRequest << 400;
        QTest::newRow("auth") << ErrorKind::Authentication << 401;
        QTest::newRow("permission") << ErrorKind::Permission << 403;
        QTest::newRow("notfound") << ErrorKind::NotFound << 404;
        QTest::newRow("method") << ErrorKind::MethodNotAllowed << 405;
        QTest::newRow("toolarge") << ErrorKind::RequestTooLarge << 413;
        QTest::newRow("headers") << ErrorKind::HeadersTooLarge << 431;
        QTest::newRow("ratelimited") << ErrorKind::RateLimited << 429;
        QTest::newRow("unavailable") << ErrorKind::UpstreamUnavailable << 502;
        QTest::newRow("timeout") << ErrorKind::UpstreamTimeout << 504;
        QTest::newRow("internal") << ErrorKind::Internal << 500;
        QTest::newRow("paused") << ErrorKind::Unavailable << 503;
    }
    void status()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(int, status);
        QCOMPARE(httpStatus(kind), status);
    }

    void openAi_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QVariant>("code"); // null QVariant: JSON null
        QTest::newRow("invalid") << ErrorKind::InvalidRequest << u"invalid_request_error"_s << QVariant();
        QTest::newRow("auth") << ErrorKind::Authentication << u"invalid_request_error"_s
                              << QVariant(u"invalid_api_key"_s);
        QTest::newRow("permission") << ErrorKind::Permission << u"permission_error"_s << QVariant();
        QTest::newRow("notfound") << ErrorKind::NotFound << u"invalid_request_error"_s << QVariant();
        QTest::newRow("method") << ErrorKind::MethodNotAllowed << u"invalid_request_error"_s << QVariant();
        QTest::newRow("toolarge") << ErrorKind::RequestTooLarge << u"invalid_request_error"_s
                                  << QVariant(u"request_too_large"_s);
        QTest::newRow("headers") << ErrorKind::HeadersTooLarge << u"invalid_request_error"_s << QVariant();
        QTest::newRow("ratelimited") << ErrorKind::RateLimited << u"rate_limit_error"_s
                                     << QVariant(u"rate_limit_exceeded"_s);
        QTest::newRow("unavailable") << ErrorKind::UpstreamUnavailable << u"server_error"_s << QVariant();
        QTest::newRow("timeout") << ErrorKind::UpstreamTimeout << u"server_error"_s << QVariant(u"timeout"_s);
        QTest::newRow("internal") << ErrorKind::Internal << u"server_error"_s << QVariant();
        QTest::newRow("paused") << ErrorKind::Unavailable << u"server_error"_s << QVariant(u"service_unavailable"_s);
    }
    void openAi()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(QString, type);
        QFETCH(QVariant, code);
        const QString message = u"Quote \" back\\slash\nnewline \u00e9 \U0001F600 \x01"_s;
        const QByteArray body = errorBody(WireFormat::OpenAI, kind, message);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = doc.object();
        QCOMPARE(root.keys(), QStringList {u"error"_s});
        const QJsonObject e = root.value(u"error").toObject();
        QCOMPARE(e.value(u"message").toString(), message);
        QCOMPARE(e.value(u"type").toString(), type);
        QVERIFY(e.contains(u"param"));
        QVERIFY(e.value(u"param").isNull());
        QVERIFY(e.contains(u"code"));
        if (code.isNull())
            QVERIFY(e.value(u"code").isNull());
        else
            QCOMPARE(e.value(u"code").toString(), code.toString());
    }

    void openAiExplicitCode()
    {
        const QByteArray body
            = errorBody(WireFormat::OpenAI, ErrorKind::NotFound, u"The model `x` does not exist", "model_not_found");
        QCOMPARE(body,
                 QByteArray(R"({"error":{"message":"The model `x` does not exist","type":)"
                            R"("invalid_request_error","param":null,"code":"model_not_found"}})"));
    }

    void anthropic_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("type");
        QTest::newRow("invalid") << ErrorKind::InvalidRequest << u"invalid_request_error"_s;
        QTest::newRow("auth") << ErrorKind::Authentication << u"authentication_error"_s;
        QTest::newRow("permission") << ErrorKind::Permission << u"permission_error"_s;
        QTest::newRow("notfound") << ErrorKind::NotFound << u"not_found_error"_s;
        QTest::newRow("method") << ErrorKind::MethodNotAllowed << u"invalid_request_error"_s;
        QTest::newRow("toolarge") << ErrorKind::RequestTooLarge << u"request_too_large"_s;
        QTest::newRow("headers") << ErrorKind::HeadersTooLarge << u"invalid_request_error"_s;
        QTest::newRow("ratelimited") << ErrorKind::RateLimited << u"rate_limit_error"_s;
        QTest::newRow("unavailable") << ErrorKind::UpstreamUnavailable << u"api_error"_s;
        QTest::newRow("timeout") << ErrorKind::UpstreamTimeout << u"timeout_error"_s;
        QTest::newRow("internal") << ErrorKind::Internal << u"api_error"_s;
        QTest::newRow("paused") << ErrorKind::Unavailable << u"api_error"_s;
    }
    void anthropic()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(QString, type);
        const QString message = u"tab\there \"quoted\" \u2028"_s;
        const QByteArray body = errorBody(WireFormat::Anthropic, kind, message, "ignored_code");
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(body, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(root.value(u"type").toString(), u"error"_s);
        const QJsonObject e = root.value(u"error").toObject();
        QCOMPARE(e.value(u"type").toString(), type);
        QCOMPARE(e.value(u"message").toString(), message);
        QCOMPARE(e.keys().size(), 2);
    }

    void wireExact()
    {
        QCOMPARE(errorBody(WireFormat::Anthropic, ErrorKind::RateLimited, u"slow down"),
                 QByteArray(R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})"));
        QCOMPARE(errorBody(WireFormat::OpenAI, ErrorKind::Authentication, u"bad key"),
                 QByteArray(R"({"error":{"message":"bad key","type":"invalid_request_error",)"
                            R"("param":null,"code":"invalid_api_key"}})"));
    }
};

QTEST_GUILESS_MAIN(TestWireFormat)
#include "tst_wireformat.moc"

// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

class QTcpSocket;

namespace sy::testsupport {

class MockConnection;
class MockResponder;
class TlsTcpServer;

// A scripted stand-in for api.openai.com and api.anthropic.com on 127.0.0.1.
//
// Without a script it answers like the real services (wire-exact JSON bodies, SSE streams
// with one HTTP chunk per event, the providers' response headers), echoing the last user
// message as "echo: <text>" so a test can send a unique string and find it again. Scripts
// queued with enqueue() answer the next requests instead, in order: fixed bodies, timed
// chunks, and the faults a gateway must survive (resets, mid-stream deaths, stalls).
//
// HTTP/1.1 with keep-alive and pipelining, plain or TLS. Lives on the thread that created
// it; everything is driven by that thread's event loop (timers, never sleeps).
class MockUpstream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockUpstream)

public:
    using Header = std::pair<QByteArray, QByteArray>;

    struct ReceivedRequest
    {
        QByteArray method;
        QByteArray target; // path + query, as sent
        QList<Header> headers; // in order and spelling as received
        QByteArray body; // de-chunked when the client sent Transfer-Encoding: chunked
        int connectionId = 0; // which accepted connection carried it (1, 2, ...): shows reuse

        // First header of that name, compared case-insensitively; empty when absent.
        QByteArray header(QByteArrayView name) const;
        bool hasHeader(QByteArrayView name) const;
        QByteArray path() const; // target without the query
    };

    // Token counts the default responses report; every format maps them to its own fields.
    struct Usage
    {
        int inputTokens
            = 11; // OpenAI prompt_tokens (cached and written included); Anthropic input_tokens (uncached part)
        int outputTokens = 7; // completion/output tokens (OpenAI: reasoning included)
        int cachedInputTokens = 3; // prompt_tokens_details.cached_tokens / cache_read_input_tokens
        int cacheWriteTokens = 2; // *_tokens_details.cache_write_tokens (GPT-5.6+) / cache_creation_input_tokens
        int reasoningTokens = 1; // completion_tokens_details.reasoning_tokens
    };

    enum class Fault {
        None,
        CloseBeforeResponse, // orderly close (FIN) without a byte of response
        ResetBeforeResponse, // TCP RST without a byte of response
        ResetAfterHeaders, // status line and headers, then RST
        CloseAfterChunks, // `faultAfter` chunks (or body bytes), then FIN: no terminating chunk
        ResetAfterChunks, // same, with RST instead of FIN
        Stall, // read the request, never answer, keep the connection open
    };

    struct Chunk
    {
        QByteArray data; // one HTTP chunk (for SSE: one whole event)
        int delayMs = 0; // wait before writing it, counted from the previous write
    };

    // One scripted answer. The defaults give "200, default body for this request".
    struct Script
    {
        int status = 200;
        QByteArray reason; // empty: the standard phrase
        QList<Header> headers; // Content-Length / Transfer-Encoding are added unless given
        QByteArray body; // sent with Content-Length when `chunks` is empty
        QList<Chunk> chunks; // non-empty: Transfer-Encoding: chunked, one HTTP chunk each
        bool useDefault = false; // answer with the default response, then apply delays/faults
        QByteArray raw; // non-empty: written verbatim instead (malformed responses); a Reset* fault then resets
        Fault fault = Fault::None;
        int faultAfter = 0; // chunks (chunked) or body bytes (Content-Length) before the fault
        int headerDelayMs = 0; // wait before the status line (slow first byte, timeouts)
        int chunkDelayMs = -1; // >= 0: overrides every chunk's delay (slow streams)
        int bodyPieceSize = 0; // > 0: a Content-Length body goes out in pieces of this size...
        int bodyPieceDelayMs = 0; // ...this far apart (a slow, not dead, upstream)
        bool closeAfter = false; // Connection: close, then close once answered
        int times = 1; // how many requests this script answers; < 0: all that follow

        // A complete JSON answer (content-type application/json).
        static Script json(int status, const QByteArray &body, const QList<Header> &headers = {});
        // A text/event-stream answer, one event per chunk, `delayMs` between them.
        static Script sse(const QList<QByteArray> &events, int delayMs = 0, int status = 200);
        // The default response for whatever arrives, with the given fault or delays set after.
        static Script defaultResponse();
        static Script failure(Fault fault, int faultAfter = 0);
        // Provider-shaped errors, as the real services send them (SDKs map these to classes).
        static Script openAiError(int status, const QByteArray &type, const QByteArray &code,
                                  const QByteArray &message);
        static Script anthropicError(int status, const QByteArray &type, const QByteArray &message);
    };

    explicit MockUpstream(QObject *parent = nullptr);
    ~MockUpstream() override;

    bool listen(quint16 port = 0);
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key, quint16 port = 0);
    void close(); // stops listening and drops every connection
    bool isTls() const;
    quint16 port() const;
    QUrl baseUrl() const; // http(s)://127.0.0.1:PORT, no path
    QString errorString() const;

    // Scripts answer the next requests in order; without one, the default responder does.
    void enqueue(const Script &script);
    void clearScripts();
    int pendingScripts() const;

    // Default-response knobs.
    void setUsage(const Usage &usage);
    Usage usage() const;
    void setStreamDelay(int ms); // between SSE events of default streams (0: back to back)
    int streamDelay() const;
    // Like the real services: without this key (Bearer or x-api-key) a request gets the
    // provider's 401, before any script. Empty (the default): no key is checked.
    void setRequiredKey(const QByteArray &key);

    // GET /v1/models, the list a gateway fetches on its own in the background (at start, on
    // reloads, on a timer). Answered like the real services (Anthropic's pages: limit,
    // after_id, has_more) from setModels(), or a replacement set with setModelsScript(),
    // never by enqueue()'s scripts; recorded in modelsRequests() only, so background fetches
    // never take a test's script or show up in requests() and requestCount().
    void setModels(const QList<QByteArray> &ids); // empty: the built-in lists of each format
    void setModelsPageLimit(int limit); // Anthropic's largest page (1000, as the real API)
    // E.g. an error, or defaultResponse() with headerDelayMs (a slow provider); nullopt: the list.
    void setModelsScript(const std::optional<Script> &script);
    QList<ReceivedRequest> modelsRequests() const;
    int modelsRequestCount() const;

    // What arrived. Recording can be turned off for long benchmark runs.
    QList<ReceivedRequest> requests() const;
    ReceivedRequest lastRequest() const;
    int requestCount() const;
    void clearRequests();
    void setRecordRequests(bool record);

    int connectionCount() const; // accepted so far
    int openConnectionCount() const;
    int closedConnectionCount() const;
    qint64 unsentBytes() const; // queued in sockets: grows when a reader applies back-pressure

Q_SIGNALS:
    void requestReceived();
    void modelsRequested();
    void connectionClosed();

private:
    void onNewConnection();
    void onRequest(MockConnection *connection, const ReceivedRequest &request);
    void onConnectionClosed(MockConnection *connection);
    bool startListening(quint16 port);

    std::unique_ptr<TlsTcpServer> m_server;
    std::unique_ptr<MockResponder> m_responder;
    QList<MockConnection *> m_connections;
    QList<Script> m_scripts;
    QList<ReceivedRequest> m_requests;
    QList<ReceivedRequest> m_modelsRequests;
    std::optional<Script> m_modelsScript;
    int m_requestCount = 0;
    bool m_recordRequests = true;
    QByteArray m_requiredKey;
    int m_connectionCount = 0;
    int m_closedCount = 0;
    bool m_tls = false;
    QString m_errorString;
};

} // namespace sy::testsupport

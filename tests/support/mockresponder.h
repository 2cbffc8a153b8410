// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>

#include "mockupstream.h"

namespace sy::testsupport {

// Builds MockUpstream's default answers: what api.openai.com and api.anthropic.com send for
// each endpoint, streamed or not, with the completion echoing the last user message.
//
// Bodies are assembled from byte templates (the request is parsed once, read-only) and
// kept per (target, body): a benchmark repeating one request gets the same prebuilt answer
// back, with only the request-id header made fresh.
class MockResponder final
{
public:
    MockUpstream::Script respond(const MockUpstream::ReceivedRequest &request);

    void setUsage(const MockUpstream::Usage &usage);
    MockUpstream::Usage usage() const { return m_usage; }
    void setStreamDelay(int ms);
    int streamDelay() const { return m_streamDelayMs; }
    void setModels(const QList<QByteArray> &ids) { m_models = ids; }
    void setModelsPageLimit(int limit) { m_modelsPageLimit = limit; }

    // Quoted JSON string for UTF-8 text.
    static QByteArray jsonString(QByteArrayView utf8);
    // The header a provider uses for its request id, with a fresh value.
    static MockUpstream::Header openAiRequestId();
    static MockUpstream::Header anthropicRequestId();

private:
    MockUpstream::Script build(const MockUpstream::ReceivedRequest &request) const;
    MockUpstream::Script models(const MockUpstream::ReceivedRequest &request) const;

    MockUpstream::Usage m_usage;
    int m_streamDelayMs = 0;
    QList<QByteArray> m_models; // empty: each format's built-in list
    int m_modelsPageLimit = 1000;
    QHash<QByteArray, MockUpstream::Script> m_cache;
};

} // namespace sy::testsupport

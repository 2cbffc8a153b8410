// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace sy::testsupport {

// Reads an Anthropic Messages event stream the way the SDK's accumulator does, and checks
// the rules Claude Code depends on as it goes: message_start first with a non-zero
// input_tokens, blocks opened with the next index one at a time, every delta inside its
// open block and of its type, no empty text block, every block closed before
// message_delta, message_stop last. Broken rules are listed in problems().
class AnthropicStreamReader
{
public:
    void read(const QByteArray &sse);

    QJsonObject message() const; // content with tool inputs parsed, stop_reason, usage
    QStringList problems() const { return m_problems; }
    QStringList eventTypes() const { return m_types; }
    bool sawError() const { return m_sawError; }
    bool stopped() const { return m_stopped; }
    qint64 startInputTokens() const { return m_startInput; }

private:
    void onEvent(const QByteArray &name, const QJsonObject &data);

    QJsonObject m_message;
    QList<QJsonObject> m_blocks;
    QList<QString> m_partialJson;
    int m_open = -1;
    bool m_sawError = false;
    bool m_stopped = false;
    qint64 m_startInput = -1;
    QStringList m_problems;
    QStringList m_types;
};

} // namespace sy::testsupport

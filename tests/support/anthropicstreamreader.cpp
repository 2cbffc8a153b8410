// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "anthropicstreamreader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace sy::testsupport {

void AnthropicStreamReader::read(const QByteArray &sse)
{
    qsizetype from = 0;
    for (;;) {
        const qsizetype end = sse.indexOf("\n\n", from);
        if (end < 0)
            break;
        const QByteArray event = sse.mid(from, end - from);
        from = end + 2;
        QByteArray name;
        QByteArray data;
        for (const QByteArray &line : event.split('\n')) {
            if (line.startsWith("event: "))
                name = line.mid(7);
            else if (line.startsWith("data: "))
                data += line.mid(6);
        }
        const QJsonDocument document = QJsonDocument::fromJson(data);
        if (!document.isObject()) {
            m_problems.append(QStringLiteral("an event whose data is not a JSON object"));
            continue;
        }
        onEvent(name, document.object());
    }
    if (from != sse.size())
        m_problems.append(QStringLiteral("bytes after the last event"));
}

void AnthropicStreamReader::onEvent(const QByteArray &name, const QJsonObject &data)
{
    const QString type = data.value(u"type").toString();
    m_types.append(type);
    if (type != QString::fromUtf8(name))
        m_problems.append(QStringLiteral("event name %1 carries type %2").arg(QString::fromUtf8(name), type));
    if (m_stopped)
        m_problems.append(QStringLiteral("%1 after message_stop").arg(type));
    if (type == u"error") {
        m_sawError = true;
        return;
    }
    if (m_types.size() == 1 && type != u"message_start")
        m_problems.append(QStringLiteral("the first event is %1").arg(type));
    if (type == u"message_start") {
        m_message = data.value(u"message").toObject();
        m_startInput = m_message.value(u"usage")[u"input_tokens"].toInteger(-1);
        if (m_startInput <= 0)
            m_problems.append(QStringLiteral("message_start without a real input_tokens"));
    } else if (type == u"content_block_start") {
        const int index = data.value(u"index").toInt(-1);
        if (m_open >= 0)
            m_problems.append(QStringLiteral("block %1 starts while %2 is open").arg(index).arg(m_open));
        if (index != m_blocks.size())
            m_problems.append(QStringLiteral("block %1 starts where %2 was next").arg(index).arg(m_blocks.size()));
        m_open = index;
        m_blocks.append(data.value(u"content_block").toObject());
        m_partialJson.append(QString());
    } else if (type == u"content_block_delta") {
        const int index = data.value(u"index").toInt(-1);
        if (index != m_open || index < 0) {
            m_problems.append(QStringLiteral("a delta for block %1 while %2 is open").arg(index).arg(m_open));
            return;
        }
        const QJsonObject delta = data.value(u"delta").toObject();
        const QString deltaType = delta.value(u"type").toString();
        QJsonObject &block = m_blocks[index];
        const QString blockType = block.value(u"type").toString();
        if (deltaType == u"text_delta" && blockType == u"text")
            block.insert(u"text", QString(block.value(u"text").toString() + delta.value(u"text").toString()));
        else if (deltaType == u"thinking_delta" && blockType == u"thinking")
            block.insert(u"thinking",
                         QString(block.value(u"thinking").toString() + delta.value(u"thinking").toString()));
        else if (deltaType == u"input_json_delta" && blockType == u"tool_use")
            m_partialJson[index] += delta.value(u"partial_json").toString();
        else
            m_problems.append(QStringLiteral("a %1 in a %2 block").arg(deltaType, blockType));
    } else if (type == u"content_block_stop") {
        const int index = data.value(u"index").toInt(-1);
        if (index != m_open)
            m_problems.append(QStringLiteral("block %1 stops while %2 is open").arg(index).arg(m_open));
        else if (m_blocks[index].value(u"type").toString() == u"text"
                 && m_blocks[index].value(u"text").toString().isEmpty())
            m_problems.append(QStringLiteral("an empty text block"));
        m_open = -1;
    } else if (type == u"message_delta") {
        if (m_open >= 0)
            m_problems.append(QStringLiteral("message_delta while block %1 is open").arg(m_open));
        const QJsonObject delta = data.value(u"delta").toObject();
        m_message.insert(u"stop_reason", delta.value(u"stop_reason"));
        m_message.insert(u"stop_sequence", delta.value(u"stop_sequence"));
        QJsonObject usage = m_message.value(u"usage").toObject();
        const QJsonObject update = data.value(u"usage").toObject();
        for (auto it = update.begin(); it != update.end(); ++it)
            usage.insert(it.key(), it.value());
        m_message.insert(u"usage", usage);
    } else if (type == u"message_stop") {
        m_stopped = true;
    } else if (type != u"ping") {
        m_problems.append(QStringLiteral("unknown event %1").arg(type));
    }
}

QJsonObject AnthropicStreamReader::message() const
{
    QJsonObject message = m_message;
    QJsonArray content;
    for (qsizetype i = 0; i < m_blocks.size(); ++i) {
        QJsonObject block = m_blocks.at(i);
        if (block.value(u"type").toString() == u"tool_use") {
            const QString json = m_partialJson.at(i);
            block.insert(u"input", json.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(json.toUtf8()).object());
        }
        content.append(block);
    }
    message.insert(u"content", content);
    return message;
}

} // namespace sy::testsupport

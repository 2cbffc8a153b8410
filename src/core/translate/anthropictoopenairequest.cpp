// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "anthropictoopenairequest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sy::translate {

namespace {

// Tokens an image costs, roughly (Anthropic: width*height/750, about 1,600 for a
// 1092x1092 picture): only for message_start's estimate.
constexpr qint64 kImageTokens = 1600;

class Mapper
{
public:
    Mapper(const QJsonObject &request, const AnthropicToOpenAIRequest::Options &options, Translation &translation)
        : m_request(request), m_options(options), m_translation(translation)
    { }

    Result<QByteArray> run();

private:
    bool fail(QString message)
    {
        m_error = std::move(message);
        return false;
    }
    bool mapSystem(QJsonArray &messages);
    bool mapMessage(const QJsonObject &message, qsizetype index, QJsonArray &messages);
    bool mapUser(const QJsonArray &blocks, qsizetype index, QJsonArray &messages);
    bool mapAssistant(const QJsonArray &blocks, qsizetype index, QJsonArray &messages);
    bool mapTools(QJsonObject &out);
    bool mapToolChoice(QJsonObject &out);
    // An image block as an OpenAI content part; false (with m_error) when malformed.
    bool imagePart(const QJsonObject &block, const QString &where, QJsonArray &parts);
    void count(const QString &text) { m_chars += text.size(); }

    const QJsonObject &m_request;
    const AnthropicToOpenAIRequest::Options &m_options;
    Translation &m_translation;
    QString m_error;
    qint64 m_chars = 0;
    qint64 m_images = 0;
};

QJsonValue contentValue(const QJsonArray &parts)
{
    // One text part goes as a plain string: some OpenAI-compatible servers take no others.
    if (parts.size() == 1 && parts.first()[u"type"].toString() == u"text")
        return parts.first()[u"text"];
    return parts;
}

QJsonObject textPart(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}};
}

Result<QByteArray> Mapper::run()
{
    QJsonObject out;
    out.insert(u"model", m_options.upstreamModel);
    QJsonArray messages;
    if (!mapSystem(messages))
        return Result<QByteArray>::failure(m_error);
    const QJsonValue input = m_request.value(u"messages");
    if (!input.isArray())
        return Result<QByteArray>::failure(QStringLiteral("messages: expected an array"));
    const QJsonArray list = input.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isObject())
            return Result<QByteArray>::failure(QStringLiteral("messages.%1: expected an object").arg(i));
        if (!mapMessage(list.at(i).toObject(), i, messages))
            return Result<QByteArray>::failure(m_error);
    }
    out.insert(u"messages", messages);
    if (!mapTools(out) || !mapToolChoice(out))
        return Result<QByteArray>::failure(m_error);

    const QJsonValue maxTokens = m_request.value(u"max_tokens");
    if (!maxTokens.isUndefined() && !maxTokens.isNull()) {
        if (!maxTokens.isDouble() || maxTokens.toDouble() < 1)
            return Result<QByteArray>::failure(QStringLiteral("max_tokens: expected a positive integer"));
        out.insert(m_options.maxCompletionTokens ? u"max_completion_tokens" : u"max_tokens", maxTokens);
    }
    for (const auto key : {u"temperature", u"top_p"}) {
        const QJsonValue value = m_request.value(key);
        if (value.isDouble())
            out.insert(key, value);
    }
    const QJsonValue stops = m_request.value(u"stop_sequences");
    if (stops.isArray() && !stops.toArray().isEmpty()) {
        for (const QJsonValue &stop : stops.toArray())
            m_translation.stopSequences.append(stop.toString().toUtf8());
        out.insert(u"stop", stops);
    }
    const QString user = m_request.value(u"metadata")[u"user_id"].toString();
    if (!user.isEmpty()) {
        // Claude Code puts a JSON object (as a string) there; OpenAI takes 64 characters.
        out.insert(u"user",
                   user.size() <= 64 ? user
                                     : QString::fromLatin1(
                                         QCryptographicHash::hash(user.toUtf8(), QCryptographicHash::Sha256).toHex()));
    }
    m_translation.stream = m_request.value(u"stream").toBool(false);
    if (m_translation.stream) {
        out.insert(u"stream", true);
        // Always: the usage in message_delta and in the row comes from this chunk.
        out.insert(u"stream_options", QJsonObject {{QStringLiteral("include_usage"), true}});
    }
    m_translation.estimatedInputTokens = qMax<qint64>(1, (m_chars + 3) / 4 + m_images * kImageTokens);
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

bool Mapper::mapSystem(QJsonArray &messages)
{
    const QJsonValue system = m_request.value(u"system");
    QString text;
    if (system.isString()) {
        text = system.toString();
    } else if (system.isArray()) {
        QStringList parts;
        const QJsonArray blocks = system.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            if (blocks.at(i)[u"type"].toString() != u"text")
                return fail(QStringLiteral("system.%1: only text blocks can be translated").arg(i));
            parts.append(blocks.at(i)[u"text"].toString());
        }
        text = parts.join(u'\n');
    } else if (!system.isUndefined() && !system.isNull()) {
        return fail(QStringLiteral("system: expected a string or an array of text blocks"));
    }
    if (!text.isEmpty()) {
        count(text);
        messages.append(
            QJsonObject {{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), text}});
    }
    return true;
}

bool Mapper::mapMessage(const QJsonObject &message, qsizetype index, QJsonArray &messages)
{
    const QString role = message.value(u"role").toString();
    if (role != u"user" && role != u"assistant")
        return fail(QStringLiteral("messages.%1.role: expected \"user\" or \"assistant\"").arg(index));
    const QJsonValue content = message.value(u"content");
    if (content.isString()) {
        count(content.toString());
        messages.append(QJsonObject {{QStringLiteral("role"), role}, {QStringLiteral("content"), content}});
        return true;
    }
    if (!content.isArray())
        return fail(QStringLiteral("messages.%1.content: expected a string or an array of blocks").arg(index));
    return role == u"user" ? mapUser(content.toArray(), index, messages)
                           : mapAssistant(content.toArray(), index, messages);
}

bool Mapper::imagePart(const QJsonObject &block, const QString &where, QJsonArray &parts)
{
    const QJsonObject source = block.value(u"source").toObject();
    const QString type = source.value(u"type").toString();
    QString url;
    if (type == u"base64") {
        const QString mediaType = source.value(u"media_type").toString();
        const QString data = source.value(u"data").toString();
        if (mediaType.isEmpty() || data.isEmpty())
            return fail(where + QStringLiteral(".source: a base64 image needs media_type and data"));
        url = QStringLiteral("data:") + mediaType + QStringLiteral(";base64,") + data;
    } else if (type == u"url") {
        url = source.value(u"url").toString();
        if (url.isEmpty())
            return fail(where + QStringLiteral(".source: a url image needs a url"));
    } else {
        return fail(where + QStringLiteral(".source: image source type '%1' cannot be translated").arg(type));
    }
    ++m_images;
    parts.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("image_url")},
                              {QStringLiteral("image_url"), QJsonObject {{QStringLiteral("url"), url}}}});
    return true;
}

bool Mapper::mapUser(const QJsonArray &blocks, qsizetype index, QJsonArray &messages)
{
    QJsonArray toolMessages;
    QJsonArray toolImages; // images from tool results: an OpenAI tool message cannot hold them
    QJsonArray parts;
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        const QJsonObject block = blocks.at(b).toObject();
        const QString where = QStringLiteral("messages.%1.content.%2").arg(index).arg(b);
        const QString type = block.value(u"type").toString();
        if (type == u"text") {
            const QString text = block.value(u"text").toString();
            count(text);
            if (!text.isEmpty())
                parts.append(textPart(text));
        } else if (type == u"image") {
            if (!imagePart(block, where, parts))
                return false;
        } else if (type == u"tool_result") {
            const QString id = block.value(u"tool_use_id").toString();
            if (id.isEmpty())
                return fail(where + QStringLiteral(".tool_use_id: required"));
            QStringList texts;
            const QJsonValue content = block.value(u"content");
            if (content.isString()) {
                texts.append(content.toString());
            } else if (content.isArray()) {
                const QJsonArray inner = content.toArray();
                for (qsizetype k = 0; k < inner.size(); ++k) {
                    const QJsonObject part = inner.at(k).toObject();
                    const QString partType = part.value(u"type").toString();
                    const QString partWhere = where + QStringLiteral(".content.%1").arg(k);
                    if (partType == u"text") {
                        texts.append(part.value(u"text").toString());
                    } else if (partType == u"image") {
                        if (toolImages.isEmpty())
                            toolImages.append(textPart(QStringLiteral("Images returned by the tool call %1:").arg(id)));
                        if (!imagePart(part, partWhere, toolImages))
                            return false;
                    } else {
                        return fail(partWhere
                                    + QStringLiteral(": a tool result block of type '%1' cannot be translated for an "
                                                     "OpenAI-format provider")
                                          .arg(partType));
                    }
                }
            }
            QString text = texts.join(u'\n');
            if (block.value(u"is_error").toBool(false))
                text.prepend(QStringLiteral("Error: "));
            count(text);
            toolMessages.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("tool")},
                                             {QStringLiteral("tool_call_id"), id},
                                             {QStringLiteral("content"), text}});
        } else {
            return fail(where
                        + QStringLiteral(": a block of type '%1' cannot be translated for an OpenAI-format provider")
                              .arg(type));
        }
    }
    for (const QJsonValue &message : std::as_const(toolMessages))
        messages.append(message);
    // The tool's images, then what the user wrote: one user message right after the results.
    for (const QJsonValue &part : std::as_const(parts))
        toolImages.append(part);
    if (!toolImages.isEmpty())
        messages.append(QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                                     {QStringLiteral("content"), contentValue(toolImages)}});
    return true;
}

bool Mapper::mapAssistant(const QJsonArray &blocks, qsizetype index, QJsonArray &messages)
{
    QString text;
    QJsonArray toolCalls;
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        const QJsonObject block = blocks.at(b).toObject();
        const QString where = QStringLiteral("messages.%1.content.%2").arg(index).arg(b);
        const QString type = block.value(u"type").toString();
        if (type == u"text") {
            text += block.value(u"text").toString();
        } else if (type == u"tool_use") {
            const QString id = block.value(u"id").toString();
            const QString name = block.value(u"name").toString();
            if (id.isEmpty() || name.isEmpty())
                return fail(where + QStringLiteral(": a tool_use block needs an id and a name"));
            const QJsonValue input = block.value(u"input");
            const QByteArray arguments = input.isObject()
                ? QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact)
                : QByteArrayLiteral("{}");
            m_chars += arguments.size();
            toolCalls.append(
                QJsonObject {{QStringLiteral("id"), id},
                             {QStringLiteral("type"), QStringLiteral("function")},
                             {QStringLiteral("function"),
                              QJsonObject {{QStringLiteral("name"),
                                            QString::fromUtf8(m_translation.toolNames.shorten(name.toUtf8()))},
                                           {QStringLiteral("arguments"), QString::fromUtf8(arguments)}}}});
        } else if (type == u"thinking" || type == u"redacted_thinking") {
            continue; // another model's reasoning, or ours unsigned: an OpenAI model cannot use it
        } else {
            return fail(where
                        + QStringLiteral(": a block of type '%1' cannot be translated for an OpenAI-format provider")
                              .arg(type));
        }
    }
    count(text);
    QJsonObject message {
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("content"), text.isEmpty() && !toolCalls.isEmpty() ? QJsonValue() : QJsonValue(text)}};
    if (!toolCalls.isEmpty())
        message.insert(u"tool_calls", toolCalls);
    messages.append(message);
    return true;
}

bool Mapper::mapTools(QJsonObject &out)
{
    const QJsonValue tools = m_request.value(u"tools");
    if (tools.isUndefined() || tools.isNull())
        return true;
    if (!tools.isArray())
        return fail(QStringLiteral("tools: expected an array"));
    QJsonArray mapped;
    for (const QJsonValue &value : tools.toArray()) {
        const QJsonObject tool = value.toObject();
        // Server tools (web_search_..., bash_..., text_editor_...) have a type and no schema:
        // the OpenAI provider cannot run them, and an offered tool is not part of the meaning.
        if (!tool.contains(u"input_schema"))
            continue;
        const QString name = tool.value(u"name").toString();
        if (name.isEmpty())
            return fail(QStringLiteral("tools: every tool needs a name"));
        QJsonObject function {
            {QStringLiteral("name"), QString::fromUtf8(m_translation.toolNames.shorten(name.toUtf8()))},
            {QStringLiteral("parameters"), tool.value(u"input_schema")}};
        const QString description = tool.value(u"description").toString();
        if (!description.isEmpty())
            function.insert(u"description", description);
        m_chars += name.size() + description.size() + 64;
        mapped.append(
            QJsonObject {{QStringLiteral("type"), QStringLiteral("function")}, {QStringLiteral("function"), function}});
    }
    if (!mapped.isEmpty())
        out.insert(u"tools", mapped);
    return true;
}

bool Mapper::mapToolChoice(QJsonObject &out)
{
    const QJsonValue choice = m_request.value(u"tool_choice");
    if (choice.isUndefined() || choice.isNull())
        return true;
    const QJsonObject object = choice.toObject();
    const QString type = object.value(u"type").toString();
    const bool hasTools = out.contains(u"tools");
    if (type == u"none") {
        if (hasTools)
            out.insert(u"tool_choice", QStringLiteral("none"));
        return true;
    }
    if (type == u"auto") {
        if (hasTools)
            out.insert(u"tool_choice", QStringLiteral("auto"));
    } else if (type == u"any") {
        out.insert(u"tool_choice", QStringLiteral("required"));
    } else if (type == u"tool") {
        const QString name = object.value(u"name").toString();
        if (name.isEmpty())
            return fail(QStringLiteral("tool_choice.name: required for type \"tool\""));
        out.insert(u"tool_choice",
                   QJsonObject {{QStringLiteral("type"), QStringLiteral("function")},
                                {QStringLiteral("function"),
                                 QJsonObject {{QStringLiteral("name"),
                                               QString::fromUtf8(m_translation.toolNames.shorten(name.toUtf8()))}}}});
    } else {
        return fail(QStringLiteral("tool_choice.type: expected auto, any, tool or none"));
    }
    if (object.value(u"disable_parallel_tool_use").toBool(false) && hasTools)
        out.insert(u"parallel_tool_calls", false);
    return true;
}

} // namespace

Result<AnthropicToOpenAIRequest::Output> AnthropicToOpenAIRequest::map(QByteArrayView anthropicBody,
                                                                       const Options &options)
{
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromRawData(anthropicBody.data(), anthropicBody.size()), &error);
    if (!document.isObject())
        return Result<Output>::failure(QStringLiteral("request body is not a JSON object"));
    auto translation = std::make_shared<Translation>();
    translation->clientModel = options.clientModel;
    const QJsonObject request = document.object();
    Mapper mapper(request, options, *translation);
    Result<QByteArray> body = mapper.run();
    if (!body)
        return Result<Output>::failure(body.error());
    return Output {std::move(body).value(), std::move(translation)};
}

} // namespace sy::translate

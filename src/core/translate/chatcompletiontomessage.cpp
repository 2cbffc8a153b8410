// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include "chatcompletiontomessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include "translate/jsonview.h"
#include "translate/stopreason.h"
#include "translate/translatelog.h"

namespace sy::translate {

Result<QByteArray> ChatCompletionToMessage::map(QByteArrayView openAiBody, const Translation &translation)
{
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromRawData(openAiBody.data(), openAiBody.size()));
    if (!document.isObject())
        return Result<QByteArray>::failure(QStringLiteral("the provider's answer is not a JSON object"));
    const QJsonObject completion = document.object();
    const QJsonArray choices = completion.value(u"choices").toArray();
    if (choices.isEmpty())
        return Result<QByteArray>::failure(QStringLiteral("the provider's answer holds no choice"));
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject message = choice.value(u"message").toObject();

    QJsonArray content;
    QString reasoning = message.value(u"reasoning_content").toString();
    if (reasoning.isEmpty())
        reasoning = message.value(u"reasoning").toString();
    if (!reasoning.isEmpty())
        content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("thinking")},
                                    {QStringLiteral("thinking"), reasoning},
                                    {QStringLiteral("signature"), QString()}});
    const QString text = message.value(u"content").toString();
    if (!text.isEmpty())
        content.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}});
    const QJsonArray calls = message.value(u"tool_calls").toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(u"function").toObject();
        const QByteArray arguments = function.value(u"arguments").toString().toUtf8();
        QJsonObject input;
        if (!arguments.trimmed().isEmpty()) {
            const QJsonDocument parsed = QJsonDocument::fromJson(arguments);
            if (parsed.isObject())
                input = parsed.object();
            else
                qCWarning(lcTranslate) << "a tool call's arguments are not a JSON object; sent as {}";
        }
        QString id = call.value(u"id").toString();
        if (id.isEmpty())
            id = QStringLiteral("toolu_") + QUuid::createUuid().toString(QUuid::Id128).left(24);
        content.append(QJsonObject {
            {QStringLiteral("type"), QStringLiteral("tool_use")},
            {QStringLiteral("id"), id},
            {QStringLiteral("name"),
             QString::fromUtf8(translation.toolNames.restore(function.value(u"name").toString().toUtf8()))},
            {QStringLiteral("input"), input}});
    }

    const QByteArray finish = choice.value(u"finish_reason").toString().toUtf8();
    const QByteArray matched = QJsonDocument(QJsonArray {choice.value(u"stop_reason")}).toJson(QJsonDocument::Compact);
    const JsonView matchedView = JsonView::parse(QByteArrayView(matched).sliced(1, matched.size() - 2));
    const StopReason stop = StopReason::fromOpenAI(finish, matchedView, !calls.isEmpty(), translation);

    const QJsonObject usage = completion.value(u"usage").toObject();
    const qint64 prompt = usage.value(u"prompt_tokens").toInteger(0);
    const QJsonObject details = usage.value(u"prompt_tokens_details").toObject();
    const qint64 cached = details.contains(u"cached_tokens") ? details.value(u"cached_tokens").toInteger()
                                                             : usage.value(u"prompt_cache_hit_tokens").toInteger(0);
    const qint64 written = details.value(u"cache_write_tokens").toInteger(0);

    QString id = completion.value(u"id").toString();
    id = QStringLiteral("msg_") + (id.isEmpty() ? QUuid::createUuid().toString(QUuid::Id128) : id);
    const QJsonObject out {
        {QStringLiteral("id"), id},
        {QStringLiteral("type"), QStringLiteral("message")},
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("model"), QString::fromUtf8(translation.clientModel)},
        {QStringLiteral("content"), content},
        {QStringLiteral("stop_reason"), QString::fromLatin1(stop.reason)},
        {QStringLiteral("stop_sequence"), stop.sequence.isEmpty() ? QJsonValue() : QString::fromUtf8(stop.sequence)},
        {QStringLiteral("usage"),
         QJsonObject {{QStringLiteral("input_tokens"), qMax<qint64>(0, prompt - cached - written)},
                      {QStringLiteral("cache_creation_input_tokens"), written},
                      {QStringLiteral("cache_read_input_tokens"), cached},
                      {QStringLiteral("output_tokens"), usage.value(u"completion_tokens").toInteger(0)}}}};
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace sy::translate

// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "mockupstream.h"

namespace sy::testsupport {

// Builds OpenAI chat completions streams the way real providers cut them, for the
// translation tests: text as raw UTF-8 (as api.openai.com sends it), tool arguments with
// every non-ASCII character as a \u escape (as Python servers such as vLLM send them), so
// a fragment boundary can fall mid-string, between the backslash and the quote of an
// escaped quote, or between the two halves of a surrogate pair (mid-character). Parallel
// tool calls can be interleaved. splitAwkwardly() then cuts the bytes into HTTP chunks
// in the middle of UTF-8 characters and escapes as well.
class OpenAiStreamBuilder
{
public:
    explicit OpenAiStreamBuilder(QByteArray id = "chatcmpl-test", QByteArray model = "gpt-4o-mini");

    OpenAiStreamBuilder &reasoning(const QString &text, const QByteArray &field = "reasoning_content");
    OpenAiStreamBuilder &text(const QStringList &pieces);
    // The start of a tool call (id, name, empty arguments), then its argument fragments.
    OpenAiStreamBuilder &toolStart(int index, const QByteArray &id, const QByteArray &name);
    OpenAiStreamBuilder &toolArguments(int index, const QString &fragment);
    // A whole call's arguments split into `pieces` (QString pieces: a cut may fall between
    // surrogates); calls with the same index list are sent one fragment of each in turn.
    OpenAiStreamBuilder &finish(const QByteArray &reason);
    OpenAiStreamBuilder &usage(int prompt, int completion, int cached);
    OpenAiStreamBuilder &raw(const QByteArray &data); // a data payload as given

    // "data: ...\n\n" events, the role chunk first, "data: [DONE]" last (unless `done` is false).
    QList<QByteArray> events(bool done = true) const;
    QByteArray stream(bool done = true) const;
    // The stream as HTTP chunks of a few bytes, cut inside UTF-8 characters and escapes.
    static QList<MockUpstream::Chunk> splitAwkwardly(const QByteArray &stream);
    MockUpstream::Script script(bool awkward = true, bool done = true) const;

    // Every non-ASCII UTF-16 unit as \uXXXX (a lone surrogate too), as json.dumps does.
    static QByteArray asciiJsonString(const QString &text);

private:
    QByteArray chunk(const QByteArray &delta, const QByteArray &finish = "null") const;

    QByteArray m_id;
    QByteArray m_model;
    QList<QByteArray> m_payloads;
};

} // namespace sy::testsupport

// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>

#include <QEventLoop>

namespace sy::cli {

// Commands run start to end; the stores they use answer asynchronously. Runs the event
// loop until the callback handed to `start` is called, and returns what it got.
template<typename T>
T awaitCallback(const std::function<void(std::function<void(T)>)> &start)
{
    std::optional<T> answer;
    QEventLoop loop;
    start([&](T value) {
        answer.emplace(std::move(value));
        loop.quit();
    });
    if (!answer)
        loop.exec();
    return std::move(*answer);
}

} // namespace sy::cli

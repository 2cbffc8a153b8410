// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <utility>

#include <QString>

namespace sy {

// The outcome of a synchronous call that can fail: a value, or a message for the user.
// Messages never carry secrets, header values or bodies.
template<typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) { }
    static Result failure(QString message)
    {
        Result r;
        r.m_error = std::move(message);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const QString &error() const { return m_error; }

private:
    Result() = default;
    std::optional<T> m_value;
    QString m_error;
};

// For calls that return nothing but can fail.
struct Done
{ };
using Status = Result<Done>;
inline Status success()
{
    return Status(Done {});
}

} // namespace sy

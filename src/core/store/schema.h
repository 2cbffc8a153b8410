// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>

#include "common/result.h"

namespace sy::store {

// The usage database's schema, versioned with PRAGMA user_version and migrated forward one
// step at a time. Every column is metadata (DESIGN.md, "No content at rest"): the only
// text is the labels table (client, provider, model, route, endpoint and price book names);
// adding a column here is a privacy decision.
//
//   1  requests (one row per request, label ids) and labels
//   2  daily and hourly rollups per client/provider/model, backfilled from requests
//   3  token counts in requests nullable: NULL is unknown (was -1 or 0); rollups sum the known
//   4  rollups count unpriced requests (answered, cost unknown) as live::Figures does,
//      backfilled from the requests still kept
class Schema
{
public:
    static constexpr int kVersion = 4;

    enum LabelKind { Client = 1, Provider = 2, Model = 3, Route = 4, Endpoint = 5, PriceBook = 6 };

    // The file's user_version; 0 for a new file.
    static Result<int> version(QSqlDatabase &db);
    // Migrates an empty or older database up to target (kVersion unless a test asks for
    // an earlier schema). A newer file is refused; the caller moves it aside.
    static Status migrate(QSqlDatabase &db, int target = kVersion);
    // The SQL condition on a `requests` row that makes it unpriced: a provider answered it
    // (usage seen, or a first byte and a success status) but its cost is unknown. Refused
    // requests and provider errors cost nothing and are not unpriced. The same rule as
    // live::Figures::add and StoreWriter's rollups, so today's figures never change
    // meaning when rows are committed.
    static QString unpricedCondition();
};

} // namespace sy::store

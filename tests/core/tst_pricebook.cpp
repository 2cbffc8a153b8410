// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QDate>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include "pricing/pricebook.h"

using namespace sy;
using namespace sy::pricing;

Q_DECLARE_METATYPE(sy::pricing::ModelPrice)
Q_DECLARE_METATYPE(sy::TokenUsage)

namespace {

const QDateTime kAt(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC); // a Monday, noon

// Round numbers so the expected costs can be checked by hand.
const QByteArray kBook = R"({"version": "test-1", "providers": {
    "openai": {"models": {"gpt-test": {"input": 2.0, "output": 8.0, "cached_input": 0.5},
                          "gpt-6-test": {"input": 2.0, "output": 10.0, "cached_input": 0.1, "cache_write": 2.5,
                                         "long_prompt": [{"above_prompt_tokens": 272000, "input": 4.0, "output": 15.0,
                                                          "cached_input": 0.2, "cache_write": 5.0}]}}},
    "anthropic": {"models": {"claude-test": {"input": 3.0, "output": 15.0, "cached_input": 0.3, "cache_write": 3.75, "cache_write_1h": 6.0},
                             "claude-no-1h": {"input": 3.0, "output": 15.0, "cached_input": 0.3, "cache_write": 3.75}}},
    "other": {"models": {"plain": {"input": 1.0, "output": 1.0},
                         "promo": {"input": 0.75, "output": 3.75, "changes": [{"from": "2027-01-01", "input": 1.5, "output": 7.5}]},
                         "busy": {"input": 1.0, "output": 1.0, "cached_input": 0.1,
                                  "peak": {"weekdays": [1, 2, 3, 4, 5], "utc": ["01:00-04:00", "06:00-10:00"],
                                           "input": 2.0, "output": 2.0, "cached_input": 0.2}}}},
    "gemini": {"models": {"pro-test": {"input": 2.0, "output": 12.0, "cached_input": 0.2,
                          "long_prompt": [{"above_prompt_tokens": 200000, "input": 4.0, "output": 18.0, "cached_input": 0.4}]}}},
    "long": {"models": {"claude-long": {"input": 3.0, "output": 15.0, "cached_input": 0.3, "cache_write": 3.75,
                        "long_prompt": [{"above_prompt_tokens": 200000, "input": 6.0, "output": 22.5, "cached_input": 0.6, "cache_write": 7.5}]}}}}})";

PriceBook testBook(const QJsonObject &overrides = {})
{
    auto book = PriceBook::fromJson(kBook, overrides);
    if (!book)
        qFatal("%s", qPrintable(book.error()));
    return std::move(book).value();
}

TokenUsage usage(qint64 input, qint64 output, qint64 cached = 0, qint64 written = 0)
{
    return TokenUsage {input, output, cached, written};
}

} // namespace

class TestPriceBook : public QObject
{
    Q_OBJECT

private slots:
    void builtInBookLoads()
    {
        const auto book = PriceBook::load();
        QVERIFY2(book.ok(), qPrintable(book.error()));
        QVERIFY(!book->version().isEmpty());
        QVERIFY(book->price(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), kAt).has_value());
        QVERIFY(
            book->price(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-5-20250929"), kAt).has_value());
        // Every built-in price is complete: cache rates never silently exceed input.
        const auto sonnet = *book->price(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-5"), kAt);
        QCOMPARE(sonnet.rates.input, 3'000'000);
        QCOMPARE(sonnet.rates.cachedInput, 300'000);
        QCOMPARE(sonnet.rates.cacheWrite, 3'750'000);
    }

    // OpenAI: prompt_tokens (input) INCLUDES cached_tokens.
    void openAiCachedTokensAreNotCountedTwice_data()
    {
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("cached");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("expected");
        // 1M uncached × $2 = $2.
        QTest::newRow("no cache") << qint64(1'000'000) << qint64(0) << qint64(0) << qint64(2'000'000);
        // 1M prompt of which 600k cached: 400k × $2 + 600k × $0.5 = $0.8 + $0.3.
        QTest::newRow("partly cached") << qint64(1'000'000) << qint64(600'000) << qint64(0) << qint64(1'100'000);
        QTest::newRow("all cached") << qint64(1'000'000) << qint64(1'000'000) << qint64(0) << qint64(500'000);
        // 1,234 prompt (1,024 cached), 56 out: 210×2 + 1024×0.5 + 56×8 = 420+512+448 = 1380 µ$.
        QTest::newRow("small") << qint64(1234) << qint64(1024) << qint64(56) << qint64(1380);
        // A provider reporting more cached than prompt tokens must not produce a negative part.
        QTest::newRow("inconsistent") << qint64(100) << qint64(200) << qint64(0) << qint64(100);
    }
    void openAiCachedTokensAreNotCountedTwice()
    {
        QFETCH(qint64, input);
        QFETCH(qint64, cached);
        QFETCH(qint64, output);
        QFETCH(qint64, expected);
        const auto cost
            = testBook().costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-test"),
                                      usage(input, output, cached), CacheConvention::InputIncludesCached, kAt);
        QVERIFY(cost.has_value());
        QCOMPARE(*cost, expected);
    }

    // OpenAI from GPT-5.6 on: cache_write_tokens, like cached_tokens, are a part of
    // prompt_tokens, billed once at their own rate; more than 272k prompt tokens (reads
    // and writes included) move the whole request to the long-prompt rates.
    void openAiCacheWritesArePartOfThePrompt_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TokenUsage>("tokens");
        QTest::addColumn<qint64>("expected");
        // 200k prompt, all written: 200k × $2.50 (not 200k × $2 + 200k × $2.50).
        QTest::newRow("all written") << QStringLiteral("gpt-6-test") << usage(200'000, 0, 0, 200'000)
                                     << qint64(500'000);
        // 20k × $2 + 80k × $0.10 + 100k × $2.50.
        QTest::newRow("read and written")
            << QStringLiteral("gpt-6-test") << usage(200'000, 0, 80'000, 100'000) << qint64(298'000);
        // 272k is still short: 172k × $2 + 100k × $2.50 + 1k × $10.
        QTest::newRow("at 272k") << QStringLiteral("gpt-6-test") << usage(272'000, 1000, 0, 100'000) << qint64(604'000);
        // 300k prompt: 100k × $4 + 100k × $0.20 + 100k × $5 + 1k × $15.
        QTest::newRow("over 272k") << QStringLiteral("gpt-6-test") << usage(300'000, 1000, 100'000, 100'000)
                                   << qint64(935'000);
        // A model without cache_write (before GPT-5.6) charges nothing extra: 1M × $2.
        QTest::newRow("no write rate") << QStringLiteral("gpt-test") << usage(1'000'000, 0, 0, 500'000)
                                       << qint64(2'000'000);
        // Reads and writes reported beyond the prompt never make the uncached part negative.
        QTest::newRow("inconsistent") << QStringLiteral("gpt-6-test") << usage(100, 0, 80, 80) << qint64(208);
    }
    void openAiCacheWritesArePartOfThePrompt()
    {
        QFETCH(QString, model);
        QFETCH(TokenUsage, tokens);
        QFETCH(qint64, expected);
        QCOMPARE(
            testBook().costMicroUsd(QStringLiteral("openai"), model, tokens, CacheConvention::InputIncludesCached, kAt),
            std::optional<qint64>(expected));
    }

    // Anthropic: input_tokens EXCLUDES cache reads and cache writes; each is billed separately.
    void anthropicCacheReadsAndWritesAreSeparate_data()
    {
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("no cache") << qint64(1'000'000) << qint64(0) << qint64(0) << qint64(0) << qint64(3'000'000);
        // 10 uncached + 1M read + 0 write: 30 + 300,000 µ$.
        QTest::newRow("cache read") << qint64(10) << qint64(1'000'000) << qint64(0) << qint64(0) << qint64(300'030);
        // 10 uncached + 1M written: 30 + 3,750,000 µ$.
        QTest::newRow("cache write") << qint64(10) << qint64(0) << qint64(1'000'000) << qint64(0) << qint64(3'750'030);
        // 3 + 2,000 read + 500 write + 100 out: 9 + 600 + 1875 + 1500 = 3984 µ$.
        QTest::newRow("all four") << qint64(3) << qint64(2000) << qint64(500) << qint64(100) << qint64(3984);
    }
    void anthropicCacheReadsAndWritesAreSeparate()
    {
        QFETCH(qint64, input);
        QFETCH(qint64, cacheRead);
        QFETCH(qint64, cacheWrite);
        QFETCH(qint64, output);
        QFETCH(qint64, expected);
        const auto cost = testBook().costMicroUsd(QStringLiteral("anthropic"), QStringLiteral("claude-test"),
                                                  usage(input, output, cacheRead, cacheWrite),
                                                  CacheConvention::InputExcludesCached, kAt);
        QVERIFY(cost.has_value());
        QCOMPARE(*cost, expected);
    }

    // Anthropic: 1-hour cache writes (cache_creation.ephemeral_1h_input_tokens, a part of
    // cache_creation_input_tokens) cost 2x input; the rest of the writes 1.25x.
    void oneHourCacheWritesHaveTheirOwnRate_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("written");
        QTest::addColumn<qint64>("written1h");
        QTest::addColumn<qint64>("expected");
        // 600k × $3.75 + 400k × $6.00 = $2.25 + $2.40.
        QTest::newRow("mixed TTLs") << QStringLiteral("claude-test") << qint64(1'000'000) << qint64(400'000)
                                    << qint64(4'650'000);
        QTest::newRow("all 1-hour") << QStringLiteral("claude-test") << qint64(1'000'000) << qint64(1'000'000)
                                    << qint64(6'000'000);
        QTest::newRow("no breakdown: 5-minute rate")
            << QStringLiteral("claude-test") << qint64(1'000'000) << qint64(0) << qint64(3'750'000);
        // A 1h count larger than the writes it is part of is capped, never priced twice.
        QTest::newRow("inconsistent split")
            << QStringLiteral("claude-test") << qint64(1'000'000) << qint64(5'000'000) << qint64(6'000'000);
        QTest::newRow("no 1-hour rate: the write rate")
            << QStringLiteral("claude-no-1h") << qint64(1'000'000) << qint64(400'000) << qint64(3'750'000);
    }

    void oneHourCacheWritesHaveTheirOwnRate()
    {
        QFETCH(QString, model);
        QFETCH(qint64, written);
        QFETCH(qint64, written1h);
        QFETCH(qint64, expected);
        TokenUsage tokens = usage(0, 0, 0, written);
        tokens.cacheWrite1h = written1h;
        QCOMPARE(testBook().costMicroUsd(QStringLiteral("anthropic"), model, tokens,
                                         CacheConvention::InputExcludesCached, kAt),
                 expected);
    }

    // Built-in rates of OpenAI-convention providers whose cached input is a discount:
    // prompt_tokens includes the cached tokens (DeepSeek's prompt_cache_hit_tokens too).
    void builtInCachedInputDiscounts_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<ModelPrice>("rates");
        QTest::addColumn<qint64>("expected"); // 1M prompt tokens, 400k of them cached, 100k out
        // 600k × $0.20 + 400k × $0.05 + 100k × $0.50.
        QTest::newRow("xai") << QStringLiteral("xai") << QStringLiteral("grok-4-1-fast-reasoning")
                             << ModelPrice {{200'000, 500'000, 50'000, 200'000, 200'000}} << qint64(190'000);
        // 600k × $1.25 + 400k × $0.20 + 100k × $2.50.
        QTest::newRow("xai grok 4.3") << QStringLiteral("xai") << QStringLiteral("grok-4.3")
                                      << ModelPrice {{1'250'000, 2'500'000, 200'000, 1'250'000, 1'250'000}}
                                      << qint64(1'080'000);
        // Every rate doubles past 200k prompt tokens, and this prompt is 1M:
        // 600k × $4 + 400k × $1 + 100k × $12.
        QTest::newRow("xai grok 4.7") << QStringLiteral("xai") << QStringLiteral("grok-4.7")
                                      << ModelPrice {{2'000'000, 6'000'000, 500'000, 2'000'000, 2'000'000},
                                                     {{200'000,
                                                       {4'000'000, 12'000'000, 1'000'000, 4'000'000, 4'000'000}}}}
                                      << qint64(4'000'000);
        // Off-peak (kAt is Monday noon UTC): 600k × $0.15 + 400k × $0.003 + 100k × $0.60.
        QTest::newRow("deepseek flash") << QStringLiteral("deepseek") << QStringLiteral("deepseek-v4-flash")
                                        << ModelPrice {{150'000, 600'000, 3'000, 150'000, 150'000}} << qint64(151'200);
        // 600k × $0.66 + 400k × $0.022 + 100k × $1.98.
        QTest::newRow("deepseek pro") << QStringLiteral("deepseek") << QStringLiteral("deepseek-v4-pro")
                                      << ModelPrice {{660'000, 1'980'000, 22'000, 660'000, 660'000}} << qint64(602'800);
        // 600k × $0.50 + 400k × $0.05 + 100k × $1.50.
        QTest::newRow("mistral large 3") << QStringLiteral("mistral") << QStringLiteral("mistral-large-2512")
                                         << ModelPrice {{500'000, 1'500'000, 50'000, 500'000, 500'000}}
                                         << qint64(470'000);
        // 600k × $0.075 + 400k × $0.0375 + 100k × $0.30.
        QTest::newRow("groq 20b") << QStringLiteral("groq") << QStringLiteral("openai/gpt-oss-20b")
                                  << ModelPrice {{75'000, 300'000, 37'500, 75'000, 75'000}} << qint64(90'000);
        // 600k × $0.15 + 400k × $0.075 + 100k × $0.60.
        QTest::newRow("groq") << QStringLiteral("groq") << QStringLiteral("openai/gpt-oss-120b")
                              << ModelPrice {{150'000, 600'000, 75'000, 150'000, 150'000}} << qint64(180'000);
    }
    void builtInCachedInputDiscounts()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(ModelPrice, rates);
        QFETCH(qint64, expected);
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        QCOMPARE(book->price(provider, model, kAt), std::optional<ModelPrice>(rates));
        QCOMPARE(book->costMicroUsd(provider, model, usage(1'000'000, 100'000, 400'000),
                                    CacheConvention::InputIncludesCached, kAt),
                 expected);
    }

    // Built-in long-prompt tiers: a prompt over the threshold, cached and written tokens
    // included, bills the whole request at the higher rates; the threshold itself does not.
    void builtInLongPromptTiers_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("threshold");
        QTest::addColumn<qint64>("written");
        QTest::addColumn<qint64>("atThreshold");
        QTest::addColumn<qint64>("justOver");
        // Every prompt has 100k cached tokens and 1k output tokens.
        // 100k × $2 + 100k × $0.20 + 1k × $12; then 100,001 × $4 + 100k × $0.40 + 1k × $18.
        QTest::newRow("gemini 3.1 pro") << QStringLiteral("gemini") << QStringLiteral("gemini-3.1-pro-preview")
                                        << qint64(200'000) << qint64(0) << qint64(232'000) << qint64(458'004);
        // GPT-6.2 Sol's model page: $2 input, $0.10 cached, $2.50 cache writes, $10 output; over
        // 272k input and cache rates double and output is 1.5x.
        // 122k × $2 + 100k × $0.10 + 50k × $2.50 + 1k × $10; then 122,001 × $4 + 100k × $0.20 + 50k × $5 + 1k × $15.
        QTest::newRow("gpt-6.2-sol") << QStringLiteral("openai") << QStringLiteral("gpt-6.2-sol") << qint64(272'000)
                                     << qint64(50'000) << qint64(389'000) << qint64(773'004);
    }
    void builtInLongPromptTiers()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(qint64, threshold);
        QFETCH(qint64, written);
        QFETCH(qint64, atThreshold);
        QFETCH(qint64, justOver);
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        const auto cost = [&](qint64 prompt) {
            return book->costMicroUsd(provider, model, usage(prompt, 1000, 100'000, written),
                                      CacheConvention::InputIncludesCached, kAt);
        };
        QCOMPARE(cost(threshold), std::optional<qint64>(atThreshold));
        QCOMPARE(cost(threshold + 1), std::optional<qint64>(justOver));
    }

    void builtInLookups()
    {
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        // A provider id of the user's own finds the model under the one provider that lists it.
        QVERIFY(book->price(QStringLiteral("google"), QStringLiteral("gemini-3.5-flash"), kAt).has_value());
        // OpenAI's models before GPT-5.6 bill no cache writes: they cost the input rate.
        const auto gpt54 = book->price(QStringLiteral("openai"), QStringLiteral("gpt-5.4"), kAt);
        QVERIFY(gpt54.has_value());
        QCOMPARE(gpt54->rates.cacheWrite, gpt54->rates.input);
    }

    // Gemini 3.8 Flash's introductory price ends with 2026; the book already holds the next one.
    void builtInGeminiFlashPriceChangesIn2027()
    {
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        const auto input = [&](const QDateTime &at) {
            return book->price(QStringLiteral("gemini"), QStringLiteral("gemini-3.8-flash"), at)->rates.input;
        };
        QCOMPARE(input(QDateTime(QDate(2026, 12, 31), QTime(23, 59), Qt::UTC)), 750'000);
        QCOMPARE(input(QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC)), 1'500'000);
    }

    // DeepSeek charges twice as much on weekdays 01:00-04:00 and 06:00-10:00 UTC.
    void builtInDeepSeekHasPeakHours()
    {
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        const auto cost = [&](const QDateTime &at) {
            return book->costMicroUsd(QStringLiteral("deepseek"), QStringLiteral("deepseek-v4-pro"),
                                      usage(1'000'000, 1'000'000), CacheConvention::InputIncludesCached, at);
        };
        const QDateTime monday(QDate(2026, 11, 23), QTime(2, 0), Qt::UTC);
        QCOMPARE(cost(monday), std::optional<qint64>(5'280'000)); // $1.32 + $3.96
        QCOMPARE(cost(monday.addSecs(2 * 3600)), std::optional<qint64>(2'640'000)); // 04:00: $0.66 + $1.98
        QCOMPARE(cost(monday.addDays(5)), std::optional<qint64>(2'640'000)); // Saturday
    }

    // Every provider of the built-in book names the page its prices come from and the day
    // they were read, so a reader can check them and knows how old they are.
    void builtInProvidersNameSourceAndDate()
    {
        QFile file(QStringLiteral(":/pricing/pricing.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject providers = QJsonDocument::fromJson(file.readAll()).object().value(u"providers").toObject();
        QVERIFY(!providers.isEmpty());
        for (auto it = providers.begin(); it != providers.end(); ++it) {
            const QJsonObject provider = it.value().toObject();
            QVERIFY2(provider.value(u"source").toString().startsWith(u"https://"), qPrintable(it.key()));
            QVERIFY2(QDate::fromString(provider.value(u"as_of").toString(), Qt::ISODate).isValid(),
                     qPrintable(it.key()));
        }
    }

    void builtInAnthropicPricesHaveTheOneHourRate()
    {
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        const auto sonnet = *book->price(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-5"), kAt);
        QCOMPARE(sonnet.rates.cacheWrite1h, 2 * sonnet.rates.input);
        const auto haiku = *book->price(QStringLiteral("anthropic"), QStringLiteral("claude-haiku-4-5"), kAt);
        QCOMPARE(haiku.rates.cacheWrite1h, 2 * haiku.rates.input);
    }

    // Haiku 5.5 bills a prompt over 100k tokens, cache reads included, at five times the rates.
    void builtInHaiku55IsPricedByPromptLength()
    {
        const auto book = PriceBook::load();
        QVERIFY(book.ok());
        const auto cost = [&](qint64 cacheReads) {
            return book->costMicroUsd(QStringLiteral("anthropic"), QStringLiteral("claude-haiku-5-5"),
                                      usage(60'000, 1000, cacheReads), CacheConvention::InputExcludesCached, kAt);
        };
        // 60k × $0.10 + 40k × $0.01 + 1k × $0.50.
        QCOMPARE(cost(40'000), std::optional<qint64>(6900));
        // 60k × $0.50 + 40,001 × $0.05 + 1k × $2.50 = 34,500.05.
        QCOMPARE(cost(40'001), std::optional<qint64>(34'500));
    }

    // Every built-in Anthropic model has its whole rate row: both cache-write rates and a
    // cache-read rate below input, so no cache token is priced as a plain input token.
    void builtInAnthropicRowsAreComplete()
    {
        QFile file(QStringLiteral(":/pricing/pricing.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject models = QJsonDocument::fromJson(file.readAll())
                                       .object()
                                       .value(u"providers")
                                       .toObject()
                                       .value(u"anthropic")
                                       .toObject()
                                       .value(u"models")
                                       .toObject();
        QVERIFY(models.contains(u"claude-opus-5-5"));
        for (auto it = models.begin(); it != models.end(); ++it) {
            const QJsonObject rates = it.value().toObject();
            for (const char *field : {"cached_input", "cache_write", "cache_write_1h"})
                QVERIFY2(rates.contains(QLatin1String(field)), qPrintable(it.key() + u' ' + QLatin1String(field)));
            QVERIFY2(rates.value(u"cached_input").toDouble() < rates.value(u"input").toDouble(), qPrintable(it.key()));
            QVERIFY2(rates.value(u"cache_write_1h").toDouble() > rates.value(u"cache_write").toDouble(),
                     qPrintable(it.key()));
        }
    }

    // The same request seen as one JSON body or as SSE deltas ends with the same final usage;
    // summing per-chunk costs instead would round differently. Cost is computed once, from totals.
    void streamedIsPricedLikeNonStreamed()
    {
        const PriceBook book = testBook();
        const TokenUsage total = usage(1333, 777, 333);
        const auto whole = book.costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-test"), total,
                                             CacheConvention::InputIncludesCached, kAt);
        // Streamed: usage accumulates over chunks (OpenAI sends it in the last chunk; Anthropic
        // sends input in message_start and output as a running total in message_delta).
        TokenUsage streamed = usage(0, 0);
        streamed.input = 1333;
        streamed.cachedInput = 333;
        for (const qint64 runningOutput : {1, 250, 500, 777})
            streamed.output = runningOutput;
        const auto fromStream = book.costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-test"), streamed,
                                                  CacheConvention::InputIncludesCached, kAt);
        QCOMPARE(fromStream, whole);
        QCOMPARE(*whole, qint64(1000 * 2 + 333 * 0.5 + 777 * 8 + 0.5)); // 2000 + 166.5 + 6216, rounded once
    }

    void unknownModelHasUnknownCostNotZero()
    {
        const PriceBook book = testBook();
        QVERIFY(!book.costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-nope"), usage(10, 10),
                                   CacheConvention::InputIncludesCached, kAt));
        // Unknown usage (no usage block seen) is unknown cost too.
        QVERIFY(!book.costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-test"), usage(-1, -1),
                                   CacheConvention::InputIncludesCached, kAt));
    }

    void lookupFallbacks()
    {
        const PriceBook book = testBook();
        // Dated ids fall back to the undated name.
        QVERIFY(book.price(QStringLiteral("anthropic"), QStringLiteral("claude-test-20250929"), kAt));
        QVERIFY(book.price(QStringLiteral("openai"), QStringLiteral("gpt-test-2025-04-14"), kAt));
        // A user's provider id finds a model only one provider lists.
        QVERIFY(book.price(QStringLiteral("work-openai"), QStringLiteral("gpt-test"), kAt));
        // Without a separate rate, cache tokens cost what input costs.
        QCOMPARE(book.price(QStringLiteral("other"), QStringLiteral("plain"), kAt)->rates.cachedInput, 1'000'000);
        // A prefix is not a match: an unknown newer model is unknown, not priced like an old one.
        QVERIFY(!book.price(QStringLiteral("openai"), QStringLiteral("gpt-test-2"), kAt));
    }

    void overridesAndLocalModels()
    {
        const QJsonObject overrides = QJsonDocument::fromJson(R"({
            "ollama": {"models": {"*": {"input": 0, "output": 0}}},
            "openai": {"models": {"gpt-test": {"input": 1, "output": 1}}}})")
                                          .object();
        const PriceBook book = testBook(overrides);
        QVERIFY(book.version().startsWith(QStringLiteral("test-1+user.")));
        QCOMPARE(book.costMicroUsd(QStringLiteral("ollama"), QStringLiteral("llama3.3:70b"), usage(5000, 5000),
                                   CacheConvention::InputIncludesCached, kAt),
                 std::optional<qint64>(0));
        QCOMPARE(book.costMicroUsd(QStringLiteral("openai"), QStringLiteral("gpt-test"), usage(1'000'000, 0),
                                   CacheConvention::InputIncludesCached, kAt),
                 std::optional<qint64>(1'000'000));
        QCOMPARE(testBook().version(), QStringLiteral("test-1"));
    }

    // Long prompts are billed at the tier's rates for the whole request, output included.
    // The prompt counts every input token, cached or not, whichever way the provider reports them.
    void longPromptsCostTheirTiersRates_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("convention");
        QTest::addColumn<TokenUsage>("tokens");
        QTest::addColumn<qint64>("expected");
        const int includes = int(CacheConvention::InputIncludesCached);
        const int excludes = int(CacheConvention::InputExcludesCached);
        // 200k × $2 + 1k × $12: the threshold itself is still the short-prompt price.
        QTest::newRow("at the threshold") << QStringLiteral("gemini") << QStringLiteral("pro-test") << includes
                                          << usage(200'000, 1000) << qint64(412'000);
        // 200,001 × $4 + 1k × $18.
        QTest::newRow("one token over") << QStringLiteral("gemini") << QStringLiteral("pro-test") << includes
                                        << usage(200'001, 1000) << qint64(818'004);
        // 300k prompt of which 100k cached: 200k × $4 + 100k × $0.40.
        QTest::newRow("cached, over") << QStringLiteral("gemini") << QStringLiteral("pro-test") << includes
                                      << usage(300'000, 0, 100'000) << qint64(840'000);
        // Anthropic: 100k input + 150k cache reads is a 250k prompt: 100k × $6 + 150k × $0.60.
        // Counting input_tokens alone would price it at the short rates (345,000).
        QTest::newRow("anthropic reads count") << QStringLiteral("long") << QStringLiteral("claude-long") << excludes
                                               << usage(100'000, 0, 150'000) << qint64(690'000);
        // 150k input + 50k written is exactly 200k: 150k × $3 + 50k × $3.75.
        QTest::newRow("anthropic at the threshold") << QStringLiteral("long") << QStringLiteral("claude-long")
                                                    << excludes << usage(150'000, 0, 0, 50'000) << qint64(637'500);
        // Over it by one written token: 150k × $6 + 50,001 × $7.50 + 1k × $22.50.
        QTest::newRow("anthropic writes count") << QStringLiteral("long") << QStringLiteral("claude-long") << excludes
                                                << usage(150'000, 1000, 0, 50'001) << qint64(1'297'508);
    }
    void longPromptsCostTheirTiersRates()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(int, convention);
        QFETCH(TokenUsage, tokens);
        QFETCH(qint64, expected);
        QCOMPARE(testBook().costMicroUsd(provider, model, tokens, CacheConvention(convention), kAt), expected);
    }

    // A price announced to change on a day applies from that UTC day on; before it, the old one.
    void datedChangesApplyFromTheirDay()
    {
        const PriceBook book = testBook();
        const auto onDay = [&](QDate day) {
            return book.costMicroUsd(QStringLiteral("other"), QStringLiteral("promo"), usage(1'000'000, 1'000'000),
                                     CacheConvention::InputIncludesCached, QDateTime(day, QTime(0, 0), Qt::UTC));
        };
        QCOMPARE(onDay(QDate(2026, 12, 31)), std::optional<qint64>(4'500'000));
        QCOMPARE(onDay(QDate(2027, 1, 1)), std::optional<qint64>(9'000'000));
        QCOMPARE(onDay(QDate(2030, 6, 1)), std::optional<qint64>(9'000'000));
        // The UTC day: 23:59 UTC on the last day is still the old price.
        const QDateTime lastMinute(QDate(2026, 12, 31), QTime(23, 59), Qt::UTC);
        QCOMPARE(book.price(QStringLiteral("other"), QStringLiteral("promo"), lastMinute)->rates.input, 750'000);
        QCOMPARE(book.price(QStringLiteral("other"), QStringLiteral("promo"), lastMinute.addSecs(60))->rates.input,
                 1'500'000);
        // A change is a whole new price: its absent cache rates are its own input rate.
        QCOMPARE(
            book.price(QStringLiteral("other"), QStringLiteral("promo"), lastMinute.addSecs(60))->rates.cachedInput,
            1'500'000);
    }

    // Busy hours cost the peak price on the listed weekdays, in the listed UTC spans
    // (start included, end excluded), by when the request started.
    void peakHoursCostThePeakPrice_data()
    {
        QTest::addColumn<QDateTime>("startedAt");
        QTest::addColumn<qint64>("expected"); // 1M in, 1M out
        const auto at = [](int day, int hour, int minute) {
            return QDateTime(QDate(2026, 11, day), QTime(hour, minute), Qt::UTC); // 23 Nov 2026: Monday
        };
        QTest::newRow("Monday 00:59") << at(23, 0, 59) << qint64(2'000'000);
        QTest::newRow("Monday 01:00") << at(23, 1, 0) << qint64(4'000'000);
        QTest::newRow("Monday 03:59") << at(23, 3, 59) << qint64(4'000'000);
        QTest::newRow("Monday 04:00") << at(23, 4, 0) << qint64(2'000'000);
        QTest::newRow("Friday 09:30") << at(27, 9, 30) << qint64(4'000'000);
        QTest::newRow("Friday 10:00") << at(27, 10, 0) << qint64(2'000'000);
        QTest::newRow("Saturday 02:00") << at(28, 2, 0) << qint64(2'000'000);
        // Another zone is read as the UTC time it is: 10:30 in Beijing is 02:30 UTC.
        QTest::newRow("Beijing 10:30") << QDateTime(QDate(2026, 11, 24), QTime(10, 30), QTimeZone(8 * 3600))
                                       << qint64(4'000'000);
    }
    void peakHoursCostThePeakPrice()
    {
        QFETCH(QDateTime, startedAt);
        QFETCH(qint64, expected);
        QCOMPARE(testBook().costMicroUsd(QStringLiteral("other"), QStringLiteral("busy"), usage(1'000'000, 1'000'000),
                                         CacheConvention::InputIncludesCached, startedAt),
                 expected);
    }

    // Overrides take the same shape, so a user can price a long-prompt model of their own.
    void overridesMayHaveTiersAndChanges()
    {
        const QJsonObject overrides = QJsonDocument::fromJson(R"({"vertex": {"models": {"my-pro": {
            "input": 1, "output": 1, "long_prompt": [{"above_prompt_tokens": 10, "input": 2, "output": 2}],
            "changes": [{"from": "2027-01-01", "input": 5, "output": 5}]}}}})")
                                          .object();
        const PriceBook book = testBook(overrides);
        const auto cost = [&](qint64 prompt, const QDateTime &at) {
            return book.costMicroUsd(QStringLiteral("vertex"), QStringLiteral("my-pro"), usage(prompt, 0),
                                     CacheConvention::InputIncludesCached, at);
        };
        QCOMPARE(cost(1'000'000, kAt), std::optional<qint64>(2'000'000));
        QCOMPARE(cost(10, kAt), std::optional<qint64>(10));
        // The change replaces the whole price, tiers included.
        QCOMPARE(cost(1'000'000, QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC)), std::optional<qint64>(5'000'000));
    }

    void badBooksAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{");
        QTest::newRow("no version") << QByteArray(R"({"providers": {}})");
        QTest::newRow("no output") << QByteArray(
            R"({"version": "x", "providers": {"p": {"models": {"m": {"input": 1}}}}})");
        QTest::newRow("negative") << QByteArray(
            R"({"version": "x", "providers": {"p": {"models": {"m": {"input": -1, "output": 1}}}}})");
        QTest::newRow("string") << QByteArray(
            R"({"version": "x", "providers": {"p": {"models": {"m": {"input": "1", "output": 1}}}}})");
        const auto model = [](const char *extra) -> QByteArray {
            return QByteArray(R"({"version": "x", "providers": {"p": {"models": {"m": {"input": 1, "output": 1, )")
                + extra + "}}}}}";
        };
        QTest::newRow("tiers not a list")
            << model(R"("long_prompt": {"above_prompt_tokens": 5, "input": 2, "output": 2})");
        QTest::newRow("tier without a threshold") << model(R"("long_prompt": [{"input": 2, "output": 2}])");
        QTest::newRow("fractional threshold")
            << model(R"("long_prompt": [{"above_prompt_tokens": 5.5, "input": 2, "output": 2}])");
        QTest::newRow("tiers out of order")
            << model(R"("long_prompt": [{"above_prompt_tokens": 9, "input": 2, "output": 2}, )"
                     R"({"above_prompt_tokens": 5, "input": 3, "output": 3}])");
        QTest::newRow("tier without output") << model(R"("long_prompt": [{"above_prompt_tokens": 5, "input": 2}])");
        QTest::newRow("changes not a list") << model(R"("changes": {"from": "2027-01-01", "input": 2, "output": 2})");
        QTest::newRow("change without a day") << model(R"("changes": [{"input": 2, "output": 2}])");
        QTest::newRow("change on no real day")
            << model(R"("changes": [{"from": "2027-02-30", "input": 2, "output": 2}])");
        QTest::newRow("changes out of order")
            << model(R"("changes": [{"from": "2027-02-01", "input": 2, "output": 2}, )"
                     R"({"from": "2027-01-01", "input": 3, "output": 3}])");
        QTest::newRow("change without input") << model(R"("changes": [{"from": "2027-01-01", "output": 2}])");
        QTest::newRow("peak not an object") << model(R"("peak": [1])");
        QTest::newRow("peak without weekdays") << model(R"("peak": {"utc": ["01:00-04:00"], "input": 2, "output": 2})");
        QTest::newRow("peak on day 8") << model(
            R"("peak": {"weekdays": [8], "utc": ["01:00-04:00"], "input": 2, "output": 2})");
        QTest::newRow("peak without hours") << model(R"("peak": {"weekdays": [1], "input": 2, "output": 2})");
        QTest::newRow("peak backwards") << model(
            R"("peak": {"weekdays": [1], "utc": ["04:00-01:00"], "input": 2, "output": 2})");
        QTest::newRow("peak at 25:00") << model(
            R"("peak": {"weekdays": [1], "utc": ["23:00-25:00"], "input": 2, "output": 2})");
        QTest::newRow("peak at 01:60") << model(
            R"("peak": {"weekdays": [1], "utc": ["01:60-02:00"], "input": 2, "output": 2})");
        QTest::newRow("peak in words") << model(
            R"("peak": {"weekdays": [1], "utc": ["morning"], "input": 2, "output": 2})");
        QTest::newRow("peak without output")
            << model(R"("peak": {"weekdays": [1], "utc": ["01:00-04:00"], "input": 2})");
    }
    void badBooksAreRefused()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!PriceBook::fromJson(json).ok());
    }
};

QTEST_GUILESS_MAIN(TestPriceBook)
#include "tst_pricebook.moc"

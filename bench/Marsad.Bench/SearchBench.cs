using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marsad.Classifier.Entities;
using Marsad.Search;
using Marsad.Search.Lucene;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// Search as users feel it: a fixed mix of queries, each with highlights and every facet, over the same articles in
/// the embedded Lucene store, in Elasticsearch with Marsad's analysis, and in Elasticsearch with its stock
/// <c>arabic</c> analyzer (what a team would pick instead): latency cold and warm, queries per second at one and two
/// clients, index size and indexing rate; and how many articles each query finds in each, so the cost of Marsad's
/// analysis and what it finds beyond the stock analyzer are side by side.
/// </summary>
public static class SearchBench
{
    /// <summary>Dates spread over two years, reproducibly, as months of news would be.</summary>
    private static readonly DateTimeOffset FirstDay = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record MixQuery(string Name, SearchRequest Request);

    private static readonly MixQuery[] Mix =
    [
        new("a name", new SearchRequest { Query = "بوتين" }),
        new("a name with aliases", new SearchRequest { Query = "الناتو" }),
        new("a phrase", new SearchRequest { Query = "\"أسعار النفط\"" }),
        new("two words", new SearchRequest { Query = "الحكومة الانتخابات" }),
        new("a topic filter", new SearchRequest { Query = "الفريق", Topic = "sport" }),
        new("a language filter", new SearchRequest { Query = "government", Language = "en" }),
        new("a date range", new SearchRequest { Query = "الرئيس", From = FirstDay.AddDays(10), To = FirstDay.AddDays(20) }),
        new("page 5", new SearchRequest { Query = "الرئيس", Page = 5 }),
    ];

    public static BenchTable LatencyTable() => new("Search latency with highlights and all facets (topic, source, language, entity, date)",
        "store", "articles", "indexed docs/s", "index MB per 1,000", "cold p50 ms", "cold max ms", "warm p50 ms", "warm p95 ms", "warm p99 ms", "queries/s, 1 client", "queries/s, 2 clients");

    public static BenchTable RecallTable() => new("Articles each query finds", ["articles", "query", .. new[] { "Lucene (Marsad)", "Elasticsearch (Marsad)", "Elasticsearch (stock arabic)" }]);

    /// <param name="months">How many months the articles' dates spread over (24: two years of news; Elasticsearch keeps one index a month).</param>
    public static async Task RunAsync(int count, string elasticsearchUrl, int serverMajor, BenchTable latency, BenchTable recall, bool quick, int months = 24)
    {
        var articles = Corpus(count, months);
        var repeats = quick ? 5 : 20;
        var seconds = quick ? 5 : 20;
        var found = Mix.ToDictionary(query => query.Name, _ => new string[3]);

        using (var directory = new TemporaryDirectory())
        {
            double rate;
            using (var writer = new LuceneSearchStore(directory.Path))
            {
                rate = await IndexAsync(writer, articles);
            }
            // A store opened anew: its first searches are cold, as after a restart.
            using var lucene = new LuceneSearchStore(directory.Path);
            var bytes = Directory.EnumerateFiles(directory.Path, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
            await MeasureAsync(latency, "Lucene (embedded, Marsad's analysis)", articles.Count, rate, bytes, request => Search(lucene, request), repeats, seconds, found, 0);
        }

        var url = BenchSupport.FindElasticsearch(elasticsearchUrl);
        if (url is null)
        {
            latency.Notes.Add("Elasticsearch not measured: no server (scripts/elasticsearch.sh start, or --elasticsearch URL).");
        }
        else
        {
            var prefix = "marsad-bench-search-" + Guid.NewGuid().ToString("N")[..8];
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
            try
            {
                var marsad = BenchSupport.Elasticsearch(url, serverMajor, prefix + "-marsad");
                var rate = await IndexAsync(marsad, articles);
                await marsad.RefreshAsync(CancellationToken.None);
                await http.PostAsync($"/{prefix}-marsad*/_forcemerge?max_num_segments=1", null);
                await http.PostAsync($"/{prefix}-marsad*/_cache/clear", null);
                await MeasureAsync(latency, "Elasticsearch, Marsad's analysis", articles.Count, rate, await StoreBytesAsync(http, prefix + "-marsad*"),
                    request => Search(marsad, request), repeats, seconds, found, 1);

                var stock = new StockArabicIndex(http, prefix + "-stock");
                var stockRate = await stock.IndexAsync(articles);
                await http.PostAsync($"/{prefix}-stock/_forcemerge?max_num_segments=1", null);
                await http.PostAsync($"/{prefix}-stock/_cache/clear", null);
                await MeasureAsync(latency, "Elasticsearch, stock `arabic` analyzer", articles.Count, stockRate, await StoreBytesAsync(http, prefix + "-stock"),
                    stock.SearchAsync, repeats, seconds, found, 2);
            }
            finally
            {
                await ElasticsearchServer.DeleteAsync(url, prefix);
            }
        }
        foreach (var query in Mix)
        {
            var counts = found[query.Name];
            recall.Row(articles.Count, query.Name + ": " + Describe(query.Request), counts[0], counts[1], counts[2]);
        }
        latency.Notes.Add($"{articles.Count:N0} articles of the mixed corpus (Arabic from ANT, English, French, edited copies), dated over {months} months; "
            + $"each query of the mix ({string.Join(", ", Mix.Select(query => query.Name))}) run once cold, then {repeats} times warm; "
            + $"queries per second over {seconds} s. Elasticsearch indices force-merged to one segment and their caches cleared before the cold runs.");
    }

    private static string Describe(SearchRequest request) =>
        $"`{request.Query}`" + (request.Topic is { } topic ? $" topic={topic}" : "") + (request.Language is { } lang ? $" lang={lang}" : "")
        + (request.From is { } from ? $" {from:yyyy-MM-dd}..{request.To:yyyy-MM-dd}" : "") + (request.Page > 1 ? $" page {request.Page}" : "");

    private static async Task<long> Search(ISearchStore store, SearchRequest request) => (await store.SearchAsync(request, CancellationToken.None)).Total;

    private static List<ArticleDocument> Corpus(int count, int months)
    {
        var mixed = MixedNews.Load(count);
        var documents = new ArticleDocument[mixed.Count];
        // Entities as the classifier names them, for the entity facet, found paragraph by paragraph: past ANT's size
        // articles are made of paragraphs already seen, and the tagger's ~10 ms an article would take hours at 1M.
        var paragraphEntities = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);
        string[] EntitiesOf(string paragraph) => paragraphEntities.GetOrAdd(paragraph,
            text => [.. EntityExtractor.Shipped.Extract("", text).Select(entity => entity.Normalized)]);
        // ANT's section is the topic.
        Parallel.For(0, mixed.Count, i =>
        {
            var article = mixed[i];
            var published = FirstDay.AddMinutes((long)(Hash(i) % ((ulong)months * 30 * 24 * 60)));
            documents[i] = new ArticleDocument
            {
                Id = $"search-{i:D7}",
                Url = $"https://bench.example/{i}",
                Title = article.Title,
                Text = article.Text,
                Source = article.Source,
                Language = article.Language,
                Published = published,
                Topics = article.Language == "ar" && article.Category.Length > 0 ? [article.Category] : [],
                Entities = EntityExtractor.Shipped.Extract(article.Title, "").Select(entity => entity.Normalized)
                    .Concat(article.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(EntitiesOf)).Distinct().ToList(),
            };
        });
        return [.. documents];
    }

    private static ulong Hash(int i)
    {
        var x = (ulong)i + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static async Task<double> IndexAsync(ISearchStore store, IReadOnlyList<ArticleDocument> articles)
    {
        var watch = Stopwatch.StartNew();
        foreach (var batch in articles.Chunk(500))
        {
            await store.IndexAsync(batch, CancellationToken.None);
        }
        return articles.Count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<long> StoreBytesAsync(HttpClient http, string index)
    {
        var stats = await http.GetFromJsonAsync<JsonObject>($"/{index}/_stats/store");
        return stats!["_all"]!["primaries"]!["store"]!["size_in_bytes"]!.GetValue<long>();
    }

    private static async Task MeasureAsync(BenchTable table, string store, int articles, double indexRate, long indexBytes,
        Func<SearchRequest, Task<long>> search, int repeats, int seconds, Dictionary<string, string[]> found, int column)
    {
        // A 1M run takes hours: its progress goes to stderr, the tables to stdout at the end.
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {store}, {articles:N0} articles: indexed at {indexRate:N0}/s, {indexBytes / 1048576:N0} MB; measuring");
        var cold = new List<double>();
        foreach (var query in Mix)
        {
            var watch = Stopwatch.StartNew();
            found[query.Name][column] = (await search(query.Request)).ToString("N0", CultureInfo.InvariantCulture);
            cold.Add(watch.Elapsed.TotalMilliseconds);
        }
        var warm = new List<double>();
        for (var round = 0; round < repeats; round++)
        {
            foreach (var query in Mix)
            {
                var watch = Stopwatch.StartNew();
                await search(query.Request);
                warm.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        cold.Sort();
        warm.Sort();
        table.Row(store, articles, Math.Round(indexRate), Math.Round(indexBytes / 1048576.0 / (articles / 1000.0), 2),
            Math.Round(BenchSupport.Percentile(cold, 0.5), 1), Math.Round(cold[^1], 1),
            Math.Round(BenchSupport.Percentile(warm, 0.5), 1), Math.Round(BenchSupport.Percentile(warm, 0.95), 1), Math.Round(BenchSupport.Percentile(warm, 0.99), 1),
            Math.Round(await ThroughputAsync(search, 1, seconds)), Math.Round(await ThroughputAsync(search, 2, seconds)));
    }

    /// <summary>Queries per second with <paramref name="clients"/> clients each running the mix in a loop.</summary>
    private static async Task<double> ThroughputAsync(Func<SearchRequest, Task<long>> search, int clients, int seconds)
    {
        var done = 0;
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; deadline.Elapsed.TotalSeconds < seconds; i++)
            {
                await search(Mix[i % Mix.Length].Request);
                Interlocked.Increment(ref done);
            }
        })));
        return done / deadline.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The same articles in an index whose text fields use Elasticsearch's stock <c>arabic</c> analyzer, searched as a
    /// team would search it: <c>query_string</c> over title and text (all words required), the same filters, highlights
    /// and facets.
    /// </summary>
    private sealed class StockArabicIndex(HttpClient http, string index)
    {
        public async Task<double> IndexAsync(IReadOnlyList<ArticleDocument> articles)
        {
            var mapping = new JsonObject
            {
                ["settings"] = new JsonObject { ["number_of_shards"] = 1, ["number_of_replicas"] = 0, ["refresh_interval"] = "-1" },
                ["mappings"] = new JsonObject
                {
                    ["properties"] = new JsonObject
                    {
                        ["title"] = new JsonObject { ["type"] = "text", ["analyzer"] = "arabic" },
                        ["text"] = new JsonObject { ["type"] = "text", ["analyzer"] = "arabic" },
                        ["source"] = new JsonObject { ["type"] = "keyword" },
                        ["topic"] = new JsonObject { ["type"] = "keyword" },
                        ["entity"] = new JsonObject { ["type"] = "keyword" },
                        ["lang"] = new JsonObject { ["type"] = "keyword" },
                        ["published"] = new JsonObject { ["type"] = "date" },
                    },
                },
            };
            (await http.PutAsync($"/{index}", JsonContent.Create(mapping))).EnsureSuccessStatusCode();
            var watch = Stopwatch.StartNew();
            foreach (var batch in articles.Chunk(500))
            {
                var body = new StringBuilder();
                foreach (var article in batch)
                {
                    body.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = article.Id } }.ToJsonString()).Append('\n');
                    body.Append(new JsonObject
                    {
                        ["title"] = article.Title, ["text"] = article.Text, ["source"] = article.Source, ["lang"] = article.Language,
                        ["topic"] = new JsonArray([.. article.Topics.Select(topic => (JsonNode)topic)]),
                        ["entity"] = new JsonArray([.. article.Entities.Select(entity => (JsonNode)entity)]),
                        ["published"] = article.Published?.ToString("O", CultureInfo.InvariantCulture),
                    }.ToJsonString()).Append('\n');
                }
                (await http.PostAsync($"/{index}/_bulk", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
            }
            var rate = articles.Count / watch.Elapsed.TotalSeconds;
            (await http.PutAsync($"/{index}/_settings", JsonContent.Create(new JsonObject { ["index"] = new JsonObject { ["refresh_interval"] = "1s" } }))).EnsureSuccessStatusCode();
            (await http.PostAsync($"/{index}/_refresh", null)).EnsureSuccessStatusCode();
            return rate;
        }

        public async Task<long> SearchAsync(SearchRequest request)
        {
            var filters = new JsonArray();
            if (request.Language is { } lang)
            {
                filters.Add(new JsonObject { ["term"] = new JsonObject { ["lang"] = lang } });
            }
            if (request.Topic is { } topic)
            {
                filters.Add(new JsonObject { ["term"] = new JsonObject { ["topic"] = topic } });
            }
            if (request.From is { } from)
            {
                filters.Add(new JsonObject { ["range"] = new JsonObject { ["published"] = new JsonObject { ["gte"] = from.ToString("O", CultureInfo.InvariantCulture), ["lt"] = request.To?.ToString("O", CultureInfo.InvariantCulture) } } });
            }
            JsonObject Terms(string field, int size) => new() { ["terms"] = new JsonObject { ["field"] = field, ["size"] = size } };
            var body = new JsonObject
            {
                ["from"] = (request.Page - 1) * request.Size,
                ["size"] = request.Size,
                ["track_total_hits"] = true,
                ["query"] = new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["must"] = new JsonObject { ["query_string"] = new JsonObject { ["query"] = request.Query, ["fields"] = new JsonArray("title^2", "text"), ["default_operator"] = "AND" } },
                        ["filter"] = filters,
                    },
                },
                ["highlight"] = new JsonObject { ["fields"] = new JsonObject { ["text"] = new JsonObject { ["fragment_size"] = 150, ["number_of_fragments"] = 2 }, ["title"] = new JsonObject() } },
                ["aggs"] = new JsonObject
                {
                    ["topic"] = Terms("topic", 20), ["source"] = Terms("source", 20), ["lang"] = Terms("lang", 20), ["entity"] = Terms("entity", 20),
                    ["date"] = new JsonObject { ["date_histogram"] = new JsonObject { ["field"] = "published", ["calendar_interval"] = "day", ["min_doc_count"] = 1, ["order"] = new JsonObject { ["_key"] = "desc" } } },
                },
            };
            var response = await http.PostAsync($"/{index}/_search", JsonContent.Create(body));
            response.EnsureSuccessStatusCode();
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return json["hits"]!["total"]!["value"]!.GetValue<long>();
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Marsad.Arabic;
using Microsoft.Extensions.Logging;
using static Marsad.Search.Elasticsearch.ElasticsearchConnection;
using HttpMethod = Elastic.Transport.HttpMethod;
using Marsad.Search.Analysis;
using Marsad.Search.Queries;

namespace Marsad.Search.Elasticsearch;

/// <summary>
/// The production store. Articles go to one index per publication month (<c>{prefix}-yyyy.MM</c>, so old months
/// can be dropped), chosen from the article itself so a re-delivery lands on the same index; writes use the bulk
/// API's <c>create</c>, so an id already there is reported (409) and never written twice. Searches read every
/// month through the <c>{prefix}-*</c> pattern. Queries are checked by the same parser as the embedded index
/// (public fields only, no leading wildcards or regular expressions) before the server sees them.
/// </summary>
public sealed class ElasticsearchSearchStore : ISearchStore
{
    private const int HighlightFragmentChars = 160;
    private const int HighlightFragments = 3;

    private readonly ElasticsearchOptions _options;
    private readonly ElasticsearchClient _client;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _templateGate = new(1, 1);
    private readonly global::Lucene.Net.Analysis.Analyzer _queryChecker = MarsadAnalyzers.CreateQueryAnalyzer();
    private readonly EntityAliases _aliases;
    private bool _templateReady;

    /// <param name="aliases">Entity aliases applied to queries; the shipped ones when null.</param>
    public ElasticsearchSearchStore(ElasticsearchOptions options, ILogger<ElasticsearchSearchStore> logger, EntityAliases? aliases = null)
    {
        _aliases = aliases ?? EntityAliases.Shipped;
        _options = options;
        _logger = logger;
        _client = ElasticsearchConnection.CreateClient(options);
    }

    private string ReadPattern => _options.IndexPrefix + "-*";

    public string IndexFor(ArticleDocument article) =>
        _options.IndexPrefix + "-" + (article.Published is { } published ? published.UtcDateTime.ToString("yyyy.MM") : "undated");

    public async Task<IReadOnlyList<IndexResult>> IndexAsync(IReadOnlyList<ArticleDocument> articles, CancellationToken cancellationToken)
    {
        await WithinRetryBudgetAsync(async () => { await EnsureTemplateAsync(cancellationToken); return true; }, cancellationToken);
        var outcomes = new IndexResult?[articles.Count];
        var pending = Enumerable.Range(0, articles.Count).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in pending.ToList())
        {
            // The same id twice in one batch: the second is a duplicate without asking the server.
            if (!seen.Add(articles[i].Id))
            {
                outcomes[i] = IndexResult.AlreadyIndexed;
                pending.Remove(i);
            }
        }

        var deadline = DateTime.UtcNow + _options.RetryBudget;
        var delay = TimeSpan.FromMilliseconds(500);
        while (pending.Count > 0)
        {
            var retry = await BulkCreateAsync(articles, pending, outcomes, cancellationToken);
            if (retry.Count == 0)
            {
                break;
            }
            if (DateTime.UtcNow + delay > deadline)
            {
                throw new SearchStoreUnavailableException(
                    $"Elasticsearch did not accept {retry.Count} article(s) within {_options.RetryBudget}; they will be retried from the queue.");
            }
            // Only the items that failed go again, after a pause: the server asked for one (429) or is away.
            _logger.LogWarning("Elasticsearch refused {Count} article(s) for now; retrying in {Delay} ms", retry.Count, delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 15_000));
            pending = retry;
        }
        return outcomes.Select(outcome => outcome ?? IndexResult.Indexed).ToList();
    }

    /// <summary>One _bulk of create actions; returns the items to send again (throttled, or the server unreachable).</summary>
    private async Task<List<int>> BulkCreateAsync(IReadOnlyList<ArticleDocument> articles, List<int> pending, IndexResult?[] outcomes, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        foreach (var i in pending)
        {
            var article = articles[i];
            body.Append(JsonSerializer.Serialize(new { create = new Dictionary<string, string> { ["_index"] = IndexFor(article), ["_id"] = article.Id } })).Append('\n');
            body.Append(ToSource(article).ToJsonString()).Append('\n');
        }

        // No refresh here: searches see new articles within the index's refresh interval (1 s), as Elasticsearch
        // intends; waiting for each refresh would cap the indexer at one batch a second. GetAsync is realtime.
        var response = await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.POST, "/_bulk", PostData.String(body.ToString()), cancellationToken);
        if (!response.ApiCallDetails.HasSuccessfulStatusCode)
        {
            if (IsTransient(response.ApiCallDetails.HttpStatusCode))
            {
                return pending;
            }
            throw new InvalidOperationException($"Elasticsearch refused the bulk request: {Describe(response)}");
        }

        var items = JsonNode.Parse(response.Body)!["items"]!.AsArray();
        var retry = new List<int>();
        for (var k = 0; k < pending.Count; k++)
        {
            var result = items[k]!["create"]!;
            var status = result["status"]!.GetValue<int>();
            var i = pending[k];
            if (status is 200 or 201)
            {
                outcomes[i] = IndexResult.Indexed;
            }
            else if (status == 409)
            {
                outcomes[i] = IndexResult.AlreadyIndexed;
            }
            else if (IsTransient(status))
            {
                retry.Add(i);
            }
            else
            {
                // A document the mapping refuses will never succeed: it is reported with the reason, not retried.
                outcomes[i] = new IndexResult(IndexOutcome.Rejected, $"Elasticsearch refused the document ({status}): {DescribeError(result["error"])}");
            }
        }
        return retry;
    }

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var (page, size) = request.ServedPage();
        var body = new JsonObject
        {
            ["from"] = (page - 1) * size,
            ["size"] = size,
            ["track_total_hits"] = true,
            ["timeout"] = $"{SearchRequest.TimeLimit.TotalSeconds:0}s",
            ["query"] = BuildQuery(request),
            ["highlight"] = new JsonObject
            {
                ["pre_tags"] = new JsonArray("<em>"),
                ["post_tags"] = new JsonArray("</em>"),
                ["encoder"] = "html",
                ["fields"] = new JsonObject
                {
                    ["text"] = new JsonObject { ["fragment_size"] = HighlightFragmentChars, ["number_of_fragments"] = HighlightFragments },
                },
            },
            ["aggs"] = new JsonObject
            {
                [SearchFacets.Topic] = Terms("topic.raw"),
                [SearchFacets.Source] = Terms("source.raw"),
                [SearchFacets.Lang] = Terms("lang.raw"),
                [SearchFacets.Entity] = Terms("entity.raw"),
                // The most recent days that have articles, oldest first, as the embedded index gives them.
                [SearchFacets.Date] = new JsonObject
                {
                    ["date_histogram"] = new JsonObject
                    {
                        ["field"] = "published", ["calendar_interval"] = "day", ["format"] = "yyyy-MM-dd", ["min_doc_count"] = 1,
                        ["order"] = new JsonObject { ["_key"] = "desc" },
                    },
                    ["aggs"] = new JsonObject { ["recent"] = new JsonObject { ["bucket_sort"] = new JsonObject { ["size"] = SearchFacets.Days } } },
                },
            },
        };
        var json = await SearchJsonAsync(body, cancellationToken);
        var hits = json["hits"]!["hits"]!.AsArray().Select(hit => ToHit(hit!)).ToList();
        return new SearchResponse
        {
            Total = json["hits"]!["total"]!["value"]!.GetValue<long>(),
            TookMs = stopwatch.ElapsedMilliseconds,
            Hits = hits,
            Facets = SearchFacets.All.ToDictionary(
                name => name,
                IReadOnlyDictionary<string, long> (name) => (json["aggregations"]?[name]?["buckets"]?.AsArray() ?? [])
                    .Select(bucket => (Key: bucket!["key_as_string"]?.GetValue<string>() ?? bucket!["key"]!.GetValue<string>(), Count: bucket!["doc_count"]!.GetValue<long>()))
                    .OrderBy(bucket => name == SearchFacets.Date ? bucket.Key : "", StringComparer.Ordinal)
                    .ToDictionary(bucket => bucket.Key, bucket => bucket.Count)),
        };
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var response = await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.GET, $"/{ReadPattern}/_count?ignore_unavailable=true&allow_no_indices=true", cancellationToken);
        EnsureSuccess(response);
        return JsonNode.Parse(response.Body)!["count"]!.GetValue<long>();
    }

    public async Task<ArticleDocument?> GetAsync(string id, DateTimeOffset? published, CancellationToken cancellationToken)
    {
        // The realtime GET reads what was just written, before any refresh; it needs the index, which the date gives.
        var index = _options.IndexPrefix + "-" + (published is { } date ? date.UtcDateTime.ToString("yyyy.MM") : "undated");
        var direct = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.GET, $"/{index}/_doc/{Uri.EscapeDataString(id)}", cancellationToken);
        if (direct.ApiCallDetails.HasSuccessfulStatusCode)
        {
            return FromSource(JsonNode.Parse(direct.Body)!["_source"]!);
        }
        if (direct.ApiCallDetails.HttpStatusCode != 404)
        {
            EnsureSuccess(direct);
        }
        // Not where its date says (or no date known): look in every month, as of the last refresh.
        var json = await SearchJsonAsync(new JsonObject { ["size"] = 1, ["query"] = new JsonObject { ["ids"] = new JsonObject { ["values"] = new JsonArray(id) } } }, cancellationToken);
        var hit = json["hits"]!["hits"]!.AsArray().FirstOrDefault();
        return hit is null ? null : FromSource(hit["_source"]!);
    }

    public Task<IReadOnlyList<IReadOnlyList<StoryCandidate>>> FindStoryCandidatesAsync(IReadOnlyList<ulong> fingerprints, int limit, CancellationToken cancellationToken) =>
        WithinRetryBudgetAsync(() => FindStoryCandidatesOnceAsync(fingerprints, limit, cancellationToken), cancellationToken);

    /// <summary>
    /// The indexer's reads and set-up, asked again with growing pauses while the cluster is away (restarting,
    /// overloaded), within the same retry budget as its bulk writes: an outage of a minute delays articles, it does
    /// not send them to the error queue.
    /// </summary>
    private async Task<T> WithinRetryBudgetAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.RetryBudget;
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (SearchStoreUnavailableException e) when (DateTime.UtcNow + delay < deadline)
            {
                _logger.LogWarning("{Reason}; asking again in {Delay} ms", e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 15_000));
            }
        }
    }

    private async Task<IReadOnlyList<IReadOnlyList<StoryCandidate>>> FindStoryCandidatesOnceAsync(IReadOnlyList<ulong> fingerprints, int limit, CancellationToken cancellationToken)
    {
        if (fingerprints.Count == 0)
        {
            return [];
        }
        // One multi-search for the whole batch; each shared band counts one (constant score), so the score is the
        // number of bands in common.
        var body = new StringBuilder();
        foreach (var fingerprint in fingerprints)
        {
            var bands = new JsonArray(StoryFingerprint.Bands(fingerprint)
                .Select(band => (JsonNode)new JsonObject { ["constant_score"] = new JsonObject { ["filter"] = new JsonObject { ["term"] = new JsonObject { ["story_band"] = band } } } })
                .ToArray());
            body.Append(new JsonObject { ["index"] = ReadPattern, ["ignore_unavailable"] = true, ["allow_no_indices"] = true }.ToJsonString()).Append('\n');
            body.Append(new JsonObject
            {
                ["size"] = limit,
                ["_source"] = new JsonArray("id", "story", "story_fingerprint", "published"),
                ["query"] = new JsonObject { ["bool"] = new JsonObject { ["should"] = bands, ["minimum_should_match"] = 1 } },
            }.ToJsonString()).Append('\n');
        }
        var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.POST, "/_msearch", PostData.String(body.ToString()), cancellationToken);
        EnsureSuccess(response);
        return JsonNode.Parse(response.Body)!["responses"]!.AsArray().Select(result =>
        {
            if (result!["error"] is { } error)
            {
                throw new InvalidOperationException($"Elasticsearch refused a story lookup: {error.ToJsonString()}");
            }
            return (IReadOnlyList<StoryCandidate>)result["hits"]!["hits"]!.AsArray()
                .Select(hit => hit!["_source"]!)
                .Where(source => StoryFingerprint.FromHex(source["story_fingerprint"]?.GetValue<string>()) is not null)
                .Select(source => new StoryCandidate(
                    source["id"]!.GetValue<string>(),
                    source["story"]?.GetValue<string>() ?? source["id"]!.GetValue<string>(),
                    StoryFingerprint.FromHex(source["story_fingerprint"]!.GetValue<string>())!.Value,
                    ParseDate(source["published"]?.GetValue<string>())))
                .ToList();
        }).ToList();
    }

    /// <summary>Makes everything written so far visible to search now (tests and tools; the indexer never waits for it).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.POST, $"/{ReadPattern}/_refresh?ignore_unavailable=true&allow_no_indices=true", cancellationToken));

    public Task PrepareAsync(CancellationToken cancellationToken) => EnsureTemplateAsync(cancellationToken);

    /// <summary>
    /// Creates the index template if the cluster has none by this name (operators may have tuned theirs). When the
    /// cluster's template predates fields Marsad now writes, those fields (and only those) are added to it and to the
    /// article indices already made from it: the mapping is strict, and an upgrade must not turn every new article
    /// into a mapping error.
    /// </summary>
    public async Task EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        if (_templateReady)
        {
            return;
        }
        await _templateGate.WaitAsync(cancellationToken);
        try
        {
            if (_templateReady)
            {
                return;
            }
            var path = "/_index_template/" + ArticleIndexTemplate.TemplateName(_options.IndexPrefix);
            var existing = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.GET, path, cancellationToken);
            var ours = ArticleIndexTemplate.Build(_options.IndexPrefix, _options.Replicas);
            if (existing.ApiCallDetails.HttpStatusCode == 404)
            {
                EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, path, PostData.String(ArticleIndexTemplate.ToJson(ours)), cancellationToken));
                _logger.LogInformation("Created the Elasticsearch index template {Template}", path);
            }
            else
            {
                EnsureSuccess(existing);
                await AddMissingFieldsAsync(path, JsonNode.Parse(existing.Body)!["index_templates"]![0]!["index_template"]!.AsObject(), ours, cancellationToken);
            }
            _templateReady = true;
        }
        finally
        {
            _templateGate.Release();
        }
    }

    private async Task AddMissingFieldsAsync(string path, JsonObject theirs, JsonObject ours, CancellationToken cancellationToken)
    {
        var ourFields = ours["template"]!["mappings"]!["properties"]!.AsObject();
        if (theirs["template"]?["mappings"]?["properties"] is not JsonObject theirFields)
        {
            return;
        }
        var missing = new JsonObject();
        foreach (var (name, mapping) in ourFields.Where(field => !theirFields.ContainsKey(field.Key)))
        {
            missing[name] = mapping!.DeepClone();
            theirFields[name] = mapping.DeepClone();
        }
        if (missing.Count == 0)
        {
            return;
        }
        EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, path, PostData.String(theirs.ToJsonString()), cancellationToken));
        EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.PUT, $"/{_options.IndexPrefix}-*/_mapping?allow_no_indices=true&ignore_unavailable=true",
            PostData.String(new JsonObject { ["properties"] = missing }.ToJsonString()), cancellationToken));
        _logger.LogWarning("Added the fields {Fields} to the Elasticsearch index template {Template} and its indices (written by an older Marsad)",
            string.Join(", ", missing.Select(field => field.Key)), path);
    }

    private JsonObject BuildQuery(SearchRequest request)
    {
        var text = request.Query.Trim();
        JsonNode must;
        var should = new JsonArray();
        if (text.Length == 0 || text == "*")
        {
            must = new JsonObject { ["match_all"] = new JsonObject() };
        }
        else
        {
            // Same refusals, messages and alias expansion as the embedded index; the server then parses the same syntax itself.
            var expanded = PublicFieldQueryParser.ParseWithAliases(text, _queryChecker, _aliases).Expanded;
            must = QueryString(expanded);
            if (ProximityBonus.PhraseFor(text) is { } phrase)
            {
                should.Add(QueryString(phrase));
            }
        }
        var filters = new JsonArray();
        AddTerm(filters, "lang", request.Language);
        AddTerm(filters, "topic", request.Topic);
        AddTerm(filters, "source", request.Source);
        if (request.From is not null || request.To is not null)
        {
            var range = new JsonObject();
            if (request.From is { } from)
            {
                range["gte"] = from.ToUnixTimeMilliseconds();
            }
            if (request.To is { } to)
            {
                range["lte"] = to.ToUnixTimeMilliseconds();
            }
            range["format"] = "epoch_millis";
            filters.Add(new JsonObject { ["range"] = new JsonObject { ["published"] = range } });
        }
        return new JsonObject { ["bool"] = new JsonObject { ["must"] = must, ["should"] = should, ["filter"] = filters } };
    }

    // The user's syntax, parsed by the server as the embedded index parses it.
    private static JsonObject QueryString(string query) => new()
    {
        ["query_string"] = new JsonObject
        {
            ["query"] = query,
            ["fields"] = new JsonArray(LuceneFields.DefaultFieldBoosts
                .Select(field => (JsonNode)FormattableString.Invariant($"{field.Key}^{field.Value}")).ToArray()),
            // Lucene's multi-field parser adds up the fields' scores; query_string's default keeps the best one.
            ["type"] = "most_fields",
            ["default_operator"] = "AND",
            ["allow_leading_wildcard"] = false,
        },
    };

    // The keyword normaliser folds the filter value exactly as it folded the stored one.
    private static void AddTerm(JsonArray filters, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { [field] = value.Trim() } });
        }
    }

    private static JsonObject Terms(string field) => new() { ["terms"] = new JsonObject { ["field"] = field, ["size"] = SearchFacets.Values } };

    private async Task<JsonNode> SearchJsonAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var response = await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.POST, $"/{ReadPattern}/_search?ignore_unavailable=true&allow_no_indices=true",
            PostData.String(body.ToJsonString()), cancellationToken);
        EnsureSuccess(response);
        return JsonNode.Parse(response.Body)!;
    }

    private static JsonObject ToSource(ArticleDocument article) => new()
    {
        ["id"] = article.Id,
        ["url"] = article.Url,
        ["title"] = article.Title,
        ["text"] = article.Text,
        ["source"] = article.Source.Trim(),
        ["lang"] = article.Language.Trim(),
        ["topic"] = new JsonArray(article.Topics.Select(topic => (JsonNode)topic.Trim()).ToArray()),
        ["entity"] = new JsonArray(article.Entities.Select(entity => (JsonNode)entity.Trim()).ToArray()),
        ["author"] = article.Author,
        ["image"] = article.Image,
        ["published"] = article.Published?.ToUniversalTime().ToString("O"),
        ["story"] = article.StoryId,
        ["story_fingerprint"] = article.StoryFingerprint is { } fingerprint ? StoryFingerprint.ToHex(fingerprint) : null,
        ["story_band"] = article.StoryFingerprint is { } banded ? new JsonArray(StoryFingerprint.Bands(banded).Select(band => (JsonNode)band).ToArray()) : null,
        ["@timestamp"] = (article.Published ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("O"),
    };

    private static ArticleDocument FromSource(JsonNode source) => new()
    {
        Id = source["id"]!.GetValue<string>(),
        Url = source["url"]!.GetValue<string>(),
        Title = source["title"]?.GetValue<string>() ?? "",
        Text = source["text"]?.GetValue<string>() ?? "",
        Source = source["source"]?.GetValue<string>() ?? "",
        Language = source["lang"]?.GetValue<string>() ?? "",
        Author = source["author"]?.GetValue<string>(),
        Image = source["image"]?.GetValue<string>(),
        Published = ParseDate(source["published"]?.GetValue<string>()),
        Topics = source["topic"]?.AsArray().Select(topic => topic!.GetValue<string>()).ToList() ?? [],
        Entities = source["entity"]?.AsArray().Select(entity => entity!.GetValue<string>()).ToList() ?? [],
        StoryId = source["story"]?.GetValue<string>(),
        StoryFingerprint = StoryFingerprint.FromHex(source["story_fingerprint"]?.GetValue<string>()),
    };

    private static DateTimeOffset? ParseDate(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static SearchHit ToHit(JsonNode hit) => SearchHit.For(
        FromSource(hit["_source"]!),
        hit["_score"]?.GetValue<double>() ?? 0,
        hit["highlight"]?["text"]?.AsArray().Select(fragment => fragment!.GetValue<string>().Trim()).ToList() ?? []);

    /// <summary>The error's type and reason, and its cause's: short, because a reason can quote the whole offending value.</summary>
    private static string DescribeError(JsonNode? error)
    {
        if (error is null)
        {
            return "no reason given";
        }
        var text = $"{error["type"]}: {Shorten(error["reason"]?.ToString(), 200)}";
        return error["caused_by"] is { } cause ? $"{text} (caused by {cause["type"]}: {Shorten(cause["reason"]?.ToString(), 200)})" : text;
    }
}

/// <summary>The store cannot be reached or is overloaded; the operation can succeed later.</summary>
public sealed class SearchStoreUnavailableException(string message) : Exception(message);

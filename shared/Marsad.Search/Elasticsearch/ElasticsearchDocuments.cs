using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Marsad.Search.Elasticsearch;

/// <summary>
/// A small collection of JSON documents kept in one Elasticsearch index (alert subscriptions, feeds and the alert log
/// in the distributed mode): read whole or by group; written one at a time and visible to every process as soon as
/// the write returns, or a batch at once and listed after the next refresh.
/// </summary>
/// <param name="groupOf">What a document is listed by, if anything (the alert log: its subscription).</param>
public sealed class ElasticsearchDocuments<T>(ElasticsearchOptions options, string index, Func<T, string> idOf, Func<T, string>? groupOf = null)
{
    private const int Page = 1000;
    private readonly ElasticsearchClient _client = ElasticsearchConnection.CreateClient(options);
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private bool _created;

    public string Index { get; } = index;

    /// <summary>Every document, in id order.</summary>
    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) => ListAsync(group: null, cancellationToken);

    /// <summary>The documents of one group (every document when null), in id order.</summary>
    public async Task<IReadOnlyList<T>> ListAsync(string? group, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken);
        var documents = new List<T>();
        JsonNode? after = null;
        while (true)
        {
            var body = new JsonObject
            {
                ["size"] = Page,
                ["sort"] = new JsonArray(new JsonObject { ["id"] = "asc" }),
                ["query"] = group is null
                    ? new JsonObject { ["match_all"] = new JsonObject() }
                    : new JsonObject { ["term"] = new JsonObject { ["group"] = group } },
            };
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }
            var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.POST, $"/{Index}/_search", PostData.String(body.ToJsonString()), cancellationToken);
            ElasticsearchConnection.EnsureSuccess(response);
            var hits = JsonNode.Parse(response.Body)!["hits"]!["hits"]!.AsArray();
            documents.AddRange(hits.Select(hit => hit!["_source"]!["document"].Deserialize<T>(_json)!));
            if (hits.Count < Page)
            {
                return documents;
            }
            after = hits[^1]!["sort"];
        }
    }

    /// <summary>Writes the document (replacing one with its id), visible to every reader when this returns (the index is refreshed: writes are rare, reads wait for none).</summary>
    public async Task PutAsync(T document, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken);
        var id = idOf(document);
        ElasticsearchConnection.EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.PUT, $"/{Index}/_doc/{Uri.EscapeDataString(id)}?refresh=true", PostData.String(Stored(document).ToJsonString()), cancellationToken));
    }

    /// <summary>
    /// Writes the documents in one request (each replacing one with its id), listed after the index's next refresh
    /// (within a second): for logs written in bulk, where waiting for each refresh would only slow the writer.
    /// </summary>
    public async Task PutManyAsync(IReadOnlyCollection<T> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return;
        }
        await EnsureIndexAsync(cancellationToken);
        var lines = new System.Text.StringBuilder();
        foreach (var document in documents)
        {
            lines.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = idOf(document) } }.ToJsonString()).Append('\n');
            lines.Append(Stored(document).ToJsonString()).Append('\n');
        }
        var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.POST, $"/{Index}/_bulk", PostData.String(lines.ToString()), cancellationToken);
        ElasticsearchConnection.EnsureSuccess(response);
        if (JsonNode.Parse(response.Body)?["errors"]?.GetValue<bool>() == true)
        {
            throw new InvalidOperationException($"Elasticsearch refused some of {documents.Count} documents written to {Index}: {response.Body[..Math.Min(response.Body.Length, 500)]}");
        }
    }

    private JsonObject Stored(T document)
    {
        var stored = new JsonObject { ["id"] = idOf(document), ["document"] = JsonSerializer.SerializeToNode(document, _json) };
        if (groupOf is not null)
        {
            stored["group"] = groupOf(document);
        }
        return stored;
    }

    /// <summary>
    /// Reads one document, lets <paramref name="change"/> decide its new state (null: leave it as it is; it is given
    /// null when there is none) and writes that only if nobody wrote the document in between; otherwise reads again
    /// and asks again. Several processes can so take turns on one document (a feed claimed by one fetcher of many).
    /// Returns whether it wrote, and the document as it now is. <paramref name="listedAtOnce"/> false: a change to a
    /// document is listed after the next refresh (within a second), for frequent bookkeeping that is decided on
    /// real-time gets, never on listings; a new document is always listed at once.
    /// </summary>
    public async Task<(bool Changed, T? Document)> UpdateAsync(string id, Func<T?, T?> change, CancellationToken cancellationToken, bool listedAtOnce = true)
    {
        await EnsureIndexAsync(cancellationToken);
        var path = $"/{Index}/_doc/{Uri.EscapeDataString(id)}";
        while (true)
        {
            // A get by id is real-time (it reads the latest write, refreshed or not), so the comparison below is sound.
            var read = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.GET, path, cancellationToken);
            T? current = default;
            var condition = "op_type=create";
            if (read.ApiCallDetails.HttpStatusCode != 404)
            {
                ElasticsearchConnection.EnsureSuccess(read);
                var stored = JsonNode.Parse(read.Body)!;
                current = stored["_source"]!["document"].Deserialize<T>(_json);
                condition = $"if_seq_no={stored["_seq_no"]}&if_primary_term={stored["_primary_term"]}";
            }
            var next = change(current);
            if (next is null)
            {
                return (false, current);
            }
            var body = Stored(next);
            var refresh = current is null || listedAtOnce ? "true" : "false";
            var written = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, $"{path}?{condition}&refresh={refresh}", PostData.String(body.ToJsonString()), cancellationToken);
            if (written.ApiCallDetails.HttpStatusCode == 409)
            {
                continue; // someone else wrote it first: decide again on what they wrote
            }
            ElasticsearchConnection.EnsureSuccess(written);
            return (true, next);
        }
    }

    /// <summary>Deletes the document with this id; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken);
        var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.DELETE, $"/{Index}/_doc/{Uri.EscapeDataString(id)}?refresh=true", cancellationToken);
        if (response.ApiCallDetails.HttpStatusCode == 404)
        {
            return false;
        }
        ElasticsearchConnection.EnsureSuccess(response);
        return true;
    }

    // The documents are kept, not searched: only their id is indexed (for paging in order).
    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }
        var mapping = new JsonObject
        {
            ["settings"] = new JsonObject { ["number_of_shards"] = 1, ["number_of_replicas"] = options.Replicas },
            ["mappings"] = new JsonObject
            {
                ["dynamic"] = false,
                ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "keyword" }, ["group"] = new JsonObject { ["type"] = "keyword" } },
            },
        };
        var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, $"/{Index}", PostData.String(mapping.ToJsonString()), cancellationToken);
        if (response.ApiCallDetails.HttpStatusCode == 400 && response.Body.Contains("resource_already_exists_exception", StringComparison.Ordinal))
        {
            // Another process may have created it a moment ago: until its shard has started, a search answers 503
            // (creating it here waits for that, finding it does not).
            ElasticsearchConnection.EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(
                HttpMethod.GET, $"/_cluster/health/{Index}?wait_for_active_shards=1&timeout=30s", cancellationToken));
        }
        else
        {
            ElasticsearchConnection.EnsureSuccess(response);
        }
        _created = true;
    }
}

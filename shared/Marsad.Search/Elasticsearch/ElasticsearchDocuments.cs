using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Marsad.Search.Elasticsearch;

/// <summary>
/// A small collection of JSON documents kept in one Elasticsearch index (alert subscriptions in the distributed
/// mode): read whole, written one at a time and visible to every process as soon as the write returns.
/// </summary>
public sealed class ElasticsearchDocuments<T>(ElasticsearchOptions options, string index, Func<T, string> idOf)
{
    private const int Page = 1000;
    private readonly ElasticsearchClient _client = ElasticsearchConnection.CreateClient(options);
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private bool _created;

    public string Index { get; } = index;

    /// <summary>Every document, in id order.</summary>
    public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken)
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
                ["query"] = new JsonObject { ["match_all"] = new JsonObject() },
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
        var body = new JsonObject { ["id"] = id, ["document"] = JsonSerializer.SerializeToNode(document, _json) };
        ElasticsearchConnection.EnsureSuccess(await _client.Transport.RequestAsync<StringResponse>(
            HttpMethod.PUT, $"/{Index}/_doc/{Uri.EscapeDataString(id)}?refresh=true", PostData.String(body.ToJsonString()), cancellationToken));
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
                ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "keyword" } },
            },
        };
        var response = await _client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, $"/{Index}", PostData.String(mapping.ToJsonString()), cancellationToken);
        if (!(response.ApiCallDetails.HttpStatusCode == 400 && response.Body.Contains("resource_already_exists_exception", StringComparison.Ordinal)))
        {
            ElasticsearchConnection.EnsureSuccess(response);
        }
        _created = true;
    }
}

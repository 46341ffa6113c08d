using System.Text.Json.Nodes;
using Marsad.Alerts;
using Marsad.Alerts.Delivery;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marsad.Api;

/// <summary>
/// Alert subscriptions over HTTP: list, create (the secret is in the answer, once), change (pause and resume are
/// changes of <c>enabled</c>), remove, and each one's alert history with how its deliveries went.
/// </summary>
public static class SubscriptionEndpoints
{
    public sealed record NewSubscription(string? Name, string? Query, string? Webhook, string? Email, DigestMode? Mode, string? Owner);

    public sealed record CreatedSubscription(SubscriptionView Subscription, string? Secret);

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var subscriptions = endpoints.MapGroup("/api/subscriptions");
        subscriptions.MapGet("", async (string? owner, SubscriptionStore store, CancellationToken cancellationToken) =>
            TypedResults.Json((await store.ListAsync(cancellationToken)).Where(subscription => owner is null || subscription.Owner == owner).Select(SubscriptionView.Of), SearchJson.Options));
        subscriptions.MapPost("", CreateAsync);
        subscriptions.MapPatch("/{id}", ChangeAsync);
        subscriptions.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, SubscriptionStore store, CancellationToken cancellationToken) =>
            await store.RemoveAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id));
        subscriptions.MapGet("/{id}/alerts", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string id, SubscriptionStore store, IOptions<MarsadOptions> options, CancellationToken cancellationToken) =>
        {
            if (!(await store.ListAsync(cancellationToken)).Any(subscription => subscription.Id == id))
            {
                return NotFound(id);
            }
            var entries = AlertHistoryEntry.Read(options.Value.DataDir, id).Select(entry => (JsonNode)entry.ToJson(SearchJson.Options)).ToArray();
            return TypedResults.Content(new JsonArray(entries).ToJsonString(SearchJson.Options), "application/json; charset=utf-8");
        });
        return endpoints;
    }

    private static async Task<Results<Created<CreatedSubscription>, ProblemHttpResult>> CreateAsync(NewSubscription request, SubscriptionStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Query))
        {
            return BadRequest("A subscription needs a name and a query.");
        }
        if (request.Email is { } email && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            return BadRequest($"'{email}' is not an e-mail address.");
        }
        try
        {
            var added = await store.AddAsync(request.Name, request.Query, request.Webhook, request.Email, request.Mode ?? DigestMode.Instant, request.Owner, cancellationToken);
            return TypedResults.Created($"/api/subscriptions/{added.Id}", new CreatedSubscription(SubscriptionView.Of(added), added.Webhook is null ? null : added.Secret));
        }
        catch (Exception e) when (e is QuerySyntaxException or ArgumentException)
        {
            return BadRequest(e.Message);
        }
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ChangeAsync(string id, SubscriptionChange change, SubscriptionStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.UpdateAsync(id, change, cancellationToken) is { } changed ? TypedResults.Ok(SubscriptionView.Of(changed)) : NotFound(id);
        }
        catch (Exception e) when (e is QuerySyntaxException or ArgumentException)
        {
            return BadRequest(e.Message);
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No alert subscription with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

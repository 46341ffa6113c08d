using System.Security.Claims;
using System.Text.Json.Nodes;
using Marsad.Hosting;
using Marsad.Hosting.Access;
using Marsad.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Marsad.Subscriptions;

namespace Marsad.Api;

/// <summary>
/// Alert subscriptions over HTTP: list, create (the secret is in the answer, once), change (pause and resume are
/// changes of <c>enabled</c>; a new webhook address gets a new secret, shown once), remove, and each one's alert
/// history with how its deliveries went. A subscription belongs to the caller who made it: an editor sees and changes
/// only their own (another's is a 404, as if it did not exist); an admin, everyone's.
/// </summary>
public static class SubscriptionEndpoints
{
    public sealed record NewSubscription(string? Name, string? Query, string? Webhook, string? Email, DigestMode? Mode, string? Owner);

    public sealed record CreatedSubscription(SubscriptionView Subscription, string? Secret);

    public static RouteGroupBuilder MapSubscriptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var subscriptions = endpoints.MapGroup("/api/subscriptions");
        subscriptions.MapGet("", async (string? owner, ClaimsPrincipal user, SubscriptionStore store, CancellationToken cancellationToken) =>
        {
            var caller = user.Caller()!;
            return TypedResults.Json((await store.ListAsync(cancellationToken))
                .Where(subscription => caller.IsAdmin ? owner is null || subscription.Owner == owner : subscription.Owner == caller.Name)
                .Select(SubscriptionView.Of), SearchJson.Options);
        });
        subscriptions.MapPost("", CreateAsync);
        subscriptions.MapPatch("/{id}", ChangeAsync);
        subscriptions.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ClaimsPrincipal user, SubscriptionStore store, CancellationToken cancellationToken) =>
            await FindOwnAsync(store, id, user, cancellationToken) is not null && await store.RemoveAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id));
        subscriptions.MapGet("/{id}/alerts", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string id, ClaimsPrincipal user, SubscriptionStore store, AlertLog log, CancellationToken cancellationToken) =>
        {
            if (await FindOwnAsync(store, id, user, cancellationToken) is null)
            {
                return NotFound(id);
            }
            var entries = (await log.ReadAsync(id, cancellationToken)).Select(entry => (JsonNode)entry.ToJson(SearchJson.Options)).ToArray();
            return TypedResults.Content(new JsonArray(entries).ToJsonString(SearchJson.Options), "application/json; charset=utf-8");
        });
        return subscriptions;
    }

    /// <summary>The subscription with this id if the caller may see it: an admin any, anyone else their own.</summary>
    private static async Task<Subscription?> FindOwnAsync(SubscriptionStore store, string id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var caller = user.Caller()!;
        return (await store.ListAsync(cancellationToken)).FirstOrDefault(subscription => subscription.Id == id && (caller.IsAdmin || subscription.Owner == caller.Name));
    }

    private static async Task<Results<Created<CreatedSubscription>, ProblemHttpResult>> CreateAsync(NewSubscription request, ClaimsPrincipal user, SubscriptionStore store, CancellationToken cancellationToken)
    {
        var caller = user.Caller()!;
        if (!caller.IsAdmin && request.Owner is { } owner && owner != caller.Name)
        {
            return Forbidden("Only an admin can make a subscription for someone else.");
        }
        try
        {
            var added = await store.AddAsync(request.Name ?? "", request.Query ?? "", request.Webhook, request.Email, request.Mode ?? DigestMode.Instant,
                caller.IsAdmin && request.Owner is { Length: > 0 } ? request.Owner : caller.Name, cancellationToken);
            return TypedResults.Created($"/api/subscriptions/{added.Id}", new CreatedSubscription(SubscriptionView.Of(added), added.Webhook is null ? null : added.Secret));
        }
        catch (Exception e) when (e is QuerySyntaxException or ArgumentException)
        {
            return BadRequest(e.Message);
        }
    }

    /// <summary>The changed subscription; with <c>secret</c> only when the change gave it a new one (a new webhook address).</summary>
    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ChangeAsync(string id, SubscriptionChange change, ClaimsPrincipal user, SubscriptionStore store, CancellationToken cancellationToken)
    {
        var caller = user.Caller()!;
        if (await FindOwnAsync(store, id, user, cancellationToken) is not { } current)
        {
            return NotFound(id);
        }
        if (!caller.IsAdmin && change.Owner is { } owner && owner != caller.Name)
        {
            return Forbidden("Only an admin can give a subscription to someone else.");
        }
        try
        {
            return await store.UpdateAsync(id, change, cancellationToken) is { } changed
                ? TypedResults.Ok(SubscriptionView.Of(changed) with { Secret = changed.Secret != current.Secret && changed.Webhook is not null ? changed.Secret : null })
                : NotFound(id);
        }
        catch (Exception e) when (e is QuerySyntaxException or ArgumentException)
        {
            return BadRequest(e.Message);
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No alert subscription with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

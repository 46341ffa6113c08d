using Marsad.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marsad.Api;

public static class SearchEndpoints
{
    public static RouteHandlerBuilder MapSearchApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/search", SearchAsync);

    private static async Task<Results<JsonHttpResult<SearchResponse>, ProblemHttpResult>> SearchAsync(
        ISearchStore store,
        string? q,
        string? from,
        string? to,
        string? lang,
        string? topic,
        string? source,
        int? page,
        int? size,
        CancellationToken cancellationToken)
    {
        if (!SearchDates.TryParse(from, endOfDay: false, out var fromDate))
        {
            return BadRequest($"'from' is not a date: '{from}'. Use ISO 8601, e.g. 2022-01-07 or 2022-01-07T10:00:00Z.");
        }
        if (!SearchDates.TryParse(to, endOfDay: true, out var toDate))
        {
            return BadRequest($"'to' is not a date: '{to}'. Use ISO 8601, e.g. 2022-01-07 or 2022-01-07T10:00:00Z.");
        }
        if (QueryLimits.PageProblem(page ?? 1, size ?? 10) is { } problem)
        {
            return BadRequest(problem);
        }

        var request = new SearchRequest
        {
            Query = q ?? "",
            From = fromDate,
            To = toDate,
            Language = lang,
            Topic = topic,
            Source = source,
            Page = page ?? 1,
            Size = size ?? 10,
        };
        try
        {
            return TypedResults.Json(await store.SearchAsync(request, cancellationToken), SearchJson.Options);
        }
        catch (QuerySyntaxException e)
        {
            return BadRequest(e.Message, "Malformed query");
        }
        catch (SearchTooCostlyException e)
        {
            return BadRequest(e.Message, "Search too costly");
        }
    }

    private static ProblemHttpResult BadRequest(string detail, string title = "Bad request") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}

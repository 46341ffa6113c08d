namespace Marsad.Search.Tests;

/// <summary>What one query may cost, checked before any parser sees it, and how deep a page may go.</summary>
public sealed class QueryLimitsTests
{
    [Fact]
    public void Nesting_length_and_clause_count_are_bounded_and_the_message_does_not_echo_the_query()
    {
        QueryLimits.Check(new string('(', 16) + "الناتو" + new string(')', 16));
        Assert.Contains("deeper than 16", Assert.Throws<QuerySyntaxException>(() => QueryLimits.Check(new string('(', 17) + "x" + new string(')', 17))).Message);
        // Parentheses inside a phrase are words, not nesting.
        QueryLimits.Check("\"" + new string('(', 100) + "\"");

        var tooLong = string.Join(' ', Enumerable.Repeat("أوكرانيا", 500));
        var error = Assert.Throws<QuerySyntaxException>(() => QueryLimits.Check(tooLong));
        Assert.Contains("at most 4,096", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("أوكرانيا", error.Message, StringComparison.Ordinal);

        QueryLimits.Check(string.Join(" OR ", Enumerable.Range(0, 64).Select(i => $"w{i}")));
        Assert.Contains("more than 128", Assert.Throws<QuerySyntaxException>(() => QueryLimits.Check(string.Join(" OR ", Enumerable.Range(0, 65).Select(i => $"w{i}")))).Message);
    }

    [Theory]
    [InlineData(1, 10, null)]
    [InlineData(100, 100, null)]
    [InlineData(101, 100, "10,000")]
    [InlineData(1_000_000, 100, "10,000")]
    [InlineData(int.MaxValue, 100, "10,000")]
    [InlineData(int.MaxValue, int.MaxValue, "'size'")]
    [InlineData(0, 10, "'page'")]
    [InlineData(1, 0, "'size'")]
    public void Page_times_size_stays_within_ten_thousand_in_checked_arithmetic(int page, int size, string? problem)
    {
        var said = QueryLimits.PageProblem(page, size);
        if (problem is null)
        {
            Assert.Null(said);
        }
        else
        {
            Assert.Contains(problem, said, StringComparison.Ordinal);
        }
        Assert.True(new SearchRequest { Page = page, Size = size }.ServedPage() is var (served, servedSize) && (long)served * servedSize <= QueryLimits.MaxResultWindow);
    }

    [Fact]
    public void Dates_are_clamped_to_a_sane_range_and_the_calendar_s_last_day_does_not_overflow()
    {
        Assert.True(SearchDates.TryParse("0001-01-01", endOfDay: false, out var from));
        Assert.Equal(SearchDates.Earliest, from);
        Assert.True(SearchDates.TryParse("9999-12-31", endOfDay: true, out var to));
        Assert.Equal(SearchDates.Latest, to);
        Assert.True(SearchDates.TryParse("2022-01-07", endOfDay: true, out var day));
        Assert.Equal(new DateTimeOffset(2022, 1, 8, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), day);
    }
}

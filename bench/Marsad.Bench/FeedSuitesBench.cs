using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>Marsad's feed parser on other projects' feed test suites: parsed, and as the suite expects, by folder.</summary>
public static class FeedSuitesBench
{
    public static void Run(bool showFailures)
    {
        var results = FeedSuites.Cases().Select(FeedSuites.Run).ToList();
        Console.WriteLine($"# Feed suites — {results.Count} feeds from ../shared/data/feeds, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| suite | feeds | parsed | with an expected parse | as expected | pass rate |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var suite in results.GroupBy(result => result.Case.Suite))
        {
            var judged = suite.Count(result => result.AsExpected is not null);
            var passed = suite.Count(result => result.AsExpected == true);
            Console.WriteLine(FormattableString.Invariant($"| {suite.Key} | {suite.Count()} | {suite.Count(result => result.Parsed)} | {judged} | {passed} | {(judged == 0 ? 0 : (double)passed / judged):P0} |"));
        }
        if (showFailures)
        {
            Console.WriteLine();
            foreach (var result in results.Where(result => result.AsExpected == false || !result.Parsed))
            {
                Console.WriteLine($"- {result.Case.Suite}/{Path.GetFileName(result.Case.Path)}: {result.Detail}");
            }
        }
    }
}

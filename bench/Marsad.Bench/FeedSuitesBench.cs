using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>Marsad's feed parser on other projects' feed test suites: parsed, and as the suite expects, by folder.</summary>
public static class FeedSuitesBench
{
    public static async Task RunAsync(bool showFailures)
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

        var feedparser = await FeedparserSuite.RunAsync(FeedparserSuite.Cases().ToList());
        Console.WriteLine();
        Console.WriteLine($"## feedparser's tests ({feedparser.Count} with an Expect:), evaluated against Marsad's parse");
        Console.WriteLine();
        Console.WriteLine("| folder | cases | applicable | pass | fail | n/a (asks for what Marsad does not produce) | pass rate of applicable |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var folder in feedparser.GroupBy(outcome => outcome.Case.Folder))
        {
            var pass = folder.Count(outcome => outcome.Outcome == "pass");
            var fail = folder.Count(outcome => outcome.Outcome == "fail");
            Console.WriteLine(FormattableString.Invariant(
                $"| {folder.Key} | {folder.Count()} | {pass + fail} | {pass} | {fail} | {folder.Count() - pass - fail} | {(pass + fail == 0 ? 0 : (double)pass / (pass + fail)):P0} |"));
        }
        if (showFailures)
        {
            Console.WriteLine();
            foreach (var outcome in feedparser.Where(outcome => outcome.Outcome == "fail"))
            {
                Console.WriteLine($"- {outcome.Case.Name}: {outcome.Case.Expect} {outcome.Detail}");
            }
        }
    }
}

namespace Marsad.Bench;

/// <summary>
/// <c>bench/run.sh [--quick]</c>: every measurement at its sizes, one table each, printed and written to
/// artifacts/bench/results.md and results.json. <c>--quick</c> is CI's run: small sizes, the same code paths.
/// </summary>
public static class Suite
{
    public static async Task RunAsync(bool quick, string folder)
    {
        var report = new BenchReport(quick);
        Console.WriteLine($"# Marsad benchmarks{(quick ? " (--quick)" : "")} — {report.Machine}, {report.Started:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();

        // How the embedded pipeline's cost grows with the articles it is given (and the index it fills).
        var pipeline = PipelineBench.Table();
        var stages = PipelineBench.StageTable();
        await PipelineBench.RunAsync(pipeline, "rabbitmq", quick ? 200 : 2_000, feeds: quick ? 5 : 20, stages);
        foreach (var articles in quick ? [200] : new[] { 1_000, 10_000, 100_000 })
        {
            await PipelineBench.RunAsync(pipeline, "inmemory", articles, feeds: Math.Max(5, articles / 100), stages);
        }
        report.Add(pipeline);
        report.Add(stages);

        var distributed = DistributedBench.Table();
        // The same growth as the one-process pipeline's; 100,000 articles take about 20 minutes here.
        foreach (var articles in quick ? [200] : new[] { 1_000, 10_000, 100_000 })
        {
            await DistributedBench.RunAsync(articles, feeds: Math.Max(5, articles / 100), distributed);
        }
        report.Add(distributed);

        report.Add(await AlertLatencyBench.RunAsync(quick ? 20 : 200, TimeSpan.FromMilliseconds(quick ? 200 : 100)));

        report.Add(ClassificationBench.Run(quick ? 200 : 2_000));

        var matching = AlertMatchingBench.Table();
        foreach (var subscriptions in quick ? [1_000, 10_000] : new[] { 1_000, 10_000, 100_000 })
        {
            AlertMatchingBench.Measure(matching, subscriptions, quick ? 200 : 2_000);
        }
        report.Add(matching);

        report.Add(HotPaths.Run(quick, Path.Combine(folder, "micro")));

        await report.WriteAsync(folder);
    }
}

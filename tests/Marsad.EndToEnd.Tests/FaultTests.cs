using Marsad.Testing;
using Xunit.Abstractions;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// Nothing is lost and nothing indexed twice while every service of the distributed mode is killed with SIGKILL in
/// turn mid-stream and then the broker (a private RabbitMQ node) is stopped and started again (a small run here;
/// <c>bench/run.sh chaos</c> is the full 2,000 articles): the counts add up.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_each_service_and_restarting_the_broker_mid_stream_loses_nothing_and_indexes_nothing_twice()
    {
        var counts = await ChaosRun.RunAsync(articleCount: 600, feedCount: 20, new TestOutputWriter(output), timeout: TimeSpan.FromMinutes(5), restartBroker: true, stopStore: true);
        output.WriteLine(counts.Table());

        Assert.Equal(6, counts.Faults.Count);
        // Mid-stream: every kill came before the last article was through.
        Assert.All(counts.IndexedAtEachKill, indexed => Assert.True(indexed < counts.Articles - counts.Unreadable, counts.Table()));
        Assert.True(counts.Lost == 0, $"lost {counts.Lost}:\n{counts.Table()}");
        Assert.Equal(counts.Articles - counts.Unreadable, counts.InIndex);
        Assert.Equal(counts.Unreadable, counts.DeadLettered);
        Assert.All(counts.DeadLetterReasons.Keys, reason => Assert.Contains("No article text", reason, StringComparison.Ordinal));
        // Every indexed article reached the alerts service; none was written as new twice.
        Assert.Equal(counts.InIndex, counts.Announced);
        Assert.Equal(0, counts.IndexedTwice);
    }
}

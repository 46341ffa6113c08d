using Marsad.Testing;
using Xunit.Abstractions;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// Nothing is lost and nothing indexed twice while the distributed mode is hurt mid-stream (small runs here;
/// <c>bench/run.sh chaos</c> and <c>bench/run.sh cluster-chaos</c> are the full ones): the counts add up.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class FaultTests(ITestOutputHelper output)
{
    /// <summary>Every service killed with SIGKILL in turn, then the broker (a private node) restarted while Elasticsearch is stopped for a minute.</summary>
    [Fact]
    public async Task Killing_each_service_and_restarting_the_broker_mid_stream_loses_nothing_and_indexes_nothing_twice()
    {
        var counts = await ChaosRun.RunAsync(articleCount: 600, feedCount: 20, new TestOutputWriter(output), timeout: TimeSpan.FromMinutes(5), restartBroker: true, stopStore: true);
        AssertAccountedFor(counts, faults: 6);
    }

    /// <summary>
    /// On three-node RabbitMQ and Elasticsearch clusters of the test's own, with the services scaled out (three
    /// fetchers, two of each other stage) on quorum queues: RabbitMQ node 1 killed with SIGKILL mid-stream, and 5 s
    /// later the Elasticsearch node holding the most primaries.
    /// </summary>
    [Fact]
    public async Task Killing_a_broker_node_and_a_store_node_of_the_clusters_mid_stream_loses_nothing_and_indexes_nothing_twice()
    {
        var counts = await ChaosRun.RunAsync(articleCount: 600, feedCount: 20, new TestOutputWriter(output), timeout: TimeSpan.FromMinutes(6), kill: false, cluster: true,
            nodeFaultsApart: TimeSpan.FromSeconds(5));
        AssertAccountedFor(counts, faults: 2);
        // The queues the services made are replicated: each durable one is a quorum queue.
        Assert.NotEmpty(counts.Queues);
        Assert.All(counts.Queues, queue => Assert.True(queue.Value == "quorum", $"{queue.Key} is {queue.Value}"));
    }

    private void AssertAccountedFor(ChaosCounts counts, int faults)
    {
        output.WriteLine(counts.Table());
        Assert.Equal(faults, counts.Faults.Count);
        // Mid-stream: every fault came before the last article was through.
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

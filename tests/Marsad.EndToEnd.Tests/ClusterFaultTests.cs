using Marsad.Testing;
using Xunit.Abstractions;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// The cluster deployment's promise, on three-node RabbitMQ and Elasticsearch clusters on loopback: with the services
/// scaled out (three fetchers, two of each other stage) and quorum queues, one broker node killed with SIGKILL
/// mid-stream and 5 s later the Elasticsearch node holding the most primaries, every article is indexed once or
/// dead-lettered with its reason, and none is lost (a small run; <c>bench/run.sh cluster-chaos</c> is 10,000).
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_broker_node_and_a_store_node_mid_stream_loses_nothing_and_indexes_nothing_twice()
    {
        var counts = await ChaosRun.RunAsync(articleCount: 600, feedCount: 20, new TestOutputWriter(output), timeout: TimeSpan.FromMinutes(6), kill: false, cluster: true,
            nodeFaultsApart: TimeSpan.FromSeconds(5));
        output.WriteLine(counts.Table());

        Assert.Equal(2, counts.Faults.Count);
        Assert.All(counts.IndexedAtEachKill, indexed => Assert.True(indexed < counts.Articles - counts.Unreadable, counts.Table()));
        Assert.True(counts.Lost == 0, $"lost {counts.Lost}:\n{counts.Table()}");
        Assert.Equal(counts.Articles - counts.Unreadable, counts.InIndex);
        Assert.Equal(counts.Unreadable, counts.DeadLettered);
        Assert.All(counts.DeadLetterReasons.Keys, reason => Assert.Contains("No article text", reason, StringComparison.Ordinal));
        Assert.Equal(counts.InIndex, counts.Announced);
        Assert.Equal(0, counts.IndexedTwice);
        // The queues the services made are replicated: each is a quorum queue (the api's temporary one aside, none runs here).
        Assert.NotEmpty(counts.Queues);
        Assert.All(counts.Queues, queue => Assert.True(queue.Value == "quorum", $"{queue.Key} is {queue.Value}"));
    }
}

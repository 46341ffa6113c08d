namespace Marsad.Testing;

/// <summary>
/// What a test class needs beyond the build, as an xUnit trait, so tiers can be run on their own:
/// <c>./test.sh --fast</c> runs what needs none of the servers, the browser or marsad processes.
/// </summary>
public static class Needs
{
    public const string Trait = "Needs";

    /// <summary>The reference data beside the repository (<c>../shared</c>).</summary>
    public const string SharedData = "shared-data";

    public const string RabbitMq = "rabbitmq";

    public const string Elasticsearch = "elasticsearch";

    /// <summary>Debian's Chromium, driven headless.</summary>
    public const string Browser = "browser";

    /// <summary>Starts <c>marsad</c> (or another program) as processes of its own: slower, and end to end.</summary>
    public const string Processes = "processes";

    /// <summary>Trains or evaluates a model on a whole corpus: minutes of CPU.</summary>
    public const string Training = "training";
}

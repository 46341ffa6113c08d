using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>The classifier runs on the model files its settings name, and will not start without one.</summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class ClassifierModelsTests
{
    [Fact]
    public async Task A_classifier_whose_entity_model_is_missing_exits_at_start_naming_the_file_and_the_setting()
    {
        using var data = new TemporaryDirectory();
        var missing = Path.Combine(data.Path, "no-such-entities.tsv.gz");

        var result = await ProcessRunner.MarsadAsync(["run", "--service", "classifier", "--data", data.Path], TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["MARSAD__Classifier__EntityModel"] = missing });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(missing, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Classifier:EntityModel", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }
}

using Xunit.Abstractions;

namespace Marsad.EndToEnd.Tests;

/// <summary>A run's log lines into the test's output.</summary>
internal sealed class TestOutputWriter(ITestOutputHelper output) : StringWriter
{
    public override void WriteLine(string? value) => output.WriteLine(value ?? "");
}

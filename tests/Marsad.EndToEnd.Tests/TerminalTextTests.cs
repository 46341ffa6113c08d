using Marsad.Cli;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>What the CLI prints of text from outside: no escape sequences, no bidirectional overrides.</summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b]0;pwned\u0007title", "\uFFFD]0;pwned\uFFFDtitle")]
    [InlineData("abc\u202Eexe.txt", "abc\uFFFDexe.txt")]
    [InlineData("\u2066isolated\u2069", "\uFFFDisolated\uFFFD")]
    [InlineData("two\nlines\ttabbed", "two lines tabbed")]
    [InlineData("الناتو يتحد", "الناتو يتحد")]
    public void Control_and_bidi_override_characters_are_replaced(string text, string printed) =>
        Assert.Equal(printed, TerminalText.Safe(text));

    [Fact]
    public async Task Alerts_list_prints_a_name_with_a_right_to_left_override_without_it()
    {
        using var data = new TemporaryDirectory();
        var added = await ProcessRunner.MarsadAsync(["alerts", "add", "--name", "invoice\u202Efdp.exe", "--query", "الناتو", "--data", data.Path]);
        Assert.True(added.ExitCode == 0, added.StandardError);
        Assert.DoesNotContain('\u202E', added.StandardOutput);
        var listed = await ProcessRunner.MarsadAsync(["alerts", "list", "--data", data.Path]);
        Assert.Contains("invoice\uFFFDfdp.exe", listed.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', listed.StandardOutput);

        var escape = await ProcessRunner.MarsadAsync(["alerts", "add", "--name", "\u001b[2Jcleared", "--query", "الناتو", "--data", data.Path]);
        Assert.Equal(2, escape.ExitCode);
        Assert.Contains("control characters", escape.StandardError, StringComparison.Ordinal);
    }
}

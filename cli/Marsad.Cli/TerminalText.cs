namespace Marsad.Cli;

/// <summary>
/// Text from the outside (titles, feed names, addresses, alert names) made safe to print: no control characters
/// (an escape sequence in a feed's title could rewrite the terminal, move the cursor or set its title) and no
/// bidirectional overrides or isolates (which can make a line read differently from what it holds).
/// </summary>
public static class TerminalText
{
    public static string Safe(string? text) =>
        string.IsNullOrEmpty(text) ? "" : string.Create(text.Length, text, static (output, input) =>
        {
            for (var i = 0; i < input.Length; i++)
            {
                output[i] = Unsafe(input[i]) ? (char.IsWhiteSpace(input[i]) ? ' ' : '\uFFFD') : input[i];
            }
        });

    private static bool Unsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}

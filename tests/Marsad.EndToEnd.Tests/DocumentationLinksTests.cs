using System.Text.RegularExpressions;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// The README is a front door and docs/ holds the rest: every relative link in them leads to a file that exists and,
/// with an anchor, to a heading that file has (as GitHub makes anchors from headings).
/// </summary>
public sealed partial class DocumentationLinksTests
{
    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories).Prepend(Path.Combine(RepoPaths.Root, "README.md"));

    [Fact]
    public async Task The_benchmarks_page_is_what_the_recorded_runs_make()
    {
        var check = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "bench", "publish.sh"), "--check"], TimeSpan.FromMinutes(1), null, RepoPaths.Root, null);
        Assert.True(check.ExitCode == 0, check.StandardError);
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_resolves()
    {
        var broken = new List<string>();
        foreach (var page in Pages())
        {
            foreach (var (line, target) in Links(page))
            {
                var hash = target.IndexOf('#');
                var path = hash < 0 ? target : target[..hash];
                var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, path));
                var where = $"{Path.GetRelativePath(RepoPaths.Root, page)}:{line} → {target}";
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{where}: no such file");
                }
                else if (hash >= 0 && !(File.Exists(file) && Anchors(file).Contains(target[(hash + 1)..])))
                {
                    broken.Add($"{where}: no such heading");
                }
            }
        }
        Assert.True(broken.Count == 0, string.Join('\n', broken));
        Assert.NotEmpty(Pages().SelectMany(Links));
    }

    [Fact]
    public void The_readme_is_a_front_door_of_at_most_250_lines() =>
        Assert.InRange(File.ReadLines(Path.Combine(RepoPaths.Root, "README.md")).Count(), 1, 250);

    /// <summary>Relative links outside fenced code, with their line numbers.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string page)
    {
        var fenced = false;
        var number = 0;
        foreach (var line in File.ReadLines(page))
        {
            number++;
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (fenced)
            {
                continue;
            }
            foreach (Match link in Link().Matches(line))
            {
                if (!Scheme().IsMatch(link.Groups[1].Value))
                {
                    yield return (number, link.Groups[1].Value);
                }
            }
        }
    }

    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in File.ReadLines(page))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && line.StartsWith('#'))
            {
                // GitHub's rule: lower case, punctuation but hyphens dropped, spaces to hyphens.
                var text = line.TrimStart('#').Trim().ToLowerInvariant();
                anchors.Add(string.Concat(text.Where(c => char.IsLetterOrDigit(c) || c is '_' or '-' or ' ' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)).Replace(' ', '-'));
            }
        }
        return anchors;
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();
}

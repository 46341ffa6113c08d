using Marsad.Testing;
using Marsad.Search.Analysis;
using Marsad.Search.Queries;

namespace Marsad.Search.Tests;

public sealed class EntityAliasesTests
{
    private static readonly EntityAliases Shipped = EntityAliases.Load(Path.Combine(RepoPaths.Root, "deploy", "aliases"));

    private static EntityAliases Rules(params string[] lines) =>
        EntityAliases.Parse(lines.Select((line, index) => (line, $"test:{index + 1}")));

    [Fact]
    public void The_shipped_files_are_the_ones_beside_the_binaries()
    {
        var beside = Directory.GetFiles(EntityAliases.ShippedPath, "*.txt").Select(Path.GetFileName).Order();
        var shipped = Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "aliases"), "*.txt").Select(Path.GetFileName).Order();
        Assert.Equal(shipped, beside);
        Assert.Equal(Shipped.RuleCount, EntityAliases.Shipped.RuleCount);
    }

    [Fact]
    public void The_shipped_files_have_at_least_300_rules_each_group_with_an_arabic_and_a_latin_name()
    {
        Assert.True(Shipped.RuleCount >= 300, $"{Shipped.RuleCount} rules");
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "aliases"), "*.txt"))
        {
            var rules = File.ReadLines(file).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#') && !line.Contains("=>"));
            foreach (var rule in rules)
            {
                Assert.True(rule.Any(Arabic.ArabicNormalizer.IsArabicLetter), $"{Path.GetFileName(file)}: no Arabic name in '{rule}'");
                Assert.True(rule.Any(char.IsAsciiLetter), $"{Path.GetFileName(file)}: no English or French name in '{rule}'");
            }
        }
    }

    [Theory]
    [InlineData("الناتو", new[] { "حلف شمال الأطلسي", "حلف الأطلسي", "NATO", "OTAN" })]
    [InlineData("بوتين", new[] { "فلاديمير بوتين", "Putin", "بوتن" })]
    [InlineData("بوتن", new[] { "بوتين" })]
    [InlineData("الولايات المتحدة", new[] { "أمريكا", "أميركا", "واشنطن", "United States", "États-Unis" })]
    [InlineData("أمريكا", new[] { "أميركا" })]
    [InlineData("أميركا", new[] { "أمريكا" })]
    [InlineData("جورجيا", new[] { "جيورجيا" })]
    [InlineData("جيورجيا", new[] { "جورجيا" })]
    [InlineData("ترامب", new[] { "ترمب", "Trump" })]
    [InlineData("اوكرانيا", new[] { "Ukraine" })]            // compared after normalisation: no hamza typed
    public void Shipped_aliases_cover_the_names_and_spellings_of_the_news(string name, string[] expected)
    {
        var alternatives = Shipped.AlternativesFor(name);
        Assert.All(expected, alias => Assert.Contains(alias, alternatives));
    }

    [Theory]
    [InlineData("واشنطن", "الولايات المتحدة")]   // the capital stands for the country one way only
    [InlineData("واشنطن", "أمريكا")]
    [InlineData("Fatah", "فتح")]                  // فتح is also "opened"
    [InlineData("Assad", "الأسد")]                // الأسد is also "the lion"
    public void A_one_way_alias_does_not_lead_back(string name, string notAnAlias) =>
        Assert.DoesNotContain(notAnAlias, Shipped.AlternativesFor(name));

    [Fact]
    public void Every_shipped_name_analyses_to_words_and_expands_to_a_query_both_stores_parse()
    {
        var analyzer = MarsadAnalyzers.CreateQueryAnalyzer();
        foreach (var name in Shipped.KnownNames)
        {
            Assert.True(AnalyzerTokens.Of(analyzer, "text", name).Count > 0, $"'{name}' is only stop words");
            var expanded = Shipped.Expand(name);
            Assert.StartsWith("(", expanded);
            StoredQueryMatcher.Compile(expanded, EntityAliases.None);
        }
    }

    private const string Nato = "(الناتو OR \"حلف شمال الأطلسي\" OR \"nato\")";
    private const string NatoQuoted = "(\"الناتو\" OR \"حلف شمال الأطلسي\" OR \"nato\")";

    [Theory]
    [InlineData("الناتو AND أوكرانيا", Nato + " AND أوكرانيا")]
    [InlineData("حلف شمال الأطلسي", NatoQuoted)]                               // the longest run of words that is a name
    [InlineData("قمة حلف شمال الأطلسي في مدريد", "قمة " + NatoQuoted + " في مدريد")]
    [InlineData("\"الناتو\" OR اجتماع", "\"الناتو\" OR اجتماع")]               // quoted: as written
    [InlineData("الناتو*", "الناتو*")]
    [InlineData("الناتو~1", "الناتو~1")]
    [InlineData("title:الناتو", "title:" + Nato)]
    [InlineData("-الناتو روسيا", "-" + Nato + " روسيا")]
    [InlineData("(الناتو)", "(" + Nato + " )")]
    [InlineData("NATO", "(\"الناتو\" OR \"حلف شمال الأطلسي\" OR NATO)")]  // the typed form of the name itself is kept
    [InlineData("روسيا", "روسيا")]
    public void Expand_replaces_bare_names_and_leaves_the_rest_as_typed(string query, string expected)
    {
        var aliases = Rules("# a comment", "", "الناتو, حلف شمال الأطلسي, nato");
        Assert.Equal(expected, aliases.Expand(query).TrimEnd());
    }

    [Fact]
    public void An_explicit_rule_expands_one_way()
    {
        var aliases = Rules("الولايات المتحدة, أمريكا => الولايات المتحدة, أمريكا, واشنطن");
        Assert.Equal("(\"الولايات المتحدة\" OR أمريكا OR \"واشنطن\")", aliases.Expand("أمريكا").TrimEnd());
        Assert.Equal("واشنطن", aliases.Expand("واشنطن").TrimEnd());
    }

    [Theory]
    [InlineData("a, b => c => d", "test:1: a rule has at most one '=>'")]
    [InlineData("a", "test:1: expected")]
    [InlineData("a,, b", "test:1: an empty name")]
    [InlineData("a, b =>", "test:1: an empty name")]
    public void A_malformed_rule_names_its_file_and_line(string line, string message)
    {
        var error = Assert.Throws<FormatException>(() => Rules(line));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void None_changes_nothing() => Assert.Equal("الناتو", EntityAliases.None.Expand("الناتو"));
}

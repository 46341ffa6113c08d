using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;
using ArabicNormalizer = Marsad.Arabic.ArabicNormalizer;

namespace Marsad.Search.Analysis;

/// <summary>
/// The embedded index's analysis. Text fields: Arabic normalisation (as a char filter, so highlight offsets point
/// into the original text), standard tokenisation, lower-casing, French elision, Arabic and English stop words, and Lucene's
/// Arabic light stemmer (the ArabicAnalyzer chain). Keyword fields (source, topic, entity, lang) are one
/// normalised, lower-cased token each, so a filter matches whatever spelling of hamza or case the user typed.
/// </summary>
public static class MarsadAnalyzers
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    internal static readonly NormalizeCharMap ArabicFoldingMap = BuildFoldingMap();

    /// <summary>
    /// Arabic and English stop words, folded like the text they filter (Lucene's lists are written with hamza and
    /// taa marbuta). The Elasticsearch template uses this same list.
    /// </summary>
    public static IReadOnlyList<string> StopWordList { get; } = BuildStopWordList();

    /// <summary>French elided articles (l', d', qu', …): "l'OTAN" is OTAN. The Elasticsearch template uses this same list.</summary>
    public static IReadOnlyList<string> ElidedArticles { get; } =
        FrenchAnalyzer.DEFAULT_ARTICLES.Select(article => article.ToString()!).Order(StringComparer.Ordinal).ToList();

    private static readonly CharArraySet StopWords = new(Version, StopWordList.ToList(), ignoreCase: true);

    /// <summary>
    /// Words whose first letter و is part of the root, not the conjunction "and". The light stemmer strips that و
    /// from the bare word (وزير → زير) but not after the article (الوزير → وزير), so a search for وزير would miss
    /// الوزير. For these words the bare form is stemmed as its ال form is; ووزير and والوزير already agree.
    /// </summary>
    public static IReadOnlyList<string> RootWawWords { get; } =
    [
        "وزير", "وزيرة", "وزراء", "وزارة", "وزارات", "واشنطن", "ولاية", "ولايات", "والي", "ولاة", "وكالة", "وكالات",
        "وكيل", "وحدة", "وحدات", "وفاة", "وفيات", "وثيقة", "وثائق", "وسيلة", "وسائل", "وظيفة", "وظائف", "وساطة",
        "وسيط", "وزن", "وطن", "وطني", "وطنية", "وفد", "وفود", "وقف", "وقود", "وباء", "ورقة", "ورشة", "ولادة",
        "ولد", "وعود", "واقع", "وقائع", "واجب", "واجبات", "واردات", "ودائع", "وديعة", "وصول", "وجود", "وجهة",
        "وسط", "ولي", "وادي", "واحة", "وكر", "وهران", "ويلز", "ويكيليكس", "واتساب",
    ];

    /// <summary>
    /// Names the light stemmer would cut, because they end like a suffix (ان, ين, ات): لبنان → لبن "milk",
    /// السودان → سود "black", سلمان → سلم "peace", إيران → اير, فلسطين → فلسط. Their adjectives keep the whole name
    /// (اللبناني → لبنان), so the cut name also missed its own adjective. These keep their whole form as their stem,
    /// bare or with the article and the prefixes the stemmer strips. Found by stemming the corpus's frequent names.
    /// </summary>
    public static IReadOnlyList<string> ProtectedNames { get; } =
    [
        "إيران", "لبنان", "عمان", "اليابان", "السودان", "باكستان", "أفغانستان", "كازاخستان", "أوزبكستان", "طاجيكستان",
        "تركمانستان", "قيرغيزستان", "كردستان", "اليونان", "الفاتيكان", "البلقان", "تايوان", "أذربيجان", "الشيشان",
        "الجولان", "فلسطين", "البحرين", "الفلبين", "الأرجنتين", "برلين", "بكين", "الكاميرون", "الإمارات",
        "طهران", "أصفهان", "نجران", "جازان", "عجمان", "أسوان", "تطوان", "تلمسان",
        "سلمان", "عثمان", "سليمان", "رمضان", "عدنان", "مروان", "غسان", "عمران", "شعبان", "حسان", "رضوان", "سفيان",
        "لقمان", "زهران", "أردوغان", "روحاني", "نيسان", "كانون",
    ];

    /// <summary>
    /// Words that begin with ب ل ك ف as part of the word although the rest is a different, common word: they
    /// are not split (بطاقة "card" is not ب + طاقة "energy"; لصالح "in favour of" is not the name صالح; بحرية "naval"
    /// is not ب + حرية "freedom"; لبنان is not ل + بنان, whose stem بن is "son"). Found by listing the corpus's frequent split words whose rest is itself a common word.
    /// </summary>
    public static IReadOnlyList<string> NotAttachedPrepositionWords { get; } =
    [
        "بطاقة", "بطاقات", "بطاقته", "بطاقتها", "لصالح", "لصالحه", "لصالحها", "لصالحهم", "بدوره", "بدورها", "بدورهم",
        "بحيرة", "بحيرات", "بحرية", "كوارث", "بضائع", "لبنان", "لبناني", "لبنانية", "لبنانيين", "لبنانيون",
        "فقدان", "كانون", "بلدية", "بلديات",
    ];

    /// <summary>
    /// Words of three letters, split from a joined preposition although the general rule wants four: place names
    /// and the few nouns of names that lead the news (بغزة, لمصر, بحلف شمال الأطلسي).
    /// </summary>
    public static IReadOnlyList<string> ShortWords { get; } =
    [
        "مصر", "غزة", "قطر", "عمان", "عدن", "حلب", "حمص", "دبي", "تعز", "رفح", "جدة", "مكة", "صور", "حلف", "كأس",
    ];

    /// <summary>
    /// The prepositions ب ("in, with"), ل ("for, to"), ك ("as") and the conjunction ف ("so") are written joined to
    /// the next word: بأوكرانيا, لإسرائيل, لمجلس. Lucene's light stemmer leaves them alone on purpose, because
    /// stripping them outright ruins words that merely begin with those letters (فرنسا → رنسا, بريطانيا → ريطانيا).
    /// So the stemmed field keeps every word as written and, for a word made of one of these letters (after an
    /// optional و or ف) and at least four more letters, also indexes the rest at the same position. A query for إسرائيل
    /// then finds لإسرائيل, and the stray rest of a word that only begins with one of those letters (فرنسا → رنسا) is a term nobody
    /// searches for. Not before ال, nor ل after ل (the
    /// stemmer already strips ال, بال, لل…), so بلبنان is split and للبنان is the stemmer's. The exact fields never do this, and neither does a query.
    /// </summary>
    public static IReadOnlyList<string> AttachedPrepositionPatterns { get; } = BuildAttachedPrepositionPatterns();

    /// <summary>
    /// Stems decided before the light stemmer, by both stores: each root-و word with the stem its ال form gets, and
    /// each protected name, bare or prefixed, with itself.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> StemOverrides { get; } = BuildStemOverrides();

    private static readonly global::Lucene.Net.Analysis.Miscellaneous.StemmerOverrideFilter.StemmerOverrideMap StemOverrideMap = BuildStemOverrideMap();

    internal static readonly System.Text.RegularExpressions.Regex[] AttachedPreposition =
        [.. AttachedPrepositionPatterns.Select(pattern => new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Compiled))];

    /// <summary>The stemmed text fields as indexed: a word with a joined preposition is also indexed without it.</summary>
    public static Analyzer CreateTextAnalyzer() => new TextAnalyzer(stem: true, splitAttachedPrepositions: true);

    /// <summary>
    /// The stemmed text fields as queried: no split, so a query for بطولة ("championship") does not also ask for
    /// طوله ("its length"); the split on the indexed side is what lets إسرائيل find لإسرائيل.
    /// </summary>
    public static Analyzer CreateTextQueryAnalyzer() => new TextAnalyzer(stem: true, splitAttachedPrepositions: false);

    public static Analyzer CreateKeywordAnalyzer() => new KeywordValueAnalyzer();

    /// <summary>The text chain without stemming: for the exact fields.</summary>
    public static Analyzer CreateExactAnalyzer() => new TextAnalyzer(stem: false, splitAttachedPrepositions: false);

    /// <summary>The whole analyzer for writing the article index: text fields stemmed, exact fields unstemmed, keyword fields normalised.</summary>
    public static Analyzer CreateIndexAnalyzer() => PerField(CreateTextAnalyzer());

    /// <summary>The whole analyzer for reading a query against the article index.</summary>
    public static Analyzer CreateQueryAnalyzer() => PerField(CreateTextQueryAnalyzer());

    private static PerFieldAnalyzerWrapper PerField(Analyzer textAnalyzer) => new(
        textAnalyzer,
        LuceneFields.KeywordFields.ToDictionary(field => field, _ => CreateKeywordAnalyzer())
            .Concat(LuceneFields.ExactFields.ToDictionary(field => field, _ => CreateExactAnalyzer()))
            .ToDictionary());

    /// <summary>A keyword field's value as it is indexed: the same folding the keyword analyzer applies.</summary>
    public static string NormalizeKeyword(string value) => ArabicNormalizer.Normalize(value.Trim());

    private static NormalizeCharMap BuildFoldingMap()
    {
        var builder = new NormalizeCharMap.Builder();
        foreach (var (from, to) in ArabicNormalizer.CharacterFoldings)
        {
            builder.Add(from.ToString(), to);
        }
        return builder.Build();
    }

    private static List<KeyValuePair<string, string>> BuildStemOverrides()
    {
        var stemmer = new ArabicStemmer();
        var rootWaw = RootWawWords
            .Select(ArabicNormalizer.Normalize)
            .Distinct()
            .Select(word =>
            {
                var withArticle = ("ال" + word).ToCharArray();
                var length = stemmer.Stem(withArticle, withArticle.Length);
                return new KeyValuePair<string, string>(word, new string(withArticle, 0, length));
            });
        string[] strippedPrefixes = ["", "و", "ال", "وال", "بال", "كال", "فال", "لل"];
        var names = ProtectedNames
            .Select(ArabicNormalizer.Normalize)
            .Select(name => name.StartsWith("ال", StringComparison.Ordinal) ? name[2..] : name)
            .Distinct()
            .SelectMany(name => strippedPrefixes.Select(prefix => new KeyValuePair<string, string>(prefix + name, name)));
        return rootWaw.Concat(names).DistinctBy(rule => rule.Key).ToList();
    }

    /// <summary>
    /// Every pattern of <see cref="AttachedPrepositionPatterns"/> needs a token that begins with و ف ب ل or ك, or
    /// ends in يا after at least three letters.
    /// </summary>
    internal static bool MayHaveAttachedPreposition(ReadOnlySpan<char> token) =>
        token.Length > 0 && (token[0] is 'و' or 'ف' or 'ب' or 'ل' or 'ك' || (token.Length >= 5 && token.EndsWith("يا")));

    private static List<string> BuildAttachedPrepositionPatterns()
    {
        static string Alternatives(IEnumerable<string> words) =>
            string.Join('|', words.Select(ArabicNormalizer.Normalize).Distinct().Order(StringComparer.Ordinal));

        // Regular expressions that .NET (here) and Java (Elasticsearch's pattern_capture) read the same way. A rest
        // that begins with و is split only when it is a root-و word (لوزير), because the stemmer would strip that و
        // from any other (بوتين → وتين → تين "figs", لوكاس → كاس "cup").
        return
        [
            $"^(?=[وف]?[بلكف].{{4}})(?![وف]?(?:{Alternatives(NotAttachedPrepositionWords)})$)[وف]?(?:[بكف](?!ال|و)|ل(?!ال|ل|و))(.{{4,}})$",
            $"^[وف]?[بلكف]((?:{Alternatives(RootWawWords)}))$",
            // Words of three letters are too short for the general rule, and these too common in the news to miss (بغزة).
            $"^[وف]?[بلكف]((?:{Alternatives(ShortWords)}))$",
            // The conjunction before a preposition with the article (وبالناتو, فللمرة): the stemmer strips one prefix only.
            "^[وف]((?:بال|كال|لل).{2,})$",
            // An adjective in the accusative keeps its alef (مصريا, إيرانيا), which the stemmer does not strip: index it
            // also without, so it stems like مصري. Index side only, so a query for روسيا still asks for روسيا alone.
            "^(.{3,}ي)ا$",
        ];
    }

    private static global::Lucene.Net.Analysis.Miscellaneous.StemmerOverrideFilter.StemmerOverrideMap BuildStemOverrideMap()
    {
        var builder = new global::Lucene.Net.Analysis.Miscellaneous.StemmerOverrideFilter.Builder(ignoreCase: false);
        foreach (var (word, stem) in StemOverrides)
        {
            builder.Add(word, stem);
        }
        return builder.Build();
    }

    private static List<string> BuildStopWordList() =>
        ArabicAnalyzer.DefaultStopSet.Select(word => ArabicNormalizer.Normalize(word.ToString()!))
            .Concat(EnglishAnalyzer.DefaultStopSet.Select(word => word.ToString()!))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private sealed class TextAnalyzer(bool stem, bool splitAttachedPrepositions) : Analyzer
    {
        protected override TextReader InitReader(string fieldName, TextReader reader) =>
            new MappingCharFilter(ArabicFoldingMap, reader);

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var tokenizer = new StandardTokenizer(Version, reader);
            TokenStream stream = new LowerCaseFilter(Version, tokenizer);
            // "l'OTAN" is OTAN: French elided articles, which the standard tokenizer keeps inside the word.
            stream = new ElisionFilter(stream, FrenchAnalyzer.DEFAULT_ARTICLES);
            if (splitAttachedPrepositions)
            {
                stream = new CaptureGroupFilter(stream, AttachedPreposition, MayHaveAttachedPreposition);
            }
            // After the split, so a stop word left behind by it (لأنها → أنها) is dropped too.
            stream = new StopFilter(Version, stream, StopWords);
            if (stem)
            {
                stream = new global::Lucene.Net.Analysis.Miscellaneous.StemmerOverrideFilter(stream, StemOverrideMap);
                stream = new ArabicStemFilter(stream);
            }
            return new TokenStreamComponents(tokenizer, stream);
        }
    }

    private sealed class KeywordValueAnalyzer : Analyzer
    {
        protected override TextReader InitReader(string fieldName, TextReader reader) =>
            new MappingCharFilter(ArabicFoldingMap, reader);

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var tokenizer = new KeywordTokenizer(reader);
            TokenStream stream = new LowerCaseFilter(Version, tokenizer);
            stream = new TrimFilter(Version, stream);
            return new TokenStreamComponents(tokenizer, stream);
        }
    }
}

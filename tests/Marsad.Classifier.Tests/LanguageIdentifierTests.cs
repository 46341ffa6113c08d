using Marsad.Classifier.Languages;
using Marsad.Testing;

namespace Marsad.Classifier.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LanguageIdentifierTests
{
    private static readonly LanguageIdentifier Model = LanguageIdentifier.Shipped;

    [Fact]
    public void The_shipped_model_knows_the_languages_of_the_region_and_of_the_wires()
    {
        Assert.Subset(Model.Languages.ToHashSet(), new HashSet<string> { "ar", "en", "fr", "fa", "ur", "tr", "he" });
    }

    [Fact]
    public void The_seed_article_is_arabic_with_confidence()
    {
        var detected = Model.Identify(RepoPaths.SeedArticleText);
        Assert.Equal("ar", detected.Code);
        Assert.InRange(detected.Confidence, 0.95, 1.0);
    }

    [Fact]
    public void Half_an_emoji_does_not_stop_identification() =>
        Assert.Equal("en", Model.Identify("NATO foreign ministers met in Brussels on Friday \uD83D to discuss the war in Ukraine and the new sanctions.").Code);

    // The same news sentence, written for this test in each language.
    [Theory]
    [InlineData("ar", "اجتمع وزراء خارجية دول حلف شمال الأطلسي يوم الجمعة في بروكسل وناقشوا الحرب في أوكرانيا والعلاقات مع روسيا.")]
    [InlineData("fa", "وزیران امور خارجه کشورهای عضو ناتو روز جمعه در بروکسل دیدار کردند و درباره جنگ اوکراین و روابط با روسیه گفتگو کردند.")]
    [InlineData("ur", "نیٹو کے وزرائے خارجہ نے جمعہ کو برسلز میں ملاقات کی اور یوکرین کی جنگ اور روس کے ساتھ تعلقات پر بات چیت کی۔")]
    [InlineData("ps", "د ناټو د غړو هېوادونو د بهرنیو چارو وزیرانو د جمعې په ورځ په بروکسل کې سره ولیدل او د اوکراین د جګړې په اړه یې خبرې وکړې.")]
    [InlineData("tr", "NATO dışişleri bakanları cuma günü Brüksel'de bir araya gelerek Ukrayna'daki savaşı ve Rusya ile ilişkileri görüştü.")]
    [InlineData("he", "שרי החוץ של מדינות נאט״ו נפגשו ביום שישי בבריסל ודנו במלחמה באוקראינה וביחסים עם רוסיה.")]
    [InlineData("en", "NATO foreign ministers met in Brussels on Friday and discussed the war in Ukraine and relations with Russia.")]
    [InlineData("fr", "Les ministres des Affaires étrangères de l'OTAN se sont réunis vendredi à Bruxelles pour parler de la guerre en Ukraine.")]
    [InlineData("es", "Los ministros de Asuntos Exteriores de la OTAN se reunieron el viernes en Bruselas y hablaron de la guerra en Ucrania.")]
    [InlineData("de", "Die Außenminister der NATO trafen sich am Freitag in Brüssel und sprachen über den Krieg in der Ukraine.")]
    [InlineData("ru", "Министры иностранных дел стран НАТО встретились в пятницу в Брюсселе и обсудили войну на Украине.")]
    public void Tells_languages_apart_in_one_sentence(string expected, string sentence) =>
        Assert.Equal(expected, Model.Identify(sentence).Code);

    [Fact]
    public void Persian_typed_with_arabic_yeh_and_kaf_is_still_persian()
    {
        // Many Persian sites use the Arabic ي and ك; with none of پ چ ژ گ left, only the words tell.
        const string persian = "وزيران امور خارجه كشورهاي عضو ناتو روز جمعه در بروكسل ديدار كردند و درباره اوكراين و روسيه صحبت كردند";
        Assert.DoesNotContain(persian, letter => "پچژگیک".Contains(letter));
        Assert.Equal("fa", Model.Identify(persian).Code);
    }

    [Fact]
    public void Foreign_names_inside_an_arabic_sentence_leave_it_arabic()
    {
        var detected = Model.Identify("قال الأمين العام لحلف الناتو Jens Stoltenberg في مؤتمر صحفي مع Antony Blinken إن الحلف مستعد للحوار مع روسيا");
        Assert.Equal("ar", detected.Code);
        Assert.InRange(detected.Confidence, 0.6, 1.0);
    }

    [Fact]
    public void A_mixed_article_gets_the_language_most_of_it_is_written_in()
    {
        var arabic = string.Join('\n', Enumerable.Repeat("اجتمع وزراء خارجية دول حلف شمال الأطلسي يوم الجمعة في بروكسل وناقشوا الحرب في أوكرانيا.", 3));
        const string english = "\"We stand with Ukraine,\" the secretary general told reporters after the meeting.";
        var article = arabic + "\n" + english;

        var detected = Model.Identify(article);
        Assert.Equal("ar", detected.Code);
        // A quarter of it is English, and the confidence says so.
        Assert.InRange(detected.Confidence, 0.5, 0.9);
        Assert.Equal("en", Model.Identify(english + "\n" + english + "\n" + english + "\n" + arabic.Split('\n')[0]).Code);
    }

    [Theory]
    [InlineData("2022 — 12:30 …")]
    [InlineData("北约外长周五在布鲁塞尔举行会议")]
    public void Text_in_no_known_language_is_undetermined(string text)
    {
        var detected = Model.Identify(text);
        Assert.Equal(LanguageIdentifier.Undetermined, detected.Code);
        Assert.Equal(0, detected.Confidence);
    }

    [Fact]
    public void Scores_are_probabilities_over_the_known_languages()
    {
        var scores = Model.Scores("Los ministros se reunieron el viernes");
        Assert.Equal(Model.Languages.Count, scores.Count);
        Assert.Equal(1.0, scores.Sum(score => score.Confidence), 2);
        Assert.Equal("es", scores[0].Code);
    }

    [Fact]
    public void Identifies_real_pages_and_feeds_whose_language_their_publishers_declared()
    {
        var known = Model.Languages.ToHashSet();
        var samples = LanguageSamples.PublisherFeeds()
            .Concat(LanguageSamples.ReadabilityPages().Where(page => page.Language != "en"))
            .Where(sample => known.Contains(sample.Language))
            .ToList();
        Assert.True(samples.Count >= 25, $"expected the labelled feeds and pages under {RepoPaths.SharedFile("data")}, found {samples.Count}");
        Assert.Contains(samples, sample => sample.Language is "fr");
        Assert.Contains(samples, sample => sample.Language is "ru");
        var wrong = samples.Where(sample => Model.Identify(sample.Text).Code != sample.Language)
            .Select(sample => $"{sample.Language} taken for {Model.Identify(sample.Text).Code}: {sample.Text[..Math.Min(80, sample.Text.Length)]}");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Arabic_news_articles_are_all_arabic()
    {
        var articles = AntCorpus.Sample(every: 150).ToList();
        Assert.True(articles.Count > 150, $"expected the ANT corpus under {RepoPaths.SharedFile("data", "arabic-news")}");
        Assert.All(articles, article => Assert.Equal("ar", Model.Identify(article.Title + "\n" + article.Text).Code));
    }

    [Fact]
    public void Training_on_two_languages_tells_them_apart()
    {
        var model = LanguageTraining.Train(new Dictionary<string, IReadOnlyList<string>>
        {
            ["en"] = ["the cat sat on the mat and the dog ate the bread", "the weather is fine and the sea is calm"],
            ["fr"] = ["le chat est sur le tapis et le chien mange le pain", "le temps est beau et la mer est calme"],
        });
        Assert.Equal("fr", model.Identify("le chien et le chat").Code);
        Assert.Equal("en", model.Identify("the dog and the cat").Code);
    }

    [Fact]
    public void A_damaged_model_file_is_refused_with_its_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# header\nen\tth\t12\nen\tthe\n");
            var error = Assert.Throws<InvalidDataException>(() => LanguageIdentifier.Load(path));
            Assert.Contains(":3:", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

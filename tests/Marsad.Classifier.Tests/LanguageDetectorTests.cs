using Marsad.Testing;

namespace Marsad.Classifier.Tests;

public sealed class LanguageDetectorTests
{
    [Fact]
    public void The_seed_article_is_arabic() =>
        Assert.Equal("ar", LanguageDetector.Detect(RepoPaths.SeedArticleText).Code);

    [Theory]
    [InlineData("NATO foreign ministers held a video conference on Friday ahead of talks with Russia.", "en")]
    [InlineData("Les ministres de l'OTAN se sont réunis vendredi avant les discussions avec la Russie.", "fr")]
    [InlineData("وزيران خارجه کشورهای عضو پیمان آتلانتیک شمالی روز جمعه گفتگو کردند و گفتند که آنها متحد هستند", "fa")]
    [InlineData("نیٹو کے وزرائے خارجہ نے جمعہ کو ویڈیو کانفرنس کی اور روس کے ساتھ بات چیت کی تیاری کی", "ur")]
    [InlineData("שרי החוץ של נאט\"ו נפגשו ביום שישי", "he")]
    public void Tells_languages_apart(string text, string expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text).Code);

    [Fact]
    public void A_mostly_arabic_article_with_english_names_is_arabic()
    {
        var detected = LanguageDetector.Detect("قال الأمين العام لحلف الناتو Jens Stoltenberg إن الحلف مستعد للحوار مع روسيا بشأن الأمن في أوروبا");
        Assert.Equal("ar", detected.Code);
        Assert.InRange(detected.Confidence, 0.5, 1.0);
    }

    [Fact]
    public void Text_without_letters_is_undetermined() =>
        Assert.Equal("und", LanguageDetector.Detect("2022 — 12:30 …").Code);
}

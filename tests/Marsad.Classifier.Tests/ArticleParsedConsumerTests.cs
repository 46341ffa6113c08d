using Marsad.Contracts;
using Marsad.Testing;

namespace Marsad.Classifier.Tests;

/// <summary>The classifier's consumer on MassTransit's test harness, with the shipped models its settings name.</summary>
public sealed class ArticleParsedConsumerTests : IAsyncLifetime
{
    private ConsumerHarness _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ConsumerHarness.StartAsync(_ => { }, bus => bus.AddClassifierConsumers());

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private static ArticleParsed Parsed(string id, string title, string text) => new()
    {
        ArticleId = id,
        Content = new ArticleContent { Url = "https://news.example/" + id, Source = "وكالة", Title = title, Text = text },
    };

    [Fact]
    public async Task An_arabic_article_gets_its_language_topics_and_places()
    {
        await _bus.Harness.Bus.Publish(Parsed("ar", "الناتو يعد أوكرانيا بمزيد من الدعم",
            "قال الأمين العام لحلف الناتو في بروكسل إن الحلف سيواصل دعم أوكرانيا في مواجهة روسيا، وإن وزراء الدفاع اتفقوا على إرسال أسلحة جديدة إلى كييف."));

        var classified = await _bus.PublishedAsync<ArticleClassified>(TimeSpan.FromSeconds(60));
        Assert.Equal("ar", classified.Language);
        Assert.NotEmpty(classified.Topics);
        Assert.Contains(classified.Entities, entity => entity.Type == "place");
    }

    [Fact]
    public async Task An_english_article_gets_no_topics_from_the_arabic_model()
    {
        await _bus.Harness.Bus.Publish(Parsed("en", "NATO promises Ukraine more support",
            "The alliance's secretary general said in Brussels that member states agreed to send new air defence systems to Kyiv within weeks."));

        var classified = await _bus.PublishedAsync<ArticleClassified>(TimeSpan.FromSeconds(60));
        Assert.Equal("en", classified.Language);
        Assert.Empty(classified.Topics);
    }
}

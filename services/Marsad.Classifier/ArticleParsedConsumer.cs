using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Contracts;
using Marsad.Hosting;
using MassTransit;

namespace Marsad.Classifier;

public sealed class ArticleParsedConsumer(LanguageIdentifier languages, TopicClassifier topics, EntityExtractor entities) : IConsumer<ArticleParsed>
{
    public async Task Consume(ConsumeContext<ArticleParsed> context)
    {
        var article = context.Message;
        var language = languages.Identify(article.Content.Title + "\n" + article.Content.Text);
        MarsadTelemetry.ArticlesClassified.Add(1, new KeyValuePair<string, object?>("lang", language.Code));
        await context.Publish(new ArticleClassified
        {
            ArticleId = article.ArticleId,
            Content = article.Content,
            Language = language.Code,
            LanguageConfidence = Math.Round(language.Confidence, 3),
            // The topic model is trained on Arabic news; on other languages its guesses would be noise.
            Topics = language.Code == "ar" ? topics.Classify(article.Content.Title, article.Content.Text, article.Content.Url) : [],
            Entities = entities.Extract(article.Content.Title, article.Content.Text),
        }, context.CancellationToken);
    }
}

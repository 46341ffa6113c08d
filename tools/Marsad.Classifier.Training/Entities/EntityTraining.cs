using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>Training and evaluating the entity tagger on NewsFANE Gold, reproducibly.</summary>
public static class EntityTraining
{
    public const string Provenance =
        "Marsad entity tagger (./marsad train entities), trained on NewsFANE Gold 2014 (Alotaibi & Lee, COLING 2014), CC BY-SA 3.0: this model is shared under the same licence.";

    public const string ClustersProvenance =
        "Marsad word clusters (./marsad train word-clusters), learnt from the text of the ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AICCSA 2017; Apache-2.0); no text is kept, only each word's clusters.";

    /// <summary>
    /// Trains the tagger on gold sentences in the corpus's order. The tagger reads what it tagged each word in the
    /// sentences before (<see cref="DocumentMemory"/>). Trained on the gold tags' history, it would trust that more
    /// than its own tags deserve, so each half of the corpus is given the history a tagger trained on the other half
    /// tags it with (better on cross-validation than no history or the gold tags' history: docs/models/entities.md).
    /// </summary>
    public static EntityTagger Train(IReadOnlyList<(List<string> Tokens, List<string> Tags)> sentences, EntityAliases gazetteer, WordClusters? clusters)
    {
        var training = NewsFane.ForTraining(sentences, gazetteer);
        var half = training.Count / 2;
        var halves = new[] { training[..half], training[half..] };
        var withTaggedHistory = new List<TaggedSentence>(training.Count);
        for (var part = 0; part < halves.Length; part++)
        {
            var tagger = EntityTaggerTraining.Train(halves[1 - part], clusters);
            var memory = new DocumentMemory();
            foreach (var sentence in halves[part])
            {
                var recalled = memory.Recall(sentence.Tokens.Select(EntityAliases.Key).ToList());
                tagger.Tag(sentence.Tokens, sentence.Gazetteer, memory);
                withTaggedHistory.Add(sentence with { Recalled = recalled });
            }
        }
        return EntityTaggerTraining.Train(withTaggedHistory, clusters);
    }

    /// <summary>
    /// Each of <paramref name="folds"/> contiguous blocks of sentences (a block keeps a story's sentences together)
    /// tagged by a model trained on the other blocks, the whole extractor (tagger and gazetteer) evaluated on it.
    /// </summary>
    public static EntityEvaluation CrossValidate(IReadOnlyList<(List<string> Tokens, List<string> Tags)> sentences, int folds, EntityAliases gazetteer, WordClusters? clusters)
    {
        var evaluation = new EntityEvaluation();
        for (var fold = 0; fold < folds; fold++)
        {
            bool InFold(int index) => index * folds / sentences.Count == fold;
            var tagger = Train(sentences.Where((_, index) => !InFold(index)).ToList(), gazetteer, clusters);
            var extractor = new EntityExtractor(gazetteer, tagger);
            foreach (var (tokens, tags) in sentences.Where((_, index) => InFold(index)))
            {
                evaluation.Add(extractor, tokens, tags);
            }
        }
        return evaluation;
    }
}

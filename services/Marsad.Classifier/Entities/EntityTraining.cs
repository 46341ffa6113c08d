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
    /// Each of <paramref name="folds"/> contiguous blocks of sentences (a block keeps a story's sentences together)
    /// tagged by a model trained on the other blocks, the whole extractor (tagger and gazetteer) evaluated on it.
    /// </summary>
    public static EntityEvaluation CrossValidate(
        IReadOnlyList<(List<string> Tokens, List<string> Tags)> sentences, IReadOnlyList<TaggedSentence> training, int folds, EntityAliases gazetteer, WordClusters? clusters)
    {
        var evaluation = new EntityEvaluation();
        for (var fold = 0; fold < folds; fold++)
        {
            bool InFold(int index) => index * folds / sentences.Count == fold;
            var tagger = EntityTagger.Train(training.Where((_, index) => !InFold(index)).ToList(), clusters);
            var extractor = new EntityExtractor(gazetteer, tagger);
            foreach (var (tokens, tags) in sentences.Where((_, index) => InFold(index)))
            {
                evaluation.Add(extractor, tokens, tags);
            }
        }
        return evaluation;
    }
}

using Marsad.Classifier.Entities;
using Marsad.Search;

namespace Marsad.Classifier.Tests;

public sealed class DocumentMemoryTests
{
    private static List<string> Keys(string sentence) => sentence.Split(' ').Select(EntityAliases.Key).ToList();

    [Fact]
    public void A_word_is_recalled_with_the_kind_it_was_tagged_also_behind_a_joined_prefix()
    {
        var memory = new DocumentMemory();
        memory.Remember(Keys("قال بوتين في موسكو"), ["O", "B-person", "O", "B-place"]);
        var recalled = memory.Recall(Keys("وبوتين بموسكو اليوم"));
        Assert.Equal(new DocumentMemory.Recollection(EntityExtractor.Person, EntityExtractor.Person), recalled[0]);
        Assert.Equal(new DocumentMemory.Recollection(EntityExtractor.Place, EntityExtractor.Place), recalled[1]);
        Assert.Equal(DocumentMemory.Recollection.New, recalled[2]);
    }

    [Fact]
    public void A_word_tagged_mostly_as_a_common_word_is_recalled_so_with_the_name_it_was_once()
    {
        var memory = new DocumentMemory();
        memory.Remember(Keys("زار الاسد دمشق"), ["O", "B-person", "B-place"]);
        memory.Remember(Keys("زئير الاسد"), ["O", "O"]);
        memory.Remember(Keys("عرين الاسد"), ["O", "O"]);
        Assert.Equal(new DocumentMemory.Recollection(EntityTagger.Outside, EntityExtractor.Person), memory.Recall(Keys("الاسد"))[0]);
        Assert.Equal(new DocumentMemory.Recollection(EntityTagger.Outside, "none"), memory.Recall(Keys("زار"))[0]);
    }

    [Fact]
    public void It_forgets_the_sentences_beyond_its_length()
    {
        var memory = new DocumentMemory(sentences: 2);
        memory.Remember(Keys("كيرشنر"), ["B-person"]);
        memory.Remember(Keys("امس"), ["O"]);
        Assert.Equal(EntityExtractor.Person, memory.Recall(Keys("كيرشنر"))[0].Mostly);
        memory.Remember(Keys("اليوم"), ["O"]);
        Assert.Equal(DocumentMemory.Recollection.New, memory.Recall(Keys("كيرشنر"))[0]);
        Assert.Equal(EntityTagger.Outside, memory.Recall(Keys("امس"))[0].Mostly);
    }
}

using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class VocabularyTests
{
    private static readonly string[][] s_corpus =
    [
        ["b", "a", "c", "a", "d"],
        ["c", "a", "b", "e", "d", "d"],
    ];

    [Fact]
    public void Words_are_sorted_by_count_with_ties_in_first_seen_order()
    {
        var vocabulary = Vocabulary.Build(s_corpus, minCount: 1);
        vocabulary.Words.Should().Equal("a", "d", "b", "c", "e");
        vocabulary.Counts.Should().Equal(3L, 3L, 2L, 2L, 1L);
        vocabulary.RawWordCount.Should().Be(11);
        vocabulary.RetainedWordCount.Should().Be(11);
        vocabulary.IndexOf("c").Should().Be(3);
        vocabulary.IndexOf("zzz").Should().Be(-1);
    }

    [Fact]
    public void Min_count_and_max_final_vocab_follow_gensim()
    {
        Vocabulary.Build(s_corpus, minCount: 2).Words.Should().Equal("a", "d", "b", "c");
        // gensim raises min_count to (count of the word after the cut) + 1, so ties at the cut are all dropped.
        Vocabulary.Build(s_corpus, minCount: 1, maxFinalVocab: 3).Words.Should().Equal("a", "d");
        Vocabulary.Build(s_corpus, minCount: 1, maxFinalVocab: 4).Words.Should().Equal("a", "d", "b", "c");
        Vocabulary.Build(s_corpus, minCount: 2, maxFinalVocab: 4).RetainedWordCount.Should().Be(10);
    }

    [Fact]
    public void Empty_corpus_and_rare_words_are_rejected_clearly()
    {
        var empty = () => Vocabulary.Build([[], []], minCount: 1);
        empty.Should().Throw<ArgumentException>().WithMessage("*corpus is empty*").WithParameterName("sentences");
        var rare = () => Vocabulary.Build(s_corpus, minCount: 5);
        rare.Should().Throw<ArgumentException>().WithMessage("*No word occurs at least 5 times*'a', occurs 3 times*");
        var trainer = () => new Word2VecTrainer(new Word2VecOptions()).Fit(s_corpus);
        trainer.Should().Throw<ArgumentException>().WithMessage("*min_count 5*");
    }
}

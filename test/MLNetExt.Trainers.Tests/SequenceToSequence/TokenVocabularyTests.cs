using MLNetExt.Trainers.SequenceToSequence;

namespace MLNetExt.Trainers.Tests.SequenceToSequence;

public class TokenVocabularyTests
{
    [Fact]
    public void Specials_come_first_then_tokens_by_frequency_and_ordinal_order()
    {
        var vocabulary = TokenVocabulary.Build([["b", "a", "c"], ["a", "b"], ["a"]], TextUnit.Words);

        vocabulary.Tokens.Should().Equal("<pad>", "<unk>", "<bos>", "<eos>", "a", "b", "c");
        vocabulary.Encode(["c", "zebra", "a"]).Should().Equal(6, TokenVocabulary.Unknown, 4, TokenVocabulary.EndOfSequence);
        vocabulary.Decode([6, TokenVocabulary.Unknown, 4, TokenVocabulary.EndOfSequence, 5]).Should().Be("c <unk> a");
    }

    [Fact]
    public void Rare_tokens_and_those_past_the_size_limit_are_unknown()
    {
        var vocabulary = TokenVocabulary.Build([["x", "x", "y", "z", "z", "z"]], TextUnit.Characters, minCount: 2, maxTokens: 1);

        vocabulary.Tokens.Skip(TokenVocabulary.SpecialCount).Should().Equal("z");
        vocabulary.IdOf("x").Should().Be(TokenVocabulary.Unknown);
        vocabulary.Decode([4, 4]).Should().Be("zz", "characters join with nothing");
    }

    [Fact]
    public void Special_names_in_the_text_are_ordinary_unknown_text_not_control_ids()
    {
        var vocabulary = TokenVocabulary.Build([["<eos>", "a"]], TextUnit.Words);

        vocabulary.IdOf("<eos>").Should().Be(TokenVocabulary.Unknown);
        var duplicate = () => new TokenVocabulary(["a", "a"], TextUnit.Words);
        duplicate.Should().Throw<ArgumentException>().WithMessage("Token 'a' appears twice*");
    }

    [Fact]
    public void Characters_keep_white_space_and_words_split_on_it()
    {
        TextUnits.Split("New York", TextUnit.Characters).Should().Equal("N", "e", "w", " ", "Y", "o", "r", "k");
        TextUnits.Join(TextUnits.Split("New York", TextUnit.Characters), TextUnit.Characters).Should().Be("New York");
        TextUnits.Split(" a\tb\u00A0 c ", TextUnit.Words).Should().Equal("a", "b", "c");
        TextUnits.Join(["a", "b"], TextUnit.Words).Should().Be("a b");
        TextUnits.Split(null, TextUnit.Words).Should().BeEmpty();
    }
}

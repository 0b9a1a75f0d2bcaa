using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Trainers.Tests.TextGeneration;

public sealed class GenerationTokenizerTests
{
    [Fact]
    public void WordsSplitOnAnyWhiteSpaceAndKeepTheirCaseUnlessAsked()
    {
        new GenerationTokenizer().Tokenize(" The\tcat\u00A0sat \n").Should().Equal("The", "cat", "sat");
        new GenerationTokenizer(LowerCase: true).Tokenize("The CAT").Should().Equal("the", "cat");
        new GenerationTokenizer().Tokenize(null).Should().BeEmpty();
        new GenerationTokenizer().Tokenize("   ").Should().BeEmpty();
    }

    [Fact]
    public void CharactersAreTextElementsWithoutWhiteSpace()
    {
        // "é" written as e + a combining acute accent is one character to a reader, and one token.
        new GenerationTokenizer(GenerationTokenization.Characters).Tokenize("2024-01 e\u0301").Should().Equal("2", "0", "2", "4", "-", "0", "1", "e\u0301");
    }
}

using MLNetExt.Core;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// A seeded corpus with planted analogy structure, for testing and comparing embedding trainers. Three relations
/// (country → capital, male → female, singular → plural) each hold N pairs of words, e.g. <c>country3</c> /
/// <c>capital3</c>. Every sentence mentions one word of one pair together with two words of its side's role
/// (shared by all pairs of that side, e.g. <c>capital_role1</c>), two words of its pair's topic (shared by both
/// words of the pair, e.g. <c>countrytopic3_0</c>) and Zipf-distributed filler words, in random order. So each word's
/// contexts are topic + role + noise, the offset between the two sides of a relation is the same for every pair,
/// and a : b :: c : d holds for any two pairs (a, b) and (c, d) of one relation.
/// </summary>
public sealed class SyntheticAnalogyCorpus
{
    private static readonly (string A, string B)[] s_relations = [("country", "capital"), ("male", "female"), ("singular", "plural")];
    private const int RoleWords = 3;
    private const int TopicWords = 2;

    private SyntheticAnalogyCorpus(string[][] sentences, AnalogyQuestion[] questions, (string A, string B)[] pairs)
    {
        Sentences = sentences;
        Questions = questions;
        Pairs = pairs;
    }

    /// <summary>The tokenized sentences.</summary>
    public IReadOnlyList<string[]> Sentences { get; }

    /// <summary>Every a : b :: c : d over two distinct pairs of the same relation, in both orders.</summary>
    public IReadOnlyList<AnalogyQuestion> Questions { get; }

    /// <summary>All planted pairs, relation after relation.</summary>
    public IReadOnlyList<(string A, string B)> Pairs { get; }

    /// <summary>Generates the corpus.</summary>
    /// <param name="sentenceCount">Sentences to write, at least 1.</param>
    /// <param name="pairsPerRelation">Pairs per relation, at least 2.</param>
    /// <param name="seed">Fixes every draw.</param>
    /// <param name="fillerVocabulary">Distinct filler words (Zipf(1) distributed), at least 1.</param>
    /// <param name="fillerPerSentence">Filler words per sentence, at least 0.</param>
    public static SyntheticAnalogyCorpus Generate(int sentenceCount, int pairsPerRelation = 10, ulong seed = 0, int fillerVocabulary = 500, int fillerPerSentence = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sentenceCount, 1, nameof(sentenceCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(pairsPerRelation, 2, nameof(pairsPerRelation));
        ArgumentOutOfRangeException.ThrowIfLessThan(fillerVocabulary, 1, nameof(fillerVocabulary));
        ArgumentOutOfRangeException.ThrowIfNegative(fillerPerSentence);
        var random = new RandomSource(seed);
        var filler = new ZipfSampler(fillerVocabulary);
        var sentences = new string[sentenceCount][];
        for (int s = 0; s < sentenceCount; s++)
        {
            int relation = random.NextInt(s_relations.Length), pair = random.NextInt(pairsPerRelation), side = random.NextInt(2);
            string name = side == 0 ? s_relations[relation].A : s_relations[relation].B;
            var words = new string[1 + 2 + 2 + fillerPerSentence];
            int n = 0;
            words[n++] = name + pair;
            for (int k = 0; k < 2; k++) words[n++] = $"{name}_role{random.NextInt(RoleWords)}";
            for (int k = 0; k < 2; k++) words[n++] = $"{s_relations[relation].A}topic{pair}_{random.NextInt(TopicWords)}";
            for (int k = 0; k < fillerPerSentence; k++) words[n++] = "filler" + filler.Sample(random);
            random.Shuffle(words.AsSpan());
            sentences[s] = words;
        }

        var pairs = new List<(string, string)>();
        var questions = new List<AnalogyQuestion>();
        foreach (var (a, b) in s_relations)
        {
            for (int i = 0; i < pairsPerRelation; i++)
            {
                pairs.Add((a + i, b + i));
                for (int j = 0; j < pairsPerRelation; j++)
                    if (i != j) questions.Add(new AnalogyQuestion(a + i, b + i, a + j, b + j));
            }
        }
        return new SyntheticAnalogyCorpus(sentences, questions.ToArray(), pairs.ToArray());
    }
}

using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Optim;
using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// Trains a <see cref="SequenceToSequenceNetwork"/> on pairs of texts: vocabularies from the training texts, then
/// epochs of teacher-forced mini-batches (gradient clipping, label smoothing, optional scheduled sampling) with a
/// validation hold-out, early stopping on its loss, and the best epoch's weights kept. The optimizer and the
/// learning-rate schedule are those <see cref="DeepTrainerOptions"/> name (Adam by default).
/// </summary>
/// <remarks>
/// Batches group rows of similar source length (each epoch shuffles the rows, sorts runs of 20 batches by length and
/// shuffles the batches), so little time goes to padding. Progress is reported as <see cref="DeepTrainingLoop"/>
/// reports it; cancellation stops after the current batch and keeps the best weights so far. Everything random
/// (initial weights, hold-out, order, dropout, sampling) comes from the seed.
/// </remarks>
public static class SequenceToSequenceTrainer
{
    private const int SortedBatchesPerRun = 20;

    /// <summary>Trains on <paramref name="sources"/>[i] → <paramref name="targets"/>[i].</summary>
    /// <exception cref="ArgumentException">The lists differ in length or hold fewer than 2 pairs, a text is too long, or a setting is out of range.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (a loss that is not a finite number); the best weights so far are kept.</exception>
    public static SequenceToSequenceModel Train(IReadOnlyList<string?> sources, IReadOnlyList<string?> targets, SequenceToSequenceTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        if (sources.Count != targets.Count)
            throw new ArgumentException($"There are {sources.Count} sources but {targets.Count} targets.", nameof(targets));
        if (sources.Count < 2)
            throw new ArgumentException($"Training needs at least 2 pairs; got {sources.Count}.", nameof(sources));
        var sourceTokens = Tokenize(sources, options.Tokens, options.MaximumTokens, "source");
        var targetTokens = Tokenize(targets, options.Tokens, options.MaximumTokens, "target");
        TokenVocabulary sourceVocabulary, targetVocabulary;
        if (options.SharedEmbedding)
            sourceVocabulary = targetVocabulary = TokenVocabulary.Build(sourceTokens.Concat(targetTokens), options.Tokens, options.MinTokenCount, options.MaximumVocabularySize);
        else
        {
            sourceVocabulary = TokenVocabulary.Build(sourceTokens, options.Tokens, options.MinTokenCount, options.MaximumVocabularySize);
            targetVocabulary = TokenVocabulary.Build(targetTokens, options.Tokens, options.MinTokenCount, options.MaximumVocabularySize);
        }
        var random = new RandomSource((ulong)(options.Seed ?? 0));
        var network = new SequenceToSequenceNetwork(options.Architecture(sourceVocabulary.Count, targetVocabulary.Count), random.Fork());
        var pairs = sourceTokens.Select((tokens, i) => (Source: sourceVocabulary.Encode(tokens), Target: targetVocabulary.Encode(targetTokens[i]))).ToArray();
        var training = new Run(network, pairs, options, random.Fork()).Execute();
        return new SequenceToSequenceModel(network, sourceVocabulary, targetVocabulary, training);
    }

    private static List<IReadOnlyList<string>> Tokenize(IReadOnlyList<string?> texts, TextUnit unit, int maximumTokens, string side)
    {
        var tokens = new List<IReadOnlyList<string>>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            var row = TextUnits.Split(texts[i], unit);
            if (row.Count > maximumTokens)
                throw new ArgumentException($"Row {i}: the {side} has {row.Count:N0} tokens, more than MaximumTokens ({maximumTokens:N0}).", side == "source" ? "sources" : "targets");
            tokens.Add(row);
        }
        return tokens;
    }

    private sealed class Run
    {
        private readonly SequenceToSequenceNetwork _network;
        private readonly (int[] Source, int[] Target)[] _pairs;
        private readonly SequenceToSequenceTrainerOptions _options;
        private readonly RandomSource _random;
        private readonly int[] _trainRows;
        private readonly int[] _validationRows;
        private readonly OptimizerSetup _setup;
        private readonly Optimizer _optimizer;
        private readonly CrossEntropyLoss _loss;
        private readonly WeightSnapshot _best;
        private readonly Tape _tape = new();
        private TrainingReporter _reporter = null!;

        public Run(SequenceToSequenceNetwork network, (int[] Source, int[] Target)[] pairs, SequenceToSequenceTrainerOptions options, RandomSource random)
        {
            _network = network;
            _pairs = pairs;
            _options = options;
            _random = random;
            var order = Enumerable.Range(0, pairs.Length).ToArray();
            random.Shuffle(order.AsSpan());
            int validationCount = Math.Min((int)(pairs.Length * options.ValidationFraction), pairs.Length - 1);
            _validationRows = order[..validationCount];
            _trainRows = order[validationCount..];
            _setup = new OptimizerSetup(options, network.Parameters());
            _optimizer = _setup.Optimizer;
            _loss = new CrossEntropyLoss(ignoreIndex: TokenVocabulary.Padding, labelSmoothing: options.LabelSmoothing);
            _best = new WeightSnapshot(network);
        }

        public DeepTrainingResult Execute()
        {
            _reporter = new TrainingReporter(_options);
            _best.Capture();
            int bestEpoch = 0, completed = 0, sinceBest = 0, epoch = 0;
            double bestLoss = double.NaN;
            var reason = TrainingStopReason.Completed;
            while (++epoch <= _options.NumberOfEpochs)
            {
                _network.Train();
                var batches = Batches();
                double lossSum = 0;
                for (int b = 0; b < batches.Count; b++)
                {
                    if (_options.CancellationToken.IsCancellationRequested)
                    {
                        reason = TrainingStopReason.Canceled;
                        break;
                    }
                    float loss = Step(batches[b]);
                    if (!float.IsFinite(loss))
                        throw Diverged(epoch, b + 1, loss, onValidation: false);
                    lossSum += loss;
                    _reporter.BatchEnd(epoch, b + 1, batches.Count, lossSum / (b + 1), _optimizer.LearningRate);
                }
                if (reason == TrainingStopReason.Canceled)
                    break;
                double trainingLoss = lossSum / batches.Count;
                double? validationLoss = _validationRows.Length > 0 ? ValidationLoss() : null;
                if (validationLoss is { } v && !double.IsFinite(v))
                    throw Diverged(epoch, batches.Count, v, onValidation: true);
                double monitored = validationLoss ?? trainingLoss;
                completed = epoch;
                if (bestEpoch == 0 || monitored < bestLoss)
                {
                    (bestLoss, bestEpoch, sinceBest) = (monitored, epoch, 0);
                    _best.Capture();
                }
                else
                {
                    sinceBest++;
                }
                _reporter.EpochEnd(epoch, batches.Count, trainingLoss, validationLoss, null, null, _optimizer.LearningRate);
                _setup.EndOfEpoch(monitored);
                if (_options.EarlyStoppingPatience > 0 && sinceBest >= _options.EarlyStoppingPatience)
                {
                    reason = TrainingStopReason.EarlyStopped;
                    break;
                }
            }
            if (bestEpoch > 0)
                _best.Restore();
            _network.Eval();
            return new DeepTrainingResult(reason, completed, bestEpoch, bestLoss, _validationRows.Length, _trainRows.Length, _reporter.Elapsed);
        }

        // The epoch's batches: rows shuffled, runs of SortedBatchesPerRun batches sorted by source length, batches shuffled.
        private List<int[]> Batches()
        {
            _random.Shuffle(_trainRows.AsSpan());
            int size = Math.Min(_options.BatchSize, _trainRows.Length), run = size * SortedBatchesPerRun;
            var batches = new List<int[]>();
            for (int start = 0; start < _trainRows.Length; start += run)
            {
                var rows = _trainRows.AsSpan(start, Math.Min(run, _trainRows.Length - start)).ToArray();
                Array.Sort(rows, (a, b) => _pairs[a].Source.Length.CompareTo(_pairs[b].Source.Length));
                for (int at = 0; at < rows.Length; at += size)
                    batches.Add(rows[at..Math.Min(at + size, rows.Length)]);
            }
            var order = batches.ToArray();
            _random.Shuffle(order.AsSpan());
            return [.. order];
        }

        private float Step(int[] rows)
        {
            _tape.Reset();
            _optimizer.ZeroGrad();
            var loss = _network.Loss([.. rows.Select(r => _pairs[r].Source)], [.. rows.Select(r => _pairs[r].Target)], _loss, _tape,
                _options.ScheduledSamplingRate, _options.ScheduledSamplingRate > 0 ? _random : null);
            float value = loss.Data[0];
            if (!float.IsFinite(value))
                return value;
            _tape.Backward(loss);
            if (_options.GradientClipNorm > 0)
                GradientClipping.ClipGradNorm(_optimizer.Parameters, _options.GradientClipNorm);
            _optimizer.Step();
            return value;
        }

        // The mean per-token loss over the hold-out, teacher-forced, in evaluation mode, in batches of the training size.
        private double ValidationLoss()
        {
            _network.Eval();
            double sum = 0;
            long tokens = 0;
            int size = Math.Max(1, _options.BatchSize);
            for (int start = 0; start < _validationRows.Length; start += size)
            {
                var rows = _validationRows.AsSpan(start, Math.Min(size, _validationRows.Length - start)).ToArray();
                int count = rows.Sum(r => _pairs[r].Target.Length);
                sum += _network.Loss([.. rows.Select(r => _pairs[r].Source)], [.. rows.Select(r => _pairs[r].Target)], _loss, null).Data[0] * (double)count;
                tokens += count;
            }
            _network.Train();
            return sum / tokens;
        }

        private InvalidOperationException Diverged(int epoch, int batch, double loss, bool onValidation)
        {
            _best.Restore();
            _network.Eval();
            return _reporter.Diverged(epoch, batch, loss, onValidation);
        }
    }
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Optim;

namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// The training loop every deep trainer shares. Per epoch: shuffle the training rows, and for each batch run forward,
/// loss, backward, gradient clipping and an optimizer step; then step the learning-rate schedule, validate on the
/// held-out rows, keep the best weights, report progress and decide on early stopping.
/// </summary>
/// <remarks>
/// <para>The monitored loss is the validation loss when rows are held out, otherwise the epoch's mean training loss.
/// Whenever it improves, the model's parameters and buffers are copied aside; they are written back when early
/// stopping ends the run, when the run is cancelled, and before a divergence error is thrown.</para>
/// <para>Divergence: a NaN or infinite batch or validation loss stops the run with an
/// <see cref="InvalidOperationException"/> ("Training diverged at epoch E, batch B: loss was NaN; try a lower
/// LearningRate"), after the best weights so far (or the initial weights) are restored, so no half-updated parameters remain.</para>
/// <para>Cancellation is checked before every batch; a cancelled run restores the best weights (when an epoch has
/// completed) and returns with <see cref="TrainingStopReason.Canceled"/>. The trainer turns that into a
/// <c>TrainingCanceledException</c> carrying the model.</para>
/// <para>The batch buffers, the tape's arena, the optimizer state and the weight snapshot are allocated once, so the
/// steady state of the batch loop allocates only what the model's own layers do.</para>
/// </remarks>
public sealed class DeepTrainingLoop
{
    private const int EvaluationChunkRows = 256;
    private readonly DeepTrainerOptions _options;
    private readonly RandomSource _random;

    /// <summary>Creates a loop with the given settings.</summary>
    /// <param name="options">The settings; checked here and not changed.</param>
    /// <param name="random">The generator for the hold-out choice and the shuffles.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public DeepTrainingLoop(DeepTrainerOptions options, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _options = options;
        _random = random;
    }

    /// <summary>Trains <paramref name="model"/> in place on <paramref name="data"/> and leaves it in evaluation mode.</summary>
    /// <param name="model">The network: maps a batch [B, ...RowShape] to outputs [B, C] (class targets) or [B, ...TargetShape].</param>
    /// <param name="loss">The loss: a <see cref="CrossEntropyLoss"/> for class targets, an element-wise loss (mean reduction) otherwise.</param>
    /// <param name="data">The rows.</param>
    /// <param name="metric">The validation metric to report beside the loss.</param>
    /// <returns>What the run did; <see cref="DeepTrainingResult.StopReason"/> is <see cref="TrainingStopReason.Canceled"/> when the token was cancelled.</returns>
    /// <exception cref="ArgumentException">The loss does not suit the targets, or the metric does not suit them.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (NaN or infinite loss); the best weights so far were restored.</exception>
    public DeepTrainingResult Run(Module model, Loss loss, DeepTrainingData data, TrainingMetric metric = TrainingMetric.None)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        if (!Enum.IsDefined(metric))
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown training metric.");
        if (data.Classes is not null && loss is not CrossEntropyLoss)
            throw new ArgumentException($"Class-index targets need a CrossEntropyLoss, not a {loss.GetType().Name}.", nameof(loss));
        if (data.Classes is null && loss is CrossEntropyLoss)
            throw new ArgumentException("A CrossEntropyLoss needs class-index targets (DeepTrainingData.ForClasses).", nameof(loss));
        bool classMetric = metric == TrainingMetric.Accuracy;
        if (metric != TrainingMetric.None && classMetric != (data.Classes is not null))
            throw new ArgumentException($"The {metric} metric does not suit {(data.Classes is null ? "float" : "class-index")} targets.", nameof(metric));
        return new TrainingRun(this, model, loss, data, metric).Execute();
    }

    /// <summary>The state of one run.</summary>
    private sealed class TrainingRun
    {
        private readonly DeepTrainerOptions _options;
        private readonly RandomSource _random;
        private readonly Module _model;
        private readonly Loss _loss;
        private readonly DeepTrainingData _data;
        private readonly TrainingMetric _metric;
        private readonly int[] _trainRows;
        private readonly int[] _validationRows;
        private readonly Optimizer _optimizer;
        private readonly OptimizerSetup _setup;
        private readonly WeightSnapshot _best;
        private readonly Tape _tape = new();
        private readonly BatchBuffers _fullBatch;
        private readonly BatchBuffers? _tailBatch;
        private readonly BatchBuffers? _validationBatch;
        private readonly BatchBuffers? _validationTail;
        private readonly int _batchesPerEpoch;
        private readonly int _validationLabelledTokens;
        private TrainingReporter _reporter = null!;

        public TrainingRun(DeepTrainingLoop loop, Module model, Loss loss, DeepTrainingData data, TrainingMetric metric)
        {
            _options = loop._options;
            _random = loop._random;
            _model = model;
            _loss = loss;
            _data = data;
            _metric = metric;
            var order = Enumerable.Range(0, data.RowCount).ToArray();
            _random.Shuffle(order.AsSpan());
            int validationCount = Math.Min((int)(data.RowCount * _options.ValidationFraction), data.RowCount - 1);
            _validationRows = order[..validationCount];
            _trainRows = order[validationCount..];
            _setup = new OptimizerSetup(_options, model.Parameters());
            _optimizer = _setup.Optimizer;
            _best = new WeightSnapshot(model);
            int batchSize = Math.Min(_options.BatchSize, _trainRows.Length);
            int tail = _trainRows.Length % batchSize;
            bool dropTail = tail == 1 && _trainRows.Length > 1;
            _batchesPerEpoch = _trainRows.Length / batchSize + (tail > 0 && !dropTail ? 1 : 0);
            _fullBatch = new BatchBuffers(data, batchSize);
            _tailBatch = tail > 0 && !dropTail ? new BatchBuffers(data, tail) : null;
            if (validationCount > 0)
            {
                int chunk = Math.Min(EvaluationChunkRows, validationCount);
                _validationBatch = new BatchBuffers(data, chunk);
                _validationTail = validationCount % chunk > 0 ? new BatchBuffers(data, validationCount % chunk) : null;
                _validationLabelledTokens = LabelledTokens(data, _validationRows);
            }
        }

        public DeepTrainingResult Execute()
        {
            _reporter = new TrainingReporter(_options);
            _best.Capture();
            int bestEpoch = 0, epochsWithoutImprovement = 0, epoch = 0, completed = 0;
            double bestLoss = double.NaN;
            var reason = TrainingStopReason.Completed;
            while (++epoch <= _options.NumberOfEpochs)
            {
                _model.Train();
                _random.Shuffle(_trainRows.AsSpan());
                double lossSum = 0;
                for (int batch = 0; batch < _batchesPerEpoch; batch++)
                {
                    if (_options.CancellationToken.IsCancellationRequested)
                    {
                        reason = TrainingStopReason.Canceled;
                        break;
                    }
                    float batchLoss = Step(batch);
                    if (!float.IsFinite(batchLoss))
                        throw Diverged(epoch, batch + 1, batchLoss);
                    lossSum += batchLoss;
                    _reporter.BatchEnd(epoch, batch + 1, _batchesPerEpoch, lossSum / (batch + 1), _optimizer.LearningRate);
                }
                if (reason == TrainingStopReason.Canceled)
                    break;
                double trainingLoss = lossSum / _batchesPerEpoch;
                double? validationLoss = null, validationMetric = null;
                if (_validationRows.Length > 0)
                {
                    (validationLoss, validationMetric) = Evaluate();
                    if (!double.IsFinite(validationLoss.Value))
                        throw Diverged(epoch, _batchesPerEpoch, validationLoss.Value, onValidation: true);
                }
                double monitored = validationLoss ?? trainingLoss;
                completed = epoch;
                if (bestEpoch == 0 || monitored < bestLoss)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    _best.Capture();
                }
                else
                {
                    epochsWithoutImprovement++;
                }
                _reporter.EpochEnd(epoch, _batchesPerEpoch, trainingLoss, validationLoss, validationMetric, MetricName(_metric), _optimizer.LearningRate);
                _setup.EndOfEpoch(monitored);
                if (_options.EarlyStoppingPatience > 0 && epochsWithoutImprovement >= _options.EarlyStoppingPatience)
                {
                    reason = TrainingStopReason.EarlyStopped;
                    break;
                }
            }
            bool restore = bestEpoch > 0 && (reason != TrainingStopReason.Completed || _options.EarlyStoppingPatience > 0);
            if (restore)
                _best.Restore();
            _model.Eval();
            return new DeepTrainingResult(reason, completed, bestEpoch, bestLoss, _validationRows.Length, _trainRows.Length, _reporter.Elapsed);
        }

        /// <summary>The class targets of <paramref name="rows"/> that are not <see cref="DeepTrainingData.IgnoredClass"/> (the rows themselves for one class per row).</summary>
        private static int LabelledTokens(DeepTrainingData data, int[] rows)
        {
            if (data.Classes is not { } classes)
                return rows.Length;
            int count = 0, perRow = data.ClassesPerRow;
            foreach (int row in rows)
            {
                foreach (int target in classes.AsSpan(row * perRow, perRow))
                {
                    if (target != DeepTrainingData.IgnoredClass)
                        count++;
                }
            }
            return count;
        }

        /// <summary>One gradient step on batch <paramref name="batch"/> of the current order; returns its loss.</summary>
        private float Step(int batch)
        {
            var buffers = batch * _fullBatch.Rows + _fullBatch.Rows <= _trainRows.Length ? _fullBatch : _tailBatch!;
            buffers.Fill(_data, _trainRows.AsSpan(batch * _fullBatch.Rows, buffers.Rows));
            _tape.Reset();
            _optimizer.ZeroGrad();
            var output = _model.Forward(buffers.Inputs, _tape);
            var loss = ComputeLoss(output, buffers, _tape);
            float value = loss.Data[0];
            if (!float.IsFinite(value))
                return value;
            _tape.Backward(loss);
            if (_options.GradientClipNorm > 0)
                GradientClipping.ClipGradNorm(_optimizer.Parameters, _options.GradientClipNorm);
            _optimizer.Step();
            return value;
        }

        // The loss, plus the network's own penalty on the forward pass that produced the outputs (see IPenalizedNetwork).
        private Tensor ComputeLoss(Tensor output, BatchBuffers buffers, Tape? tape)
        {
            var loss = buffers.Classes is { } classes
                ? ((CrossEntropyLoss)_loss).Forward(output, classes, tape)
                : _loss.Forward(output, buffers.Targets!, tape);
            return _model is IPenalizedNetwork network && network.Penalty(tape) is { } penalty ? TensorOps.Add(loss, penalty, tape) : loss;
        }

        /// <summary>The mean loss and the metric over the validation rows, in evaluation mode.</summary>
        private (double Loss, double? Metric) Evaluate()
        {
            _model.Eval();
            var rows = _validationRows;
            var chunk = _validationBatch!;
            double lossSum = 0, metricSum = 0;
            for (int start = 0; start < rows.Length; start += chunk.Rows)
            {
                var buffers = start + chunk.Rows <= rows.Length ? chunk : _validationTail!;
                buffers.Fill(_data, rows.AsSpan(start, buffers.Rows));
                var output = _model.Forward(buffers.Inputs);
                lossSum += ComputeLoss(output, buffers, null).Data[0] * (double)buffers.Rows;
                metricSum += MetricSum(output, buffers);
            }
            _model.Train();
            double? metric = _metric switch
            {
                TrainingMetric.None => null,
                TrainingMetric.RootMeanSquaredError => Math.Sqrt(metricSum / ((double)rows.Length * _data.TargetLength)),
                TrainingMetric.Accuracy => metricSum / _validationLabelledTokens,
                _ => metricSum / rows.Length,
            };
            return (lossSum / rows.Length, metric);
        }

        /// <summary>Correct rows (accuracies) or the sum of squared errors (RMSE) of one evaluated chunk.</summary>
        private double MetricSum(Tensor output, BatchBuffers buffers)
        {
            var values = output.Span;
            switch (_metric)
            {
                case TrainingMetric.Accuracy:
                    {
                        var targets = buffers.Classes!;
                        int classes = values.Length / targets.Length, correct = 0;
                        for (int i = 0; i < targets.Length; i++)
                        {
                            if (targets[i] != DeepTrainingData.IgnoredClass && TensorPrimitives.IndexOfMax(values.Slice(i * classes, classes)) == targets[i])
                                correct++;
                        }
                        return correct;
                    }
                case TrainingMetric.BinaryAccuracy:
                    {
                        var targets = buffers.Targets!.Span;
                        int correct = 0;
                        for (int i = 0; i < targets.Length; i++)
                        {
                            if (values[i] > 0 == targets[i] > 0.5f)
                                correct++;
                        }
                        return correct / (double)_data.TargetLength;
                    }
                case TrainingMetric.RootMeanSquaredError:
                    {
                        var targets = buffers.Targets!.Span;
                        double sum = 0;
                        for (int i = 0; i < targets.Length; i++)
                            sum += (values[i] - (double)targets[i]) * (values[i] - targets[i]);
                        return sum;
                    }
                default:
                    return 0;
            }
        }

        private InvalidOperationException Diverged(int epoch, int batch, double loss, bool onValidation = false)
        {
            _best.Restore();
            _model.Eval();
            return _reporter.Diverged(epoch, batch, loss, onValidation);
        }

        private static string? MetricName(TrainingMetric metric) => metric switch
        {
            TrainingMetric.Accuracy or TrainingMetric.BinaryAccuracy => "accuracy",
            TrainingMetric.RootMeanSquaredError => "RMSE",
            _ => null,
        };
    }

    /// <summary>The input tensor and targets of a batch of a fixed row count, filled in place for each batch.</summary>
    private sealed class BatchBuffers
    {
        public BatchBuffers(DeepTrainingData data, int rows)
        {
            Rows = rows;
            Inputs = new Tensor([rows, .. data.RowShape]);
            if (data.Classes is not null)
                Classes = new int[rows * data.ClassesPerRow];
            else
                Targets = new Tensor([rows, .. data.TargetShape]);
        }

        public int Rows { get; }

        public Tensor Inputs { get; }

        public int[]? Classes { get; }

        public Tensor? Targets { get; }

        public void Fill(DeepTrainingData data, ReadOnlySpan<int> rows)
        {
            int length = data.RowLength;
            var inputs = Inputs.Span;
            for (int i = 0; i < rows.Length; i++)
                data.Inputs.AsSpan(rows[i] * length, length).CopyTo(inputs.Slice(i * length, length));
            if (Classes is not null)
            {
                int perRow = data.ClassesPerRow;
                for (int i = 0; i < rows.Length; i++)
                    data.Classes!.AsSpan(rows[i] * perRow, perRow).CopyTo(Classes.AsSpan(i * perRow, perRow));
                return;
            }
            int targetLength = data.TargetLength;
            var targets = Targets!.Span;
            for (int i = 0; i < rows.Length; i++)
                data.Targets.AsSpan(rows[i] * targetLength, targetLength).CopyTo(targets.Slice(i * targetLength, targetLength));
        }
    }
}

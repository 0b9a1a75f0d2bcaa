using Microsoft.ML.Runtime;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Estimators.Sequence;

/// <summary>
/// Trains an LSTM, GRU or RNN forecaster (sequence regression): the features hold a window of past steps (a vector of
/// Single, <see cref="SequenceTrainerOptions.StepSize"/> values per step; <see cref="ForecastWindows"/> cuts them
/// from a series), the label the next <see cref="Options.Horizon"/> values (Single for a horizon of 1, otherwise
/// Vector&lt;Single, Horizon&gt;); outputs Score of the same shape. Inputs and targets are standardized with the
/// training statistics. Loss: mean squared error.
/// Made by <c>mlContext.Regression.Trainers.RecurrentForecaster</c> (cell from the options), <c>.LstmForecaster</c> or <c>.GruForecaster</c>.
/// </summary>
public sealed class SequenceForecastingTrainer : SequenceTrainerBase
{
    internal SequenceForecastingTrainer(IHostEnvironment context, Options options, SequenceCellType? cell = null)
        : base(context, Checked(options), SequenceTask.Forecasting, cell, options.Horizon)
    {
    }

    /// <summary>The settings of <see cref="SequenceForecastingTrainer"/>.</summary>
    public sealed class Options : SequenceTrainerOptions
    {
        /// <summary>The number of future values predicted per row, at least 1. Default 1.</summary>
        public int Horizon { get; set; } = 1;

        internal override void Validate()
        {
            if (Horizon < 1)
                throw Bad(nameof(Horizon), Horizon, "must be at least 1");
            base.Validate();
        }
    }

    private static Options Checked(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }
}

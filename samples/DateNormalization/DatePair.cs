using Microsoft.ML.Data;

namespace MLNetExt.Samples.DateNormalization;

/// <summary>One row of data/dates.tsv: a date as people write it, and its ISO 8601 form.</summary>
public sealed class DatePair
{
    [LoadColumn(0)]
    public string Text { get; set; } = "";

    [LoadColumn(1)]
    public string Iso { get; set; } = "";
}

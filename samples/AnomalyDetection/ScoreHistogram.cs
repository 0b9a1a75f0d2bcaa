using ScottPlot;

namespace MLNetExt.Samples.AnomalyDetection;

/// <summary>
/// Draws the histogram of the anomaly scores of normal and anomalous rows, overlaid, with the model's threshold as a
/// vertical line, on a logarithmic score axis (the scores of the two groups lie orders of magnitude apart). Each group's
/// bars give its share of the group's rows, so the few anomalies show beside the many normal rows.
/// </summary>
public static class ScoreHistogram
{
    private static readonly string[] SansFonts = ["Segoe UI", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans", "Noto Sans"];

    public static void Save(string path, IReadOnlyList<float> normalScores, IReadOnlyList<float> anomalyScores, float threshold, string title)
    {
        static double Log(double score) => Math.Log10(Math.Max(score, 1e-6));
        var all = normalScores.Concat(anomalyScores).Select(s => Log(s)).Append(Log(threshold)).ToArray();
        double low = Math.Floor(all.Min() * 4) / 4, high = Math.Ceiling(all.Max() * 4) / 4;
        const int binCount = 48;
        double width = (high - low) / binCount;

        var plot = new Plot();
        AddGroup(plot, normalScores, $"normal ({normalScores.Count} rows)", Colors.SteelBlue);
        AddGroup(plot, anomalyScores, $"anomaly ({anomalyScores.Count} rows)", Colors.OrangeRed);

        var line = plot.Add.VerticalLine(Log(threshold), 2, Colors.Black, LinePattern.Dashed);
        line.LegendText = $"threshold {threshold:G3}";

        // Ticks at whole decades, labelled with the score itself rather than its logarithm.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("anomaly score (mean reconstruction error, log scale)");
        plot.YLabel("share of the group's rows (%)");
        plot.ShowLegend(Alignment.UpperLeft);
        // ScottPlot takes the system's default typeface, a serif one on many Linux machines; prefer a sans-serif font present here.
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet();
        if (SansFonts.FirstOrDefault(installed.Contains) is { } sans)
            plot.Font.Set(sans);
        plot.SavePng(path, 900, 520);

        void AddGroup(Plot target, IReadOnlyList<float> scores, string legend, Color color)
        {
            var counts = new int[binCount];
            foreach (float score in scores)
                counts[Math.Clamp((int)((Log(score) - low) / width), 0, binCount - 1)]++;
            var bars = counts.Select((count, bin) => new Bar
            {
                Position = low + (bin + 0.5) * width,
                Value = 100.0 * count / Math.Max(scores.Count, 1),
                Size = width,
                FillColor = color.WithAlpha(0.55),
                LineWidth = 0,
            }).Where(bar => bar.Value > 0).ToList();
            var plottable = target.Add.Bars(bars);
            plottable.LegendText = legend;
            plottable.Color = color.WithAlpha(0.55);
        }
    }
}

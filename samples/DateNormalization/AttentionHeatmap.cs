using ScottPlot;

namespace MLNetExt.Samples.DateNormalization;

/// <summary>
/// Draws where the decoder looked: one row per output character (top to bottom, the last row for the end of the
/// output), one column per input character, each cell shaded by the attention weight the decoder gave that input
/// character while writing that output character.
/// </summary>
public static class AttentionHeatmap
{
    private static readonly string[] SansFonts = ["Segoe UI", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans", "Noto Sans"];

    /// <param name="path">The PNG to write.</param>
    /// <param name="inputs">The input's characters, then "⏎" for the end-of-sequence id the encoder also reads.</param>
    /// <param name="outputs">The output's characters, then "⏎" for the end-of-sequence step.</param>
    /// <param name="weights">[outputs × inputs], row-major: each row sums to 1.</param>
    public static void Save(string path, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, float[] weights)
    {
        int rows = outputs.Count, columns = inputs.Count;
        var intensities = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                intensities[r, c] = weights[r * columns + c];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Cell (r, c) covers [c, c + 1] × [rows − r − 1, rows − r]: the first output character on top.
        heatmap.Extent = new CoordinateRect(0, columns, 0, rows);
        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, columns).Select(c => c + 0.5)], [.. inputs.Select(Visible)]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(r => rows - r - 0.5)], [.. outputs.Select(Visible)]);
        plot.Axes.SetLimits(0, columns, 0, rows);
        plot.Title($"Attention: \"{string.Concat(inputs.Take(columns - 1))}\" → \"{string.Concat(outputs.Take(rows - 1))}\"");
        plot.XLabel("input character");
        plot.YLabel("output character");
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet();
        if (SansFonts.FirstOrDefault(installed.Contains) is { } sans)
            plot.Font.Set(sans);
        plot.SavePng(path, Math.Max(500, 40 * columns + 200), Math.Max(400, 32 * rows + 160));
    }

    // A space would be an empty tick label.
    private static string Visible(string token) => token == " " ? "␣" : token;
}

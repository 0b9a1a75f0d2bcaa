using System.Reflection;
using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.TestKit;

/// <summary>
/// The ML.NET-style workout every estimator goes through (ARCHITECTURE.md, tests §5): fit, transform, check that the
/// fitted output schema is what <see cref="IEstimator{TTransformer}.GetOutputSchema"/> promised, check that data
/// without the label column is scored too, check that row-by-row mapping (what a prediction engine uses) gives the same
/// cells, save with <see cref="ModelOperationsCatalog.Save(ITransformer, DataViewSchema, string)"/> to a file, load it
/// back with <see cref="ModelOperationsCatalog.Load(string, out DataViewSchema)"/>, check the loaded model gives the same
/// output cell by cell, and check that invalid input is rejected with an error naming the offending column.
/// </summary>
public static class EstimatorWorkout
{
    /// <summary>Runs the workout and returns what was fitted and produced, for further assertions.</summary>
    /// <typeparam name="TTransformer">The estimator's transformer type.</typeparam>
    /// <param name="ml">The context whose <see cref="MLContext.Model"/> saves and loads.</param>
    /// <param name="estimator">The estimator under test.</param>
    /// <param name="validData">Data it must fit on and transform.</param>
    /// <param name="labelColumnName">
    /// The label column of a trainer: the fitted model must also score <paramref name="validData"/> without it, giving
    /// the same cells in every other column; null for a transform that needs all its input.
    /// </param>
    /// <param name="invalidData">Data with a missing or mistyped column; null skips that check.</param>
    /// <param name="invalidColumnName">The column every error about <paramref name="invalidData"/> must name.</param>
    public static WorkoutResult<TTransformer> Run<TTransformer>(MLContext ml, IEstimator<TTransformer> estimator, IDataView validData,
        IDataView? invalidData = null, string? invalidColumnName = null, string? labelColumnName = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(validData);
        if (invalidData is not null && string.IsNullOrEmpty(invalidColumnName))
            throw new ArgumentException("Name the column the invalid data gets wrong.", nameof(invalidColumnName));

        var promised = estimator.GetOutputSchema(ShapeOf(validData.Schema));
        var transformer = estimator.Fit(validData);
        var output = transformer.Transform(validData);
        CheckShape(ShapeOf(output.Schema), promised);
        CheckSameSchema(transformer.GetOutputSchema(validData.Schema), output.Schema, "the transformer's GetOutputSchema");
        var cells = DataViewCells.ReadAll(output);

        transformer.IsRowToRowMapper.Should().BeTrue("a prediction engine maps one row at a time");
        var mappedCells = DataViewCells.ReadMapped(transformer.GetRowToRowMapper(validData.Schema), validData);
        CheckSameCells(mappedCells, cells, "the row-to-row mapper");

        if (labelColumnName is not null)
            CheckScoresWithoutLabel(ml, transformer, validData, output, labelColumnName);

        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-workout-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, validData.Schema, path);
            var loaded = ml.Model.Load(path, out var loadedSchema);
            CheckSameSchema(loadedSchema, validData.Schema, "the saved input schema");
            var reloadedOutput = loaded.Transform(validData);
            CheckSameSchema(reloadedOutput.Schema, output.Schema, "the loaded model's output");
            CheckCloseCells(DataViewCells.ReadAll(reloadedOutput), cells, "the loaded model");
        }
        finally
        {
            File.Delete(path);
        }

        if (invalidData is not null)
            CheckRejects(estimator, transformer, invalidData, invalidColumnName!);
        return new WorkoutResult<TTransformer>(transformer, output, cells);
    }

    private static void CheckSameCells(IReadOnlyList<string[]> actual, IReadOnlyList<string[]> expected, string what)
    {
        actual.Should().HaveCount(expected.Count, $"{what} must produce as many rows");
        for (int row = 0; row < expected.Count; row++)
            actual[row].Should().Equal(expected[row], $"row {row} of {what}'s output must match the fitted model's");
    }

    /// <summary>
    /// The loaded model scores through ONNX Runtime, whose kernels round differently from our engine's: numbers
    /// must agree within <see cref="SavedModelTolerance"/> relative to their magnitude, or absolute below magnitude 1
    /// (a logit near 0 is a difference of terms of order 1, so its rounding error is of order 1e-7, not relative to
    /// it); everything else exactly.
    /// </summary>
    private static void CheckCloseCells(IReadOnlyList<string[]> actual, IReadOnlyList<string[]> expected, string what)
    {
        actual.Should().HaveCount(expected.Count, $"{what} must produce as many rows");
        for (int row = 0; row < expected.Count; row++)
        {
            actual[row].Should().HaveCount(expected[row].Length, $"row {row} of {what}'s output must have the fitted model's columns");
            for (int column = 0; column < expected[row].Length; column++)
            {
                if (actual[row][column] == expected[row][column])
                    continue;
                var actualNumbers = Numbers(actual[row][column]);
                var expectedNumbers = Numbers(expected[row][column]);
                (actualNumbers is not null && expectedNumbers is not null && actualNumbers.Length == expectedNumbers.Length
                    && actualNumbers.Zip(expectedNumbers).All(p => Close(p.First, p.Second)))
                    .Should().BeTrue($"cell {column} of row {row} of {what}'s output, {actual[row][column]}, must match the fitted model's {expected[row][column]} within {SavedModelTolerance} relative");
            }
        }
    }

    /// <summary>The relative tolerance between a saved model's scores (through ONNX Runtime) and our engine's.</summary>
    public const double SavedModelTolerance = 1e-5;

    private static bool Close(double actual, double expected) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= SavedModelTolerance * Math.Max(Math.Max(Math.Abs(actual), Math.Abs(expected)), 1);

    private static double[]? Numbers(string cell)
    {
        string body = cell.StartsWith('[') && cell.EndsWith(']') ? cell[1..^1] : cell;
        var parts = body.Split(", ");
        var numbers = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out numbers[i]))
                return null;
        }
        return numbers;
    }

    private static void CheckScoresWithoutLabel(MLContext ml, ITransformer transformer, IDataView validData, IDataView output, string labelColumnName)
    {
        validData.Schema.GetColumnOrNull(labelColumnName).Should().NotBeNull($"the valid data must have the label column '{labelColumnName}'");
        var unlabelled = ml.Transforms.DropColumns(labelColumnName).Fit(validData).Transform(validData);
        var scored = transformer.Transform(unlabelled);
        var kept = output.Schema.Where(c => !c.IsHidden && c.Name != labelColumnName).Select(c => c.Name).ToArray();
        scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should().BeEquivalentTo(kept, "data without the label gets every other column");
        foreach (string column in kept)
            DataViewCells.Column(scored, column).Should().Equal(DataViewCells.Column(output, column), $"column '{column}' must not depend on the label");
    }

    private static void CheckShape(SchemaShape actual, SchemaShape promised)
    {
        actual.Select(c => c.Name).Should().Equal(promised.Select(c => c.Name), "the fitted output must have the columns GetOutputSchema promised");
        foreach (var expected in promised)
        {
            var column = actual.Single(c => c.Name == expected.Name);
            TypeOf(column).Should().Be(TypeOf(expected), $"column '{expected.Name}' must have the promised type");
            foreach (var annotation in expected.Annotations)
            {
                var present = column.Annotations.Where(a => a.Name == annotation.Name).ToArray();
                present.Should().ContainSingle($"column '{expected.Name}' must carry the promised annotation '{annotation.Name}'");
                TypeOf(present[0]).Should().Be(TypeOf(annotation), $"annotation '{annotation.Name}' of column '{expected.Name}'");
            }
        }
    }

    private static string TypeOf(SchemaShape.Column column) => $"{column.Kind} of {(column.IsKey ? "key " : "")}{column.ItemType}";

    /// <summary>
    /// The shape ML.NET's pipelines give an estimator for <paramref name="schema"/>. ML.NET keeps the conversion
    /// (<c>SchemaShape.Create</c>) internal, as it keeps <see cref="SchemaShape.Column"/>'s constructor.
    /// </summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) => (SchemaShape)(s_createShape.Invoke(null, [schema])
        ?? throw new InvalidOperationException("SchemaShape.Create returned null."));

    private static readonly MethodInfo s_createShape =
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
        ?? throw new MissingMethodException($"Microsoft.ML {typeof(SchemaShape).Assembly.GetName().Version} has no SchemaShape.Create(DataViewSchema).");

    private static void CheckSameSchema(DataViewSchema actual, DataViewSchema expected, string what)
    {
        actual.Select(c => $"{c.Name}: {c.Type}").Should().Equal(expected.Select(c => $"{c.Name}: {c.Type}"), $"{what} must match");
    }

    private static void CheckRejects<TTransformer>(IEstimator<TTransformer> estimator, TTransformer transformer, IDataView invalidData, string column)
        where TTransformer : class, ITransformer
    {
        string pattern = $"*{column}*";
        FluentActions.Invoking(() => estimator.GetOutputSchema(ShapeOf(invalidData.Schema)))
            .Should().Throw<ArgumentException>("GetOutputSchema must reject the invalid input").WithMessage(pattern);
        FluentActions.Invoking(() => estimator.Fit(invalidData))
            .Should().Throw<Exception>("Fit must reject the invalid input").WithMessage(pattern);
        FluentActions.Invoking(() => DataViewCells.ReadAll(transformer.Transform(invalidData)))
            .Should().Throw<Exception>("Transform must reject the invalid input").WithMessage(pattern);
    }
}

/// <summary>What a workout fitted and produced.</summary>
/// <typeparam name="TTransformer">The estimator's transformer type.</typeparam>
/// <param name="Transformer">The fitted transformer.</param>
/// <param name="Output">The valid data, transformed.</param>
/// <param name="Cells">Every visible cell of <paramref name="Output"/>, as <see cref="DataViewCells"/> writes them.</param>
public sealed record WorkoutResult<TTransformer>(TTransformer Transformer, IDataView Output, IReadOnlyList<string[]> Cells)
    where TTransformer : class, ITransformer;

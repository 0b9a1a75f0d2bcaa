using FluentAssertions;
using MLNetExt.Data;

namespace MLNetExt.TestKit;

/// <summary>
/// The ML.NET-style workout every estimator goes through (ARCHITECTURE.md, tests §5): fit, transform, check that the
/// fitted output schema is what <see cref="IEstimator{TTransformer}.GetOutputSchema"/> promised, save to a model zip,
/// load it back, check the loaded model gives the same output cell by cell, and check that invalid input is rejected
/// with an error naming the offending column.
/// </summary>
public static class EstimatorWorkout
{
    /// <summary>Runs the workout and returns what was fitted and produced, for further assertions.</summary>
    /// <typeparam name="TTransformer">The estimator's transformer type.</typeparam>
    /// <param name="ml">The context whose <see cref="MLContext.Model"/> saves and loads.</param>
    /// <param name="estimator">The estimator under test.</param>
    /// <param name="validData">Data it must fit on and transform.</param>
    /// <param name="invalidData">Data with a missing or mistyped column; null skips that check.</param>
    /// <param name="invalidColumnName">The column every error about <paramref name="invalidData"/> must name.</param>
    public static WorkoutResult<TTransformer> Run<TTransformer>(MLContext ml, IEstimator<TTransformer> estimator, IDataView validData,
        IDataView? invalidData = null, string? invalidColumnName = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(validData);
        if (invalidData is not null && string.IsNullOrEmpty(invalidColumnName))
            throw new ArgumentException("Name the column the invalid data gets wrong.", nameof(invalidColumnName));

        var promised = estimator.GetOutputSchema(SchemaShape.Create(validData.Schema));
        var transformer = estimator.Fit(validData);
        var output = transformer.Transform(validData);
        CheckShape(SchemaShape.Create(output.Schema), promised);
        CheckSameSchema(transformer.GetOutputSchema(validData.Schema), output.Schema, "the transformer's GetOutputSchema");
        var cells = DataViewCells.ReadAll(output);

        using var stream = new MemoryStream();
        ml.Model.Save(transformer, validData.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out var loadedSchema);
        CheckSameSchema(loadedSchema, validData.Schema, "the saved input schema");
        var reloadedOutput = loaded.Transform(validData);
        CheckSameSchema(reloadedOutput.Schema, output.Schema, "the loaded model's output");
        var reloadedCells = DataViewCells.ReadAll(reloadedOutput);
        reloadedCells.Should().HaveCount(cells.Count, "the loaded model must produce as many rows");
        for (int row = 0; row < cells.Count; row++)
            reloadedCells[row].Should().Equal(cells[row], $"row {row} of the loaded model's output must match the fitted model's");

        if (invalidData is not null)
            CheckRejects(estimator, transformer, invalidData, invalidColumnName!);
        return new WorkoutResult<TTransformer>(transformer, output, cells);
    }

    private static void CheckShape(SchemaShape actual, SchemaShape promised)
    {
        actual.Select(c => c.Name).Should().Equal(promised.Select(c => c.Name), "the fitted output must have the columns GetOutputSchema promised");
        foreach (var expected in promised)
        {
            actual.TryFindColumn(expected.Name, out var column).Should().BeTrue();
            column.GetTypeString().Should().Be(expected.GetTypeString(), $"column '{expected.Name}' must have the promised type");
            foreach (var annotation in expected.Annotations)
            {
                column.Annotations.TryFindColumn(annotation.Name, out var present).Should().BeTrue(
                    $"column '{expected.Name}' must carry the promised annotation '{annotation.Name}'");
                present.GetTypeString().Should().Be(annotation.GetTypeString(), $"annotation '{annotation.Name}' of column '{expected.Name}'");
            }
        }
    }

    private static void CheckSameSchema(DataViewSchema actual, DataViewSchema expected, string what)
    {
        actual.Select(c => $"{c.Name}: {c.Type}").Should().Equal(expected.Select(c => $"{c.Name}: {c.Type}"), $"{what} must match");
    }

    private static void CheckRejects<TTransformer>(IEstimator<TTransformer> estimator, TTransformer transformer, IDataView invalidData, string column)
        where TTransformer : class, ITransformer
    {
        string pattern = $"*{column}*";
        FluentActions.Invoking(() => estimator.GetOutputSchema(SchemaShape.Create(invalidData.Schema)))
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

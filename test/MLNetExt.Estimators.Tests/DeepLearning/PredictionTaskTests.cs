using MLNetExt.Transforms.DeepLearning;

namespace MLNetExt.Estimators.Tests.DeepLearning;

/// <summary>
/// The task objects every deep trainer shares: which label types each accepts, on a data view's schema and on an
/// input shape alike, with ML.NET's errors naming the column; and the output columns each promises, in the order of
/// ML.NET's scorer for the task.
/// </summary>
public class PredictionTaskTests
{
    private static readonly KeyDataViewType ThreeClasses = new(typeof(uint), 3);

    private static PredictionTask TaskNamed(string name) => name switch
    {
        "binary" => PredictionTask.BinaryClassification,
        "multiclass" => PredictionTask.MulticlassClassification,
        "regression" => PredictionTask.Regression(),
        "forecast3" => PredictionTask.Regression(3),
        "tagging" => PredictionTask.Tagging,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static DataViewType TypeNamed(string name) => name switch
    {
        "Boolean" => BooleanDataViewType.Instance,
        "Single" => NumberDataViewType.Single,
        "Double" => NumberDataViewType.Double,
        "Text" => TextDataViewType.Instance,
        "Key" => ThreeClasses,
        "Vector<Single, 1>" => new VectorDataViewType(NumberDataViewType.Single, 1),
        "Vector<Single, 3>" => new VectorDataViewType(NumberDataViewType.Single, 3),
        "Vector<Single>" => new VectorDataViewType(NumberDataViewType.Single),
        "Vector<Key>" => new VectorDataViewType(ThreeClasses),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static DataViewSchema SchemaWithLabel(DataViewType type)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, 2));
        builder.AddColumn("Tag", type);
        return builder.ToSchema();
    }

    [Theory]
    [InlineData("binary", "Boolean")]
    [InlineData("binary", "Single")]
    [InlineData("multiclass", "Key")]
    [InlineData("regression", "Single")]
    [InlineData("regression", "Vector<Single, 1>")]
    [InlineData("forecast3", "Vector<Single, 3>")]
    [InlineData("tagging", "Vector<Key>")]
    public void AcceptsItsLabelTypesOnSchemaAndShape(string task, string type)
    {
        var schema = SchemaWithLabel(TypeNamed(type));

        TaskNamed(task).FindLabel(schema, "Tag", "input").Name.Should().Be("Tag");
        TaskNamed(task).FindLabel(EstimatorWorkout.ShapeOf(schema), "Tag").Name.Should().Be("Tag");
    }

    [Theory]
    [InlineData("binary", "Double")]
    [InlineData("binary", "Key")]
    [InlineData("multiclass", "Single")]
    [InlineData("multiclass", "Vector<Key>")]
    [InlineData("regression", "Boolean")]
    [InlineData("regression", "Vector<Single>")]
    [InlineData("forecast3", "Single")]
    [InlineData("tagging", "Key")]
    [InlineData("tagging", "Text")]
    public void RejectsOtherLabelTypesNamingTheColumn(string task, string type)
    {
        var predictionTask = TaskNamed(task);
        var schema = SchemaWithLabel(TypeNamed(type));
        string message = $"Schema mismatch for input column 'Tag': expected {predictionTask.ExpectedLabel}, got *";

        FluentActions.Invoking(() => predictionTask.FindLabel(schema, "Tag", "input"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage(message).And.ParamName.Should().Be("input");
        FluentActions.Invoking(() => predictionTask.FindLabel(EstimatorWorkout.ShapeOf(schema), "Tag"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass")]
    [InlineData("forecast3")]
    [InlineData("tagging")]
    public void AMissingLabelIsNamed(string task)
    {
        var schema = SchemaWithLabel(BooleanDataViewType.Instance);

        FluentActions.Invoking(() => TaskNamed(task).FindLabel(schema, "Target", "input"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Target'*");
        FluentActions.Invoking(() => TaskNamed(task).FindLabel(EstimatorWorkout.ShapeOf(schema), "Target"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Target'*");
    }

    [Theory]
    [InlineData("multiclass", "Key")]
    [InlineData("tagging", "Vector<Key>")]
    public void AKeyLabelNeedsTwoClasses(string task, string type)
    {
        var oneClass = new KeyDataViewType(typeof(uint), 1);
        var schema = SchemaWithLabel(type == "Key" ? oneClass : new VectorDataViewType(oneClass));
        var predictionTask = TaskNamed(task);

        predictionTask.OutputCount(SchemaWithLabel(TypeNamed(type))["Tag"]).Should().Be(3);
        FluentActions.Invoking(() => predictionTask.OutputCount(predictionTask.FindLabel(schema, "Tag", "input")))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Label column 'Tag' has type *; a * trainer needs a key type with 2 or more classes.*");
    }

    [Theory]
    [InlineData("binary", "Boolean", "PredictedLabel,Score,Probability")]
    [InlineData("multiclass", "Key", "PredictedLabel,Score")]
    [InlineData("regression", "Single", "Score")]
    [InlineData("forecast3", "Vector<Single, 3>", "Score")]
    [InlineData("tagging", "Vector<Key>", "Score,PredictedLabel")]
    public void PromisesMLNetScorerColumnsInOrder(string task, string type, string columns)
    {
        var predictionTask = TaskNamed(task);
        var label = predictionTask.FindLabel(EstimatorWorkout.ShapeOf(SchemaWithLabel(TypeNamed(type))), "Tag");

        predictionTask.OutputColumns(label).Select(c => c.Name).Should().Equal(columns.Split(','));
    }

    [Fact]
    public void RegressionScoreIsScalarForOneValueAndAVectorForAHorizon()
    {
        PredictionTask.Regression(1).Should().BeSameAs(PredictionTask.Regression());
        PredictionTask.Regression(1).ScorerKind.Should().Be(PredictionScorerKind.Regression);
        PredictionTask.Regression(3).ScorerKind.Should().Be(PredictionScorerKind.Vector);
        var label = PredictionTask.Regression(3).FindLabel(EstimatorWorkout.ShapeOf(SchemaWithLabel(TypeNamed("Vector<Single, 3>"))), "Tag");
        PredictionTask.Regression(3).OutputColumns(label).Single().Kind.Should().Be(SchemaShape.Column.VectorKind.Vector);
        FluentActions.Invoking(() => PredictionTask.Regression(0)).Should().Throw<ArgumentOutOfRangeException>();

        // An input shape carries no vector size, so only the data's schema tells a horizon of 3 from a vector of 1.
        var oneValue = SchemaWithLabel(TypeNamed("Vector<Single, 1>"));
        PredictionTask.Regression(3).FindLabel(EstimatorWorkout.ShapeOf(oneValue), "Tag").Name.Should().Be("Tag");
        FluentActions.Invoking(() => PredictionTask.Regression(3).FindLabel(oneValue, "Tag", "input"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Tag'*Vector<Single, 3>*");
    }

    [Theory]
    [InlineData("binary", 1, true)]
    [InlineData("binary", 2, false)]
    [InlineData("multiclass", 2, true)]
    [InlineData("multiclass", 1, false)]
    [InlineData("regression", 1, true)]
    [InlineData("forecast3", 3, true)]
    [InlineData("forecast3", 1, false)]
    [InlineData("tagging", 5, true)]
    [InlineData("tagging", 1, false)]
    public void ChecksASavedModelsOutputCount(string task, int outputCount, bool suits) =>
        TaskNamed(task).SuitsOutputCount(outputCount).Should().Be(suits);
}

using System.Text.Json.Nodes;
using MLNetExt.Transforms.Detection;
using MLNetExt.Transforms.Persistence;
using static MLNetExt.Estimators.Tests.Detection.YoloHeads;

namespace MLNetExt.Estimators.Tests.Detection;

/// <summary>The decoder's saved state: reopened as it was, and refused, naming the problem, when it is damaged.</summary>
public class YoloDecoderStateTests
{
    private static readonly int[] Dims = [1, 7, 6];

    private static (YoloDecoderTransformer Decoder, IDataView Data, NativeModelState State) Fitted()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(Dims, "output0"))
            .Fit(Rows(ml, Dims, new HeadRow { Raw = YoloV8() })).Transform(Rows(ml, Dims, new HeadRow { Raw = YoloV8() }));
        var decoder = ml.Transforms.DecodeYolo("output0", ["cat", "dog", "bird"], maxDetections: 3).Fit(data);
        var writer = new NativeModelWriter();
        decoder.WriteNativeState(writer);
        return (decoder, data, writer.ToState());
    }

    private static YoloDecoderTransformer Reload(NativeModelState state, Action<JsonObject> damage)
    {
        var document = JsonNode.Parse(state.DocumentJson)!.AsObject();
        damage(document);
        return YoloDecoderTransformer.Load(new NativeModelReader(state with { DocumentJson = document.ToJsonString() }, "model.zip, entry 'decoder'"));
    }

    [Fact]
    public void The_state_reopens_the_same_decoder()
    {
        var (decoder, data, state) = Fitted();
        var reopened = Reload(state, _ => { });
        reopened.Layout.Should().Be(YoloLayout.YoloV8);
        reopened.ClassNames.Should().Equal("cat", "dog", "bird");
        reopened.Outputs.Single().Dimensions.Should().Equal(Dims);
        DataViewCells.ReadAll(reopened.Transform(data)).Should().BeEquivalentTo(DataViewCells.ReadAll(decoder.Transform(data)), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Damaged_options_are_refused_naming_the_problem()
    {
        var (_, _, state) = Fitted();
        FluentActions.Invoking(() => Reload(state, d => d["options"]!["ClassNames"] = new JsonArray("cat", "cat", "bird")))
            .Should().Throw<InvalidDataException>().WithMessage("model.zip, entry 'decoder': *options are not valid*'cat' more than once*");
        FluentActions.Invoking(() => Reload(state, d => d["options"]!["IouThreshold"] = 2))
            .Should().Throw<InvalidDataException>().WithMessage("*options are not valid*IouThreshold*");
    }

    [Fact]
    public void Damaged_output_shapes_are_refused_naming_the_problem()
    {
        var (_, _, state) = Fitted();
        FluentActions.Invoking(() => Reload(state, d => d["values"]!["headDimensions"] = new JsonArray(1, 9, 6)))
            .Should().Throw<InvalidDataException>().WithMessage("*options are not valid*'output0'*[1, 9, 6]*");
        FluentActions.Invoking(() => Reload(state, d => d["values"]!["headDimensions"] = new JsonArray(1, -7, 6)))
            .Should().Throw<InvalidDataException>().WithMessage("*output dimensions [1, -7, 6]*");
        FluentActions.Invoking(() => Reload(state, d => d["values"]!["headRanks"] = new JsonArray(0)))
            .Should().Throw<InvalidDataException>().WithMessage("*output ranks [0]*");
        FluentActions.Invoking(() => Reload(state, d => d["values"]!["headRanks"] = new JsonArray(3, 3)))
            .Should().Throw<InvalidDataException>().WithMessage("*'headRanks' has 2 items, expected 1*");
    }
}

using MLNetExt.Trainers.Sequence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms.Sequence;

/// <summary>
/// Reads one row's features as steps: key ids (one float each) or F floats per step. For key input the missing key 0
/// is skipped (so padding on either side vanishes), except when tagging, where every token keeps its place (a
/// missing key reads the zero padding embedding) so that tokens and tags stay aligned.
/// </summary>
internal sealed class SequenceFeatureReader
{
    private readonly DataViewSchema.Column _column;
    private readonly SequenceArchitecture _architecture;
    private readonly ValueGetter<VBuffer<uint>>? _keys;
    private readonly ValueGetter<VBuffer<float>>? _floats;
    private VBuffer<uint> _keyBuffer;
    private VBuffer<float> _floatBuffer;

    public SequenceFeatureReader(DataViewRow row, DataViewSchema.Column column, SequenceArchitecture architecture)
    {
        _column = column;
        _architecture = architecture;
        if (architecture.InputKind == SequenceInputKind.Keys)
            _keys = row.GetGetter<VBuffer<uint>>(column);
        else
            _floats = row.GetGetter<VBuffer<float>>(column);
    }

    /// <summary>
    /// The input kind a features column type gives, and its key count (0 for floats); null when the type cannot be read.
    /// </summary>
    public static (SequenceInputKind Kind, int KeyCount)? KindOf(DataViewType type) => type switch
    {
        VectorDataViewType { ItemType: KeyDataViewType key } when key.Count >= 1 && key.Count < int.MaxValue => (SequenceInputKind.Keys, (int)key.Count),
        VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single => (SequenceInputKind.Floats, 0),
        _ => null,
    };

    /// <summary>The expected type, for error messages.</summary>
    public const string ExpectedType = "Vector<Key> (tokens) or Vector<Single> (steps of StepSize values)";

    /// <summary>Appends the current row's steps to <paramref name="destination"/> and returns how many there are.</summary>
    /// <param name="row">The row the getter reads (for error messages).</param>
    /// <param name="destination">Receives W floats per step.</param>
    /// <exception cref="InvalidOperationException">A key is above the key count, or a float vector is not a whole number of steps; the message names the column and row.</exception>
    public int Read(DataViewRow row, List<float> destination)
    {
        if (_keys is not null)
        {
            _keys(ref _keyBuffer);
            int count = 0, keyCount = _architecture.VocabularySize - 1;
            bool keepMissing = _architecture.Task == SequenceTask.Tagging;
            foreach (uint key in _keyBuffer.GetValues())
            {
                if (key > keyCount)
                    throw ColumnChecks.BadValue(_column.Name, row, $"key {key} is above the key count {keyCount}");
                if (key == 0 && !keepMissing)
                    continue;
                destination.Add(key);
                count++;
            }
            return count;
        }
        _floats!(ref _floatBuffer);
        var values = _floatBuffer.GetValues();
        int stepSize = _architecture.StepSize;
        if (values.Length % stepSize != 0)
            throw ColumnChecks.BadValue(_column.Name, row, $"the vector has {values.Length} values, which is not a whole number of steps of StepSize = {stepSize}");
        foreach (float value in values)
            destination.Add(value);
        return values.Length / stepSize;
    }
}

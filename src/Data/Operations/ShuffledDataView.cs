using MLNetExt.Core;

namespace MLNetExt.Data;

/// <summary>
/// Rows of the input in a pseudo-random order (what <c>ShuffleRows</c> returns), by pool shuffling as ML.NET does:
/// the cursor keeps a pool of up to <c>poolSize</c> rows and emits a random one each step, refilling from the
/// input. It reads ahead by the pool size only, so it stays lazy. Every cursor gives the same order.
/// </summary>
internal sealed class ShuffledDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ulong _seed;
    private readonly int _poolSize;
    private readonly bool _shuffleSource;

    public ShuffledDataView(IDataView input, ulong seed, int poolSize, bool shuffleSource)
    {
        _input = input;
        _seed = seed;
        _poolSize = poolSize;
        _shuffleSource = shuffleSource;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = CursorFactory.WithExtra(columnsNeeded, null);
        var sourceRandom = _shuffleSource && _input.CanShuffle ? new Random(unchecked((int)_seed)) : null;
        return new Cursor(_input.GetRowCursor(needed, sourceRandom), Schema, needed, new RandomSource(_seed), _poolSize);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        CursorFactory.AsSet(GetRowCursor(columnsNeeded, rand), n);

    private sealed class Cursor : RowCursorBase
    {
        private readonly DataViewRowCursor _input;
        private readonly RandomSource _random;
        private readonly RowSlots?[] _columns;
        private readonly ValueGetter<DataViewRowId> _inputId;
        private readonly DataViewRowId[] _ids;
        private readonly int[] _waiting;
        private int _waitingCount;
        private int _current = -1;
        private bool _filled;

        public Cursor(DataViewRowCursor input, DataViewSchema schema, DataViewSchema.Column[] needed, RandomSource random, int poolSize)
            : base(schema, needed)
        {
            _input = input;
            _random = random;
            _columns = new RowSlots?[schema.Count];
            foreach (var column in needed)
                _columns[column.Index] = RowSlots.Create(input, column, poolSize);
            _inputId = input.GetIdGetter();
            _ids = new DataViewRowId[poolSize];
            _waiting = new int[poolSize];
        }

        protected override bool MoveNextCore()
        {
            if (!_filled)
            {
                _filled = true;
                for (int slot = 0; slot < _waiting.Length && _input.MoveNext(); slot++)
                    Capture(slot);
            }
            else if (_input.MoveNext())
            {
                Capture(_current);
            }
            if (_waitingCount == 0)
                return false;
            int pick = _random.NextInt(_waitingCount);
            _current = _waiting[pick];
            _waiting[pick] = _waiting[--_waitingCount];
            return true;
        }

        private void Capture(int slot)
        {
            foreach (var column in _columns)
                column?.Capture(slot);
            _inputId(ref _ids[slot]);
            _waiting[_waitingCount++] = slot;
        }

        protected override ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column) =>
            _columns[column.Index]!.MakeGetter<TValue>(() => _current);

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) =>
        {
            if (!IsOnRow)
                throw new InvalidOperationException("The row id was read while the cursor is not on a row.");
            id = _ids[_current];
        };

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}

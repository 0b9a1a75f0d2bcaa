namespace MLNetExt.Data;

public sealed partial class DataOperationsCatalog
{
    /// <summary>The two parts of a <see cref="TrainTestSplit"/>, as ML.NET's <c>DataOperationsCatalog.TrainTestData</c>.</summary>
    public sealed class TrainTestData
    {
        internal TrainTestData(IDataView trainSet, IDataView testSet)
        {
            TrainSet = trainSet;
            TestSet = testSet;
        }

        /// <summary>The rows to train on.</summary>
        public IDataView TrainSet { get; }

        /// <summary>The rows to evaluate on.</summary>
        public IDataView TestSet { get; }
    }
}

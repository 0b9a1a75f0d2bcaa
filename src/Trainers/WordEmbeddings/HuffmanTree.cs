namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The binary tree of hierarchical softmax, built as word2vec.c's <c>CreateBinaryTree</c> builds it from counts
/// sorted in descending order (two queues: the leaves right to left, then the inner nodes in creation order), so
/// frequent words get short codes. For word w, <see cref="Points"/> lists the inner nodes from the root down and
/// <see cref="Codes"/> the branch taken at each (1 for the second-smallest child of a merge); both from
/// <see cref="Offsets"/>[w] to <see cref="Offsets"/>[w+1]. Inner nodes are numbered 0..V-2, the root V-2.
/// </summary>
internal sealed class HuffmanTree
{
    private HuffmanTree(int[] offsets, byte[] codes, int[] points)
    {
        Offsets = offsets;
        Codes = codes;
        Points = points;
    }

    /// <summary>Start of each word's path; length V+1.</summary>
    public int[] Offsets { get; }

    /// <summary>The branch bits of all paths, concatenated.</summary>
    public byte[] Codes { get; }

    /// <summary>The inner-node indices of all paths, concatenated.</summary>
    public int[] Points { get; }

    /// <summary>Builds the tree over counts sorted in descending order.</summary>
    public static HuffmanTree Build(IReadOnlyList<long> descendingCounts)
    {
        int v = descendingCounts.Count;
        var count = new long[2 * v];
        var parent = new int[2 * v];
        var binary = new byte[2 * v];
        for (int i = 0; i < v; i++) count[i] = descendingCounts[i];
        for (int i = v; i < 2 * v; i++) count[i] = long.MaxValue;
        int leaf = v - 1, inner = v;
        for (int a = 0; a < v - 1; a++)
        {
            int min1 = leaf >= 0 && count[leaf] < count[inner] ? leaf-- : inner++;
            int min2 = leaf >= 0 && count[leaf] < count[inner] ? leaf-- : inner++;
            count[v + a] = count[min1] + count[min2];
            parent[min1] = v + a;
            parent[min2] = v + a;
            binary[min2] = 1;
        }

        var offsets = new int[v + 1];
        var codes = new List<byte>();
        var points = new List<int>();
        var pathCodes = new List<byte>();
        var pathNodes = new List<int>();
        int root = 2 * v - 2;
        for (int w = 0; w < v; w++)
        {
            pathCodes.Clear();
            pathNodes.Clear();
            for (int node = w; node != root && v > 1; node = parent[node])
            {
                pathCodes.Add(binary[node]);
                pathNodes.Add(parent[node] - v);
            }
            for (int d = pathCodes.Count - 1; d >= 0; d--)
            {
                codes.Add(pathCodes[d]);
                points.Add(pathNodes[d]);
            }
            offsets[w + 1] = codes.Count;
        }
        return new HuffmanTree(offsets, codes.ToArray(), points.ToArray());
    }
}

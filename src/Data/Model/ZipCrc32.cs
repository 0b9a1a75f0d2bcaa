namespace MLNetExt.Data;

/// <summary>
/// The CRC-32 that zip entries carry (reflected polynomial 0xEDB88320). The zip reader does not check it, so the model
/// reader does, to tell a corrupted entry from a valid one.
/// </summary>
internal static class ZipCrc32
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>Continues <paramref name="crc"/> (0 to start) over <paramref name="bytes"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        crc = ~crc;
        foreach (byte b in bytes)
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}

namespace MLNetExt.Data;

/// <summary>Cleans up the temporary files the model writer and reader pass safetensors entries through.</summary>
internal static class TemporaryFiles
{
    /// <summary>A fresh path in the system's temporary folder.</summary>
    public static string NewPath(string extension) => Path.Combine(Path.GetTempPath(), $"mlnetext-{Guid.NewGuid():N}{extension}");

    /// <summary>Deletes <paramref name="path"/> when it exists; a failure to delete is not worth hiding the real error for.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless; the caller's own outcome is what matters.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

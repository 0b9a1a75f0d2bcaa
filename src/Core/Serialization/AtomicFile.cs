namespace MLNetExt.Core.Serialization;

/// <summary>
/// Replaces a file atomically: the content goes to a temporary file in the same directory, which is flushed to
/// disk and then renamed over the target. Readers see either the old file or the complete new one; on failure the
/// temporary file is deleted and the old file is left as it was.
/// </summary>
/// <remarks>
/// A failure of the file system itself (no space left, a file size limit, a folder that cannot be written, a target
/// that is a directory) is thrown as an <see cref="IOException"/> (<see cref="DirectoryNotFoundException"/> for a
/// missing folder, <see cref="UnauthorizedAccessException"/> for one that cannot be written) that names the target, e.g. "Could not write
/// 'model.zip' (a previous file there is left as it was): No space left on device", whether it happens while the content is written, flushed or renamed; an
/// exception of <c>writeContent</c> itself passes through unchanged. A process killed during the write (SIGKILL, a
/// crash) leaves the old file as it was but cannot delete its temporary file, named <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="writeContent"/>, atomically.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or does not name a file.</exception>
    /// <exception cref="IOException">The file system failed; the message names <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the target cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' does not name a file.", nameof(path));
        string temporaryPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var failure = new FileSystemFailure(fullPath, temporaryPath);
        try
        {
            var file = failure.Run(() => new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16));
            try
            {
                writeContent(new FailureNamingStream(file, failure));
                failure.Run(() => file.Flush(flushToDisk: true));
                failure.Run(file.Dispose);
            }
            catch
            {
                // Closed so that it can be deleted; a second failure while closing would only hide the first.
                try
                {
                    file.Dispose();
                }
                catch (Exception e) when (FileSystemFailure.Is(e))
                {
                }
                throw;
            }
            failure.Run(() => File.Move(temporaryPath, fullPath, overwrite: true));
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting; a leftover temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>Turns a file system failure into an <see cref="IOException"/> naming the target.</summary>
    private sealed class FileSystemFailure(string target, string temporaryPath)
    {
        public void Run(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (Is(e))
            {
                throw Named(e);
            }
        }

        public T Run<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (Is(e))
            {
                throw Named(e);
            }
        }

        /// <summary>
        /// Whether <paramref name="e"/>, thrown by an operation on the temporary file, is the file system's: EFBIG (a
        /// file size limit) comes as an ArgumentOutOfRangeException about a "file length", the rest as I/O or access errors.
        /// </summary>
        public static bool Is(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException;

        /// <summary>The failure, of the same kind where callers may tell kinds apart (a missing folder, no access), naming the target.</summary>
        public Exception Named(Exception e)
        {
            // .NET names the temporary file (" : '/dir/.name.guid.tmp'"), which is gone by the time anyone reads this.
            string reason = e.Message.Split('\n', 2)[0].TrimEnd('\r')
                .Replace($" : '{temporaryPath}'", "", StringComparison.Ordinal)
                .Replace(temporaryPath, target, StringComparison.Ordinal);
            int parameter = reason.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (parameter >= 0)
                reason = reason[..parameter];
            string message = $"Could not write '{target}' (a previous file there is left as it was): {reason}";
            return e switch
            {
                DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
                UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
                _ => new IOException(message, e),
            };
        }
    }

    /// <summary>The temporary file's stream, whose file system failures name the target (<see cref="FileSystemFailure"/>).</summary>
    private sealed class FailureNamingStream(FileStream inner, FileSystemFailure failure) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => failure.Run(() => inner.Length);

        public override long Position
        {
            get => failure.Run(() => inner.Position);
            set => failure.Run(() => inner.Position = value);
        }

        public override void Flush() => failure.Run(inner.Flush);

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The temporary file of an atomic write is written, never read.");

        public override long Seek(long offset, SeekOrigin origin) => failure.Run(() => inner.Seek(offset, origin));

        public override void SetLength(long value) => failure.Run(() => inner.SetLength(value));

        public override void Write(byte[] buffer, int offset, int count) => failure.Run(() => inner.Write(buffer, offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (Exception e) when (FileSystemFailure.Is(e))
            {
                throw failure.Named(e);
            }
        }

        public override void WriteByte(byte value) => failure.Run(() => inner.WriteByte(value));

        // The temporary file is closed by AtomicFile.Write after its flush to disk; a writer's Dispose must not close it first.
        protected override void Dispose(bool disposing)
        {
        }
    }
}

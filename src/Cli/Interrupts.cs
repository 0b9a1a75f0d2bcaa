using System.Globalization;
using System.Runtime.InteropServices;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole process, and the one way the CLI writes a file: atomically, and never
/// cut off by a signal.
/// </summary>
/// <remarks>
/// <para>The first signal cancels <see cref="Cancellation"/>: training stops at the next batch and the command saves
/// the best model so far. A later signal while no file is being written ends the process at once (as SIGINT does),
/// after saying so: no temporary file exists then, and every output is either complete or as it was. A later signal
/// while <see cref="Write"/> runs is held back until the write has ended, renamed into place or rolled back with its
/// temporary file deleted; the process then says which and exits with <see cref="ExitCode"/>. A signal can therefore
/// never leave a half-written output or a temporary file beside it.</para>
/// <para>Test hook: when the environment variable <c>MLNETEXT_TEST_SAVE_DELAY_MS</c> holds a number of milliseconds,
/// every write pauses that long twice, each time saying so on standard error: before it starts ("mlnetext: test hook:
/// about to save PATH; ...") and after its content is in the temporary file, before the rename ("mlnetext: test hook:
/// PATH is written to its temporary file; ..."). Process tests use it to send a signal just before or during a save
/// deterministically. It changes nothing else and is not meant for users.</para>
/// </remarks>
internal sealed class Interrupts : IDisposable
{
    /// <summary>The exit code after a signal (128 + SIGINT), as a shell reports a process that SIGINT ended.</summary>
    public const int ExitCode = 130;

    /// <summary>The environment variable of the test hook (see the remarks).</summary>
    public const string SaveDelayVariable = "MLNETEXT_TEST_SAVE_DELAY_MS";

    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter _messages;
    private readonly int _saveDelayMilliseconds;
    private readonly object _lock = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly List<string> _saved = [];
    private int _signals;
    private string? _saving;
    private bool _exitAfterSave;
    private bool _exiting;

    private Interrupts(TextWriter messages, int saveDelayMilliseconds)
    {
        _messages = messages;
        _saveDelayMilliseconds = saveDelayMilliseconds;
    }

    /// <summary>Cancelled on the first Ctrl+C (SIGINT) or SIGTERM.</summary>
    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Handles SIGINT and SIGTERM from now on; messages go to <paramref name="messages"/> (standard error).</summary>
    public static Interrupts Register(TextWriter messages)
    {
        int delay = int.TryParse(Environment.GetEnvironmentVariable(SaveDelayVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : 0;
        var interrupts = new Interrupts(messages, delay);
        interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, interrupts.OnSignal));
        interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, interrupts.OnSignal));
        return interrupts;
    }

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> atomically (<see cref="AtomicFile"/>: a
    /// temporary file in the same folder, renamed over the target on success, deleted on failure), with signals held
    /// back until it has ended. <paramref name="write"/> may observe <see cref="Cancellation"/> to give up early: its
    /// exception rolls the write back.
    /// </summary>
    public void Write(string path, Action<Stream> write)
    {
        TestHookPause($"about to save {path}");
        lock (_lock)
        {
            if (_exiting)
            {
                // A second signal already ended the run before this write began; the process is going down. Start nothing.
                Environment.Exit(ExitCode);
            }
            _saving = path;
        }
        Exception? failure = null;
        try
        {
            AtomicFile.Write(path, stream =>
            {
                write(stream);
                TestHookPause($"{path} is written to its temporary file");
            });
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            bool exit;
            lock (_lock)
            {
                _saving = null;
                exit = _exitAfterSave;
                if (failure is null)
                    _saved.Add(path);
            }
            if (exit)
                ExitAfterSave(path, failure);
        }
    }

    /// <summary>The test hook's pause (see the remarks), when the environment variable asks for one.</summary>
    private void TestHookPause(string moment)
    {
        if (_saveDelayMilliseconds <= 0)
            return;
        _messages.WriteLine($"mlnetext: test hook: {moment}; pausing {_saveDelayMilliseconds} ms.");
        Thread.Sleep(_saveDelayMilliseconds);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_lock)
        {
            _signals++;
            string signal = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl+C";
            if (_signals == 1)
            {
                // Stop at the next batch and save what there is.
                context.Cancel = true;
                _messages.WriteLine(_saving is { } path
                    ? $"mlnetext: {signal} while {path} is being saved: the save finishes first."
                    : $"mlnetext: {signal}: stopping; press Ctrl+C again to exit at once without saving.");
                _cancellation.Cancel();
            }
            else if (_saving is { } path)
            {
                // Ending now would leave the temporary file, or, for a non-atomic writer, half a file: wait for the write to end.
                context.Cancel = true;
                if (!_exitAfterSave)
                    _messages.WriteLine($"mlnetext: {signal} again while {path} is being saved: waiting for the save to end, then exiting.");
                _exitAfterSave = true;
            }
            else
            {
                // No file is being written, and none will be (Write refuses to start): end the process as the signal does.
                context.Cancel = false;
                if (!_exiting)
                {
                    _messages.WriteLine(_saved.Count == 0
                        ? $"mlnetext: {signal} again: exiting at once without saving; no file was being written, so every output file is as it was."
                        : $"mlnetext: {signal} again: exiting at once; {string.Join(" and ", _saved)} was saved before, and no file was being written, so every other output file is as it was.");
                }
                _exiting = true;
            }
        }
    }

    /// <summary>Ends the process after a write that a later signal waited for, saying how the write ended.</summary>
    private void ExitAfterSave(string path, Exception? failure)
    {
        if (failure is null)
        {
            _messages.WriteLine($"mlnetext: {path} is saved; exiting.");
            Environment.Exit(ExitCode);
        }
        string reason = failure is OperationCanceledException ? "it was canceled" : failure.Message.Split('\n', 2)[0].TrimEnd('\r');
        _messages.WriteLine($"mlnetext: {path} was not saved ({reason}) and is as it was before, with no temporary file left; exiting.");
        Environment.Exit(failure is OperationCanceledException ? ExitCode : 1);
    }
}

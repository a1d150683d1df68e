using System.Diagnostics;
using System.Globalization;

namespace Velero.Cli.Output;

/// <summary>
/// Progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (one when the phase or resource changes,
/// at most one a second in between). Reports come from worker threads.
/// </summary>
internal sealed class ProgressPrinter
{
    private const int BarWidth = 30;
    private readonly TextWriter _err;
    private readonly string _what;
    private readonly bool _terminal;
    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private string? _lastKey;
    private int _lastLength;

    public ProgressPrinter(TextWriter err, string what, bool terminal)
    {
        _err = err;
        _what = what;
        _terminal = terminal;
    }

    /// <summary>Whether stderr is a terminal (and not redirected).</summary>
    public static bool StderrIsTerminal => !Console.IsErrorRedirected;

    public void Report(string phase, int done, int total, string? resource)
    {
        lock (_lock)
        {
            var counts = string.Create(CultureInfo.InvariantCulture, $"{done}/{total} items");
            var text = $"{_what} {phase}: {counts}{(resource is null ? string.Empty : " (" + resource + ")")}";
            if (_terminal)
            {
                var filled = total <= 0 ? 0 : Math.Clamp(done * BarWidth / total, 0, BarWidth);
                var line = $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {text}";
                _err.Write(line.PadRight(Math.Max(_lastLength, line.Length)));
                _lastLength = line.Length;
                _err.Flush();
                return;
            }

            var key = phase + "|" + resource;
            if (key != _lastKey || _sinceLine.Elapsed >= TimeSpan.FromSeconds(1))
            {
                _err.WriteLine(text);
                _lastKey = key;
                _sinceLine.Restart();
            }
        }
    }

    /// <summary>Ends the bar's line on a terminal.</summary>
    public void Done()
    {
        lock (_lock)
        {
            if (_terminal && _lastLength > 0)
            {
                _err.WriteLine();
                _lastLength = 0;
            }
        }
    }
}

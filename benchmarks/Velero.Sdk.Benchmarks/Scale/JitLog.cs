using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// With <c>VELERO_SCALE_JIT=&lt;file&gt;</c>, an engine child times each method the JIT compiles (from the runtime's
/// jitting-started and method-load events) and writes them all to the file when it ends, in the order they started, with
/// when (seconds from the child's start), how long, IL and native sizes, the code's tier: the runtime's warm-up, method by method.
/// </summary>
internal sealed class JitLog : EventListener
{
    private readonly ConcurrentDictionary<ulong, (DateTime Start, string Name, int IlSize)> _started = new();
    private readonly ConcurrentBag<(DateTime Start, double Ms, string Name, int IlSize, long NativeSize, string Tier)> _done = [];
    private readonly DateTime _origin = DateTime.UtcNow;

    private readonly string _path;

    private JitLog(string path) => _path = path;

    public static JitLog? StartIfAsked() =>
        Environment.GetEnvironmentVariable("VELERO_SCALE_JIT") is { Length: > 0 } path ? new JitLog(path) : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10); // JIT
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        object P(string name) => e.Payload[e.PayloadNames.IndexOf(name)]!;
        if (e.EventName is "MethodJittingStarted_V1" or "MethodJittingStarted")
        {
            ulong id = Convert.ToUInt64(P("MethodID"), CultureInfo.InvariantCulture);
            _started[id] = (e.TimeStamp, $"{P("MethodNamespace")}::{P("MethodName")}", Convert.ToInt32(P("MethodILSize"), CultureInfo.InvariantCulture));
        }
        else if (e.EventName is "MethodLoadVerbose_V1" or "MethodLoadVerbose_V2" or "MethodLoadVerbose")
        {
            ulong id = Convert.ToUInt64(P("MethodID"), CultureInfo.InvariantCulture);
            if (_started.TryRemove(id, out var s))
            {
                var flags = Convert.ToUInt32(P("MethodFlags"), CultureInfo.InvariantCulture);
                _done.Add((s.Start, (e.TimeStamp - s.Start).TotalMilliseconds, s.Name, s.IlSize, Convert.ToInt64(P("MethodSize"), CultureInfo.InvariantCulture), Tier(flags)));
            }
        }
    }

    // The runtime's method flags carry the code's optimization tier in bits 7-9.
    private static string Tier(uint flags) => ((flags >> 7) & 0x7) switch
    {
        1 => "minopts",
        2 => "optimized",
        3 => "tier0",
        4 => "tier1",
        5 => "tier1-osr",
        6 => "tier0-instrumented",
        7 => "tier1-instrumented",
        _ => "unknown",
    };

    public override void Dispose()
    {
        File.WriteAllLines(_path, _done.OrderBy(d => d.Start).Select(d =>
            FormattableString.Invariant($"{(d.Start - _origin).TotalSeconds:F3}\t{d.Ms:F1}\t{d.IlSize}\t{d.NativeSize}\t{d.Tier}\t{d.Name}")));

        base.Dispose();
    }
}

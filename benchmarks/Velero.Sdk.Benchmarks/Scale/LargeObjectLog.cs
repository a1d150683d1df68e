using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// With <c>VELERO_SCALE_LOH=1</c>, an engine child counts its large-object-heap allocations (the runtime's allocation-tick
/// events of kind large) by type and size and prints them on standard error when it ends: the arrays that make the GC's
/// large-object heap grow between full collections. With <c>VELERO_SCALE_LOH=all</c> it also samples the small-object
/// allocations: the runtime raises a tick each time about 100 KB more is allocated, naming the type of the object that
/// crossed the mark, so the ticks by type estimate where the allocated bytes go. Counting stops at <see cref="Stop"/>
/// (when the engine returns, before the child's own checks).
/// </summary>
internal sealed class LargeObjectLog : EventListener
{
    private readonly ConcurrentDictionary<(string Type, long Size), int> _counts = new();
    private readonly ConcurrentDictionary<string, int> _small = new(StringComparer.Ordinal);
    private readonly bool _sampleSmall;
    private volatile bool _stopped;

    private LargeObjectLog(bool sampleSmall) => _sampleSmall = sampleSmall;

    public static LargeObjectLog? StartIfAsked() => Environment.GetEnvironmentVariable("VELERO_SCALE_LOH") switch
    {
        "1" => new LargeObjectLog(sampleSmall: false),
        "all" => new LargeObjectLog(sampleSmall: true),
        _ => null,
    };

    /// <summary>Counts nothing more.</summary>
    public void Stop() => _stopped = true;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (_stopped || e.EventName != "GCAllocationTick_V4" || e.Payload is null)
        {
            return;
        }

        int kind = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("AllocationKind")], CultureInfo.InvariantCulture);
        string type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        if (kind != 1)
        {
            if (_sampleSmall && kind == 0)
            {
                _small.AddOrUpdate(type, 1, (_, n) => n + 1);
            }

            return;
        }

        long size = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("ObjectSize")], CultureInfo.InvariantCulture);
        _counts.AddOrUpdate((type, size), 1, (_, n) => n + 1);
    }

    public override void Dispose()
    {
        foreach (var (type, ticks) in _small.OrderByDescending(kv => kv.Value).Take(30))
        {
            Console.Error.WriteLine(FormattableString.Invariant($"soh {ticks,6} ticks = ~{ticks * 0.1,7:F1} MB  {type}"));
        }

        foreach (var ((type, size), count) in _counts.OrderByDescending(kv => kv.Key.Size * kv.Value))
        {
            Console.Error.WriteLine(FormattableString.Invariant($"loh {count,6} x {size,10:N0} B = {count * size / 1e6,8:F1} MB  {type}"));
        }

        base.Dispose();
    }
}

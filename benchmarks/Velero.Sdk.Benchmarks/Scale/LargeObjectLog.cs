using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// With <c>VELERO_SCALE_LOH=1</c>, an engine child counts its large-object-heap allocations (the runtime's allocation-tick
/// events of kind large) by type and size and prints them on standard error when it ends: the arrays that make the GC's
/// large-object heap grow between full collections.
/// </summary>
internal sealed class LargeObjectLog : EventListener
{
    private readonly ConcurrentDictionary<(string Type, long Size), int> _counts = new();

    public static LargeObjectLog? StartIfAsked() =>
        Environment.GetEnvironmentVariable("VELERO_SCALE_LOH") == "1" ? new LargeObjectLog() : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload is null)
        {
            return;
        }

        int kind = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("AllocationKind")], CultureInfo.InvariantCulture);
        if (kind != 1)
        {
            return;
        }

        string type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        long size = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("ObjectSize")], CultureInfo.InvariantCulture);
        _counts.AddOrUpdate((type, size), 1, (_, n) => n + 1);
    }

    public override void Dispose()
    {
        foreach (var ((type, size), count) in _counts.OrderByDescending(kv => kv.Key.Size * kv.Value))
        {
            Console.Error.WriteLine(FormattableString.Invariant($"loh {count,6} x {size,10:N0} B = {count * size / 1e6,8:F1} MB  {type}"));
        }

        base.Dispose();
    }
}

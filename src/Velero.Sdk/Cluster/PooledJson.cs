using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Cluster;

/// <summary>
/// A JSON document serialized into a buffer from the shared array pool, for a request body: <see cref="Dispose"/> returns the
/// buffer once the request is sent, so serializing an object for each create allocates nothing that the GC must collect.
/// </summary>
internal sealed class PooledJson : IBufferWriter<byte>, IDisposable
{
    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    private byte[] _buffer;
    private int _written;

    private PooledJson(int sizeHint) => _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);

    /// <summary>The serialized bytes (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _written);

    /// <summary>Serializes <paramref name="node"/> compactly with <paramref name="options"/>.</summary>
    public static PooledJson Serialize(JsonNode node, JsonWriterOptions options, int sizeHint = 8192)
    {
        var pooled = new PooledJson(sizeHint);
        var writer = _threadWriter;
        if (writer is null || !writer.Options.Equals(options))
        {
            writer = _threadWriter = new Utf8JsonWriter(pooled, options);
        }
        else
        {
            writer.Reset(pooled);
        }

        try
        {
            node.WriteTo(writer);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null); // the writer keeps no reference to the pooled buffer
        }

        return pooled;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written >= Math.Max(1, sizeHint))
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

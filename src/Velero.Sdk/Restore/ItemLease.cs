using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Restore;

/// <summary>
/// One item of a restore, parsed over pooled memory: its bytes in an array from the shared pool, a
/// <see cref="JsonDocument"/> over them (whose token table is pooled too) and the item's <see cref="JsonObject"/>, built
/// over the document as it is read. <see cref="Dispose"/> returns both to their pools when the item is done, so a restore
/// does not allocate each item's bytes twice; unless <see cref="Escaped"/> was set (code outside the engine saw the item and
/// may still hold it), in which case the garbage collector takes them as before.
/// </summary>
internal sealed class ItemLease : IDisposable
{
    private readonly byte[] _array;
    private readonly JsonDocument _document;
    private bool _disposed;

    private ItemLease(byte[] array, int length, JsonDocument document, JsonObject item)
    {
        _array = array;
        Json = array.AsMemory(0, length);
        _document = document;
        Item = item;
    }

    /// <summary>The item's bytes, as in the archive (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The item, parsed (valid until disposed).</summary>
    public JsonObject Item { get; }

    /// <summary>Set when code outside the engine saw the item: disposing then leaves the memory to the garbage collector.</summary>
    public bool Escaped { get; set; }

    /// <summary>Reads and parses <paramref name="entry"/>.</summary>
    /// <exception cref="JsonException">The bytes are not a JSON object.</exception>
    public static ItemLease Read(BackupArchiveReader reader, BackupArchiveItem entry)
    {
        int length = checked((int)entry.Length);
        var array = ArrayPool<byte>.Shared.Rent(length);
        JsonDocument? document = null;
        try
        {
            reader.ReadItem(entry, array);
            document = JsonDocument.Parse(array.AsMemory(0, length));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("the item is not a JSON object");
            }

            return new ItemLease(array, length, document, JsonObject.Create(document.RootElement)!);
        }
        catch
        {
            document?.Dispose();
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed || Escaped)
        {
            return;
        }

        _disposed = true;
        _document.Dispose();
        ArrayPool<byte>.Shared.Return(_array);
    }
}

using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Storage;

/// <summary>
/// The JSON of Velero's gzipped side files, as Go's <c>json.NewEncoder(gzip.NewWriter(..)).Encode(v)</c> writes it:
/// compact JSON followed by one <c>\n</c>, in a single gzip member. Null properties are written unless a model says
/// otherwise (Go writes <c>null</c> for nil pointers, maps and slices without <c>omitempty</c>); non-ASCII text is not escaped.
/// </summary>
internal static class SideFileJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    /// <summary>Serializes <paramref name="value"/> (<see langword="null"/> gives the JSON <c>null</c>) and gzips it.</summary>
    public static byte[] ToGzip<T>(T value, CompressionLevel level = CompressionLevel.Optimal) =>
        Gzipped(new ChunkedBufferStream(), level, gzip => JsonSerializer.Serialize(gzip, value, Options)).ToArray();

    /// <summary>How many bytes a JSON writer over a compressor holds before it hands them on.</summary>
    internal const int FlushThreshold = 16 * 1024;

    /// <summary>
    /// A resource list (<c>apiVersion/Kind</c> → entries), gzipped, byte for byte as <see cref="ToGzip{T}"/> writes it; lists
    /// kept as UTF-8 (<see cref="Collections.IUtf8StringList"/>) are written from their bytes, with no string per entry. The
    /// result is a stream at its start: given <paramref name="tempDirectory"/>, a private file there (unlinked at once, gone
    /// when the stream is disposed), so that the list of a backup of a million objects (a few MB gzipped) is not held in
    /// memory; otherwise 64 KiB chunks in memory, which a growing array would copy at each doubling.
    /// </summary>
    public static Stream ResourceListToGzipStream(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> list, CompressionLevel level = CompressionLevel.Optimal, string? tempDirectory = null) =>
        Gzipped<Stream>(
            tempDirectory is null ? new ChunkedBufferStream() : UnlinkedFile.Create(Path.Combine(tempDirectory, "side-file-" + Guid.NewGuid().ToString("N") + ".gz"), bufferSize: 1 << 16),
            level,
            gzip =>
        {
            using var writer = new Utf8JsonWriter(gzip, new JsonWriterOptions { Encoder = Options.Encoder, Indented = false });
            writer.WriteStartObject();
            foreach (var (kind, entries) in list)
            {
                writer.WritePropertyName(kind);
                if (entries is null)
                {
                    writer.WriteNullValue();
                    continue;
                }

                writer.WriteStartArray();
                if (entries is Collections.IUtf8StringList utf8)
                {
                    utf8.WriteJsonValues(writer);
                }
                else
                {
                    foreach (var entry in entries)
                    {
                        writer.WriteStringValue(entry);
                        FlushWhenFull(writer);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });

    /// <summary>Hands a writer's buffered bytes on to its stream once they pass <see cref="FlushThreshold"/>.</summary>
    internal static void FlushWhenFull(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > FlushThreshold)
        {
            writer.Flush();
        }
    }

    /// <summary>
    /// The side-file frame: what <paramref name="write"/> writes, then one <c>\n</c>, in a single gzip member. Written
    /// straight into the compressor, so a large side file (the resource list of a big backup) is never held uncompressed.
    /// Returns <paramref name="destination"/> at position 0; disposes it if the writing fails.
    /// </summary>
    private static T Gzipped<T>(T destination, CompressionLevel level, Action<Stream> write)
        where T : Stream
    {
        try
        {
            using (var gzip = new GZipStream(destination, level, leaveOpen: true))
            {
                write(gzip);
                gzip.WriteByte((byte)'\n');
            }

            destination.Position = 0;
            return destination;
        }
        catch
        {
            destination.Dispose();
            throw;
        }
    }

    /// <summary>Reads a gzipped JSON document.</summary>
    public static async Task<T?> FromGzipAsync<T>(Stream gzipped, CancellationToken cancellationToken)
    {
        var gzip = new GZipStream(gzipped, CompressionMode.Decompress, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(gzip, Options, cancellationToken).ConfigureAwait(false);
        }
    }
}

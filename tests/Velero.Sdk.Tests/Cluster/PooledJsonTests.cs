using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Cluster;

namespace Velero.Sdk.Tests.Cluster;

public sealed class PooledJsonTests
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Serializes_as_the_writer_does_growing_past_the_first_buffer_and_reusing_the_thread_writer()
    {
        var big = new JsonObject
        {
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "cm", ["annotations"] = new JsonObject { ["note"] = "<b>&'ü" } },
            ["data"] = new JsonObject { ["blob"] = new string('x', 40_000) },
        };
        var small = new JsonObject { ["kind"] = "Secret", ["type"] = "Opaque" };

        foreach (var node in new JsonNode[] { big, small, big })
        {
            using var pooled = PooledJson.Serialize(node, Relaxed, sizeHint: 256);
            var expected = new MemoryStream();
            using (var writer = new Utf8JsonWriter(expected, Relaxed))
            {
                node.WriteTo(writer);
            }

            Encoding.UTF8.GetString(pooled.Memory.Span).ShouldBe(Encoding.UTF8.GetString(expected.ToArray()));
        }

        // Another encoder gets its own writer: the default one escapes what the relaxed one leaves alone.
        using var strict = PooledJson.Serialize(big, default);
        Encoding.UTF8.GetString(strict.Memory.Span).ShouldContain("\\u003Cb\\u003E");
    }

    [Fact]
    public void Disposing_gives_the_buffer_back_and_leaves_nothing_readable()
    {
        var pooled = PooledJson.Serialize(new JsonObject { ["a"] = 1 }, Relaxed);
        pooled.Memory.Length.ShouldBe(7);
        pooled.Dispose();
        pooled.Memory.Length.ShouldBe(0);
        pooled.Dispose(); // idempotent
    }
}

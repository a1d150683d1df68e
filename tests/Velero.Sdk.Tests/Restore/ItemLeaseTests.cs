using System.Text;
using System.Text.Json;
using Velero.Sdk.Archive;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class ItemLeaseTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<BackupArchiveReader> ArchiveAsync(params (string Name, string Json)[] items) => TestArchives.ConfigMapsAsync(_folder, items);

    [Fact]
    public async Task The_item_is_parsed_from_the_archive_bytes_and_unusable_once_returned()
    {
        const string Json = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns"},"data":{"k":"v \u00e9"},"x-unknown":[1,2.50,{"deep":null}]}""";
        await using var reader = await ArchiveAsync(("a", Json));
        var lease = ItemLease.Read(reader, reader.GetItems("configmaps").Single());

        Encoding.UTF8.GetString(lease.Json.Span).ShouldBe(Json);
        lease.Item["data"]!["k"]!.GetValue<string>().ShouldBe("v é");
        lease.Item["x-unknown"]!.ToJsonString().ShouldBe("""[1,2.50,{"deep":null}]""", "numbers kept as written");

        lease.Dispose();
        Should.Throw<ObjectDisposedException>(() => lease.Item["x-unknown"]!.ToJsonString(), "the memory went back to the pools");
        lease.Dispose(); // twice is harmless
    }

    [Fact]
    public async Task An_escaped_item_stays_usable_after_dispose()
    {
        await using var reader = await ArchiveAsync(("a", """{"kind":"ConfigMap","data":{"k":"v"}}"""));
        var lease = ItemLease.Read(reader, reader.GetItems("configmaps").Single());
        lease.Escaped = true;

        lease.Dispose();

        lease.Item["data"]!.ToJsonString().ShouldBe("""{"k":"v"}""");
    }

    [Theory]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("{\"kind\":", null)]
    [InlineData("{\"a\":1} trailing", null)]
    public async Task Bytes_that_are_not_a_JSON_object_are_refused(string json, string? message)
    {
        await using var reader = await ArchiveAsync(("bad", json));

        var e = Should.Throw<JsonException>(() => ItemLease.Read(reader, reader.GetItems("configmaps").Single()));

        if (message is not null)
        {
            e.Message.ShouldContain(message);
        }
    }
}

using System.Text;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

public sealed class InMemoryObjectStoreTests : ObjectStoreContractTests
{
    protected override ObjectStore CreateStore() => new InMemoryObjectStore();

    private InMemoryObjectStore Memory => (InMemoryObjectStore)Store;

    [Fact]
    public async Task Puts_are_logged_in_completion_order()
    {
        await Store.PutAsync("b", Content("1"));
        await Store.PutAsync("a", Content("2"));
        await Store.PutAsync("b", Content("3"));

        Memory.PutLog.ShouldBe(["b", "a", "b"]);
        Memory.PutAttempts.ShouldBe(3);
        Memory.Keys.ShouldBe(["a", "b"]);
        Encoding.UTF8.GetString(Memory.GetBytes("b")!).ShouldBe("3");
    }

    [Fact]
    public async Task The_nth_put_fails_once_and_stores_nothing()
    {
        await Store.PutAsync("first", Content("x"));
        Memory.FailNthPut(2);

        await Store.PutAsync("second", Content("x"));
        var failure = await Should.ThrowAsync<IOException>(() => Store.PutAsync("third", Content("x")));
        await Store.PutAsync("fourth", Content("x"));

        failure.Message.ShouldContain("\"third\"");
        Memory.Keys.ShouldBe(["first", "fourth", "second"]);
        Memory.PutLog.ShouldBe(["first", "second", "fourth"]);
        Memory.PutAttempts.ShouldBe(4);
    }

    [Fact]
    public async Task Puts_matching_a_predicate_fail_until_cleared_and_read_their_content()
    {
        Memory.FailPuts(key => key.EndsWith(".json", StringComparison.Ordinal));
        var content = Content("payload");

        await Should.ThrowAsync<IOException>(() => Store.PutAsync("backups/b1/velero-backup.json", content));
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("x"));

        content.Position.ShouldBe(content.Length, "a failed upload still consumed its content");
        (await Store.ExistsAsync("backups/b1/velero-backup.json")).ShouldBeFalse();

        Memory.ClearFaults();
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));
        (await Store.ExistsAsync("backups/b1/velero-backup.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Custom_exceptions_and_get_and_delete_faults()
    {
        Memory.SetBytes("k", [1]);
        Memory.FailPuts(_ => true, key => new TimeoutException($"slow {key}"));
        Memory.FailGets(key => key == "k");
        Memory.FailDeletes(key => key == "k");

        (await Should.ThrowAsync<TimeoutException>(() => Store.PutAsync("x", Content("x")))).Message.ShouldBe("slow x");
        await Should.ThrowAsync<IOException>(() => Store.GetAsync("k"));
        await Should.ThrowAsync<IOException>(() => Store.DeleteAsync("k"));
        Memory.DeleteLog.ShouldBeEmpty();
        Memory.GetBytes("k").ShouldBe(new byte[] { 1 });
    }

    [Fact]
    public async Task Signed_urls_name_the_key()
    {
        var url = await Store.CreateSignedUrlAsync("backups/b 1/x.gz", TimeSpan.FromMinutes(10));

        url.AbsoluteUri.ShouldBe("memory:///backups/b%201/x.gz");
    }
}

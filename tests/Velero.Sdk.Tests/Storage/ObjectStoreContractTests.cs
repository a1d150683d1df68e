using System.Text;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ObjectStore"/> must have. Each store gets a subclass that creates a fresh, empty store.
/// </summary>
public abstract class ObjectStoreContractTests : IDisposable
{
    private ObjectStore? _store;
    private bool _storeCreated;
    private object? _storeGate;

    // Created on first use, once even when concurrent tasks are the first users (a second store would lose their puts).
    protected ObjectStore Store => LazyInitializer.EnsureInitialized(ref _store, ref _storeCreated, ref _storeGate, CreateStore)!;

    protected abstract ObjectStore CreateStore();

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    protected static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    protected async Task<string> ReadTextAsync(string key)
    {
        await using var stream = await Store.GetAsync(key);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    protected async Task<List<string>> ListKeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListKeysAsync(prefix))
        {
            keys.Add(key);
        }

        return keys;
    }

    protected async Task<List<string>> ListPrefixesAsync(string prefix, string delimiter = "/")
    {
        var prefixes = new List<string>();
        await foreach (var p in Store.ListCommonPrefixesAsync(prefix, delimiter))
        {
            prefixes.Add(p);
        }

        return prefixes;
    }

    [Fact]
    public async Task Put_then_get_returns_the_content()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{\"kind\":\"Backup\"}"));

        (await ReadTextAsync("backups/b1/velero-backup.json")).ShouldBe("{\"kind\":\"Backup\"}");
    }

    [Fact]
    public async Task Put_reads_the_stream_from_its_current_position()
    {
        var content = Content("skip-this|keep-this");
        content.Position = "skip-this|".Length;

        await Store.PutAsync("a/b", content);

        (await ReadTextAsync("a/b")).ShouldBe("keep-this");
    }

    [Fact]
    public async Task Empty_objects_are_stored()
    {
        await Store.PutAsync("empty", new MemoryStream());

        (await Store.ExistsAsync("empty")).ShouldBeTrue();
        (await ReadTextAsync("empty")).ShouldBe(string.Empty);
    }

    [Fact]
    public async Task Put_overwrites_an_existing_object()
    {
        await Store.PutAsync("k/v", Content("a much longer first version"));
        await Store.PutAsync("k/v", Content("second"));

        (await ReadTextAsync("k/v")).ShouldBe("second");
        (await ListKeysAsync(string.Empty)).ShouldBe(["k/v"]);
    }

    [Fact]
    public async Task Exists_is_true_only_for_stored_objects()
    {
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("x"));

        (await Store.ExistsAsync("backups/b1/b1.tar.gz")).ShouldBeTrue();
        (await Store.ExistsAsync("backups/b1/velero-backup.json")).ShouldBeFalse();
        (await Store.ExistsAsync("backups/b1")).ShouldBeFalse("a prefix is not an object");
        (await Store.ExistsAsync("nothing/here")).ShouldBeFalse();
    }

    [Fact]
    public async Task Get_of_a_missing_key_throws_NotFound_naming_the_key()
    {
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("x"));

        var missing = await Should.ThrowAsync<VeleroException>(() => Store.GetAsync("backups/b1/missing.json"));
        missing.ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
        missing.Message.ShouldContain("backups/b1/missing.json");

        var prefix = await Should.ThrowAsync<VeleroException>(() => Store.GetAsync("backups/b1"));
        prefix.ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
    }

    [Fact]
    public async Task List_keys_is_recursive_sorted_and_filtered_by_prefix()
    {
        string[] keys =
        [
            "backups/b2/velero-backup.json",
            "backups/b1/b1.tar.gz",
            "backups/b1/velero-backup.json",
            "backups/b10/velero-backup.json",
            "backups-other/x",
            "restores/r1/restore-r1-logs.gz",
            "top-level-object",
        ];
        foreach (var key in keys)
        {
            await Store.PutAsync(key, Content(key));
        }

        (await ListKeysAsync(string.Empty)).ShouldBe(
        [
            "backups-other/x",
            "backups/b1/b1.tar.gz",
            "backups/b1/velero-backup.json",
            "backups/b10/velero-backup.json",
            "backups/b2/velero-backup.json",
            "restores/r1/restore-r1-logs.gz",
            "top-level-object",
        ]);
        (await ListKeysAsync("backups/")).ShouldBe(
        [
            "backups/b1/b1.tar.gz",
            "backups/b1/velero-backup.json",
            "backups/b10/velero-backup.json",
            "backups/b2/velero-backup.json",
        ]);
        (await ListKeysAsync("backups/b1/")).ShouldBe(["backups/b1/b1.tar.gz", "backups/b1/velero-backup.json"]);
        (await ListKeysAsync("backups/b1")).ShouldBe(
            ["backups/b1/b1.tar.gz", "backups/b1/velero-backup.json", "backups/b10/velero-backup.json"],
            "a prefix is a string prefix, not a folder");
        (await ListKeysAsync("nothing/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Listing_order_is_by_utf8_bytes_like_S3()
    {
        // U+FF21 (fullwidth A, 3 UTF-8 bytes EF BC A1) sorts before U+1F600 (4 bytes F0 ...), although its UTF-16 code unit is larger.
        string[] keys = ["x/\U0001F600", "x/\uFF21", "x/a", "x/B", "x/é"];
        foreach (var key in keys)
        {
            await Store.PutAsync(key, Content(key));
        }

        (await ListKeysAsync("x/")).ShouldBe(["x/B", "x/a", "x/é", "x/\uFF21", "x/\U0001F600"]);
    }

    [Fact]
    public async Task Common_prefixes_are_computed_as_S3_computes_them()
    {
        string[] keys =
        [
            "backups/b1/velero-backup.json",
            "backups/b1/b1.tar.gz",
            "backups/b2/velero-backup.json",
            "backups/loose-object",
            "restores/r1/restore-r1-results.gz",
            "kopia/ns1/repo/blob",
            "root-object",
        ];
        foreach (var key in keys)
        {
            await Store.PutAsync(key, Content(key));
        }

        (await ListPrefixesAsync(string.Empty)).ShouldBe(["backups/", "kopia/", "restores/"]);
        (await ListPrefixesAsync("backups/")).ShouldBe(["backups/b1/", "backups/b2/"]);
        (await ListPrefixesAsync("backups/b")).ShouldBe(["backups/b1/", "backups/b2/"]);
        (await ListPrefixesAsync("backups/b1/")).ShouldBeEmpty("only objects below");
        (await ListPrefixesAsync("kopia/")).ShouldBe(["kopia/ns1/"]);
        (await ListPrefixesAsync("nothing/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Common_prefixes_work_with_another_delimiter()
    {
        await Store.PutAsync("logs/a-1/x", Content("1"));
        await Store.PutAsync("logs/a-2", Content("2"));
        await Store.PutAsync("logs/b", Content("3"));

        (await ListPrefixesAsync("logs/", "-")).ShouldBe(["logs/a-"]);
    }

    [Fact]
    public async Task Delete_removes_the_object_and_a_missing_key_is_fine()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("x"));
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("y"));

        await Store.DeleteAsync("backups/b1/velero-backup.json");
        await Store.DeleteAsync("backups/b1/velero-backup.json");
        await Store.DeleteAsync("never/existed/at-all");

        (await Store.ExistsAsync("backups/b1/velero-backup.json")).ShouldBeFalse();
        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b1/b1.tar.gz"]);
    }

    [Fact]
    public async Task Deleting_every_object_under_a_prefix_removes_the_prefix_from_listings()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("x"));
        await Store.PutAsync("backups/b1/sub/deeper", Content("y"));
        await Store.PutAsync("backups/b2/velero-backup.json", Content("z"));

        await Store.DeleteAsync("backups/b1/velero-backup.json");
        await Store.DeleteAsync("backups/b1/sub/deeper");

        (await ListPrefixesAsync("backups/")).ShouldBe(["backups/b2/"]);
        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b2/velero-backup.json"]);
    }

    [Fact]
    public async Task Concurrent_puts_of_distinct_and_identical_keys_are_all_consistent()
    {
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await Store.PutAsync($"concurrent/{i % 8}/item-{i}", Content($"value-{i}"));
            await Store.PutAsync("concurrent/shared", Content($"shared-{i:D3}"));
        }));
        await Task.WhenAll(tasks);

        var keys = await ListKeysAsync("concurrent/");
        keys.Count.ShouldBe(65);
        for (var i = 0; i < 64; i++)
        {
            (await ReadTextAsync($"concurrent/{i % 8}/item-{i}")).ShouldBe($"value-{i}");
        }

        (await ReadTextAsync("concurrent/shared")).ShouldMatch("^shared-[0-9]{3}$", "one whole write wins, never a mix");
    }

    [Fact]
    public async Task Large_content_is_streamed_and_read_back_intact()
    {
        const long size = 50L * 1024 * 1024;
        var source = new PatternStream(size);

        await Store.PutAsync("backups/big/big.tar.gz", source);

        source.Position.ShouldBe(size);
        await using var read = await Store.GetAsync("backups/big/big.tar.gz");
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int n;
        while ((n = await read.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != PatternStream.ByteAt(total + i))
                {
                    Assert.Fail($"byte {total + i} differs");
                }
            }

            total += n;
        }

        total.ShouldBe(size);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("backups/../../escape")]
    [InlineData("backups/b1/..")]
    [InlineData("/etc/passwd")]
    [InlineData("backups\\b1\\x")]
    [InlineData("backups//b1")]
    [InlineData("backups/b1/")]
    [InlineData("./backups")]
    [InlineData("backups/\0/x")]
    [InlineData("")]
    public async Task Keys_that_could_escape_are_refused_with_PathTraversal_naming_the_key(string key)
    {
        var put = await Should.ThrowAsync<VeleroException>(() => Store.PutAsync(key, Content("x")));
        put.ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        put.Message.ShouldContain($"\"{key}\"");

        (await Should.ThrowAsync<VeleroException>(() => Store.GetAsync(key))).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        (await Should.ThrowAsync<VeleroException>(() => Store.ExistsAsync(key))).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        (await Should.ThrowAsync<VeleroException>(() => Store.DeleteAsync(key))).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        (await ListKeysAsync(string.Empty)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../")]
    [InlineData("backups/../")]
    [InlineData("/backups/")]
    public async Task Listing_prefixes_that_could_escape_are_refused(string prefix)
    {
        (await Should.ThrowAsync<VeleroException>(() => ListKeysAsync(prefix))).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        (await Should.ThrowAsync<VeleroException>(() => ListPrefixesAsync(prefix))).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
    }

    /// <summary>A read-only stream of <c>length</c> pseudo-random bytes that never holds them all.</summary>
    protected sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public static byte ByteAt(long index) => (byte)((index * 2654435761L) >> 13);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = ByteAt(_position + i);
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

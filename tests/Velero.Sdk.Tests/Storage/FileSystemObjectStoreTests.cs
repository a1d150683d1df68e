using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override ObjectStore CreateStore() => new FileSystemObjectStore(_folder.Combine("bucket"));

    private FileSystemObjectStore FileStore => (FileSystemObjectStore)Store;

    public override void Dispose()
    {
        _folder.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task Keys_map_to_files_under_the_root()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));

        File.ReadAllText(_folder.Combine("bucket", "backups", "b1", "velero-backup.json")).ShouldBe("{}");
        FileStore.RootPath.ShouldBe(_folder.Combine("bucket"));
    }

    [Fact]
    public async Task Files_placed_in_the_folder_by_others_are_objects()
    {
        Directory.CreateDirectory(_folder.Combine("bucket", "backups", "b9"));
        File.WriteAllText(_folder.Combine("bucket", "backups", "b9", "velero-backup.json"), "{}");

        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b9/velero-backup.json"]);
        (await ReadTextAsync("backups/b9/velero-backup.json")).ShouldBe("{}");
    }

    [Fact]
    public async Task A_failed_upload_leaves_neither_the_object_nor_a_temporary_file()
    {
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("old"));

        var failure = await Should.ThrowAsync<VeleroException>(() => Store.PutAsync("backups/b1/b1.tar.gz", new FailingStream(bytesBeforeFailure: 100_000)));
        await Should.ThrowAsync<VeleroException>(() => Store.PutAsync("backups/b1/new.json", new FailingStream(bytesBeforeFailure: 10)));

        failure.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        failure.Message.ShouldContain("\"backups/b1/b1.tar.gz\"");
        failure.InnerException.ShouldBeOfType<IOException>().Message.ShouldBe("connection reset");

        (await ReadTextAsync("backups/b1/b1.tar.gz")).ShouldBe("old", "the old object stays until a new one is complete");
        (await Store.ExistsAsync("backups/b1/new.json")).ShouldBeFalse();
        Directory.GetFiles(_folder.Combine("bucket"), "*", SearchOption.AllDirectories)
            .ShouldBe([_folder.Combine("bucket", "backups", "b1", "b1.tar.gz")]);
    }

    [Fact]
    public async Task While_an_upload_is_in_progress_readers_see_the_old_object_and_listings_hide_the_temporary_file()
    {
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("old"));
        var gate = new BlockingStream(Content("new content"));

        var upload = Store.PutAsync("backups/b1/b1.tar.gz", gate);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Directory.GetFiles(_folder.Combine("bucket", "backups", "b1")).Length.ShouldBe(2, "the object and a temporary file");
        (await ReadTextAsync("backups/b1/b1.tar.gz")).ShouldBe("old");
        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b1/b1.tar.gz"]);

        gate.Release.SetResult();
        await upload;
        (await ReadTextAsync("backups/b1/b1.tar.gz")).ShouldBe("new content");
        Directory.GetFiles(_folder.Combine("bucket", "backups", "b1")).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Leftover_temporary_files_never_show_in_listings_and_their_names_are_reserved()
    {
        Directory.CreateDirectory(_folder.Combine("bucket", "backups", "crashed"));
        File.WriteAllText(_folder.Combine("bucket", "backups", "crashed", ".velero-tmp-0123"), "partial");
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));

        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b1/velero-backup.json"]);
        (await ListPrefixesAsync("backups/")).ShouldBe(["backups/b1/"], "a folder holding only a temporary file has no object");

        var reserved = await Should.ThrowAsync<VeleroException>(() => Store.PutAsync("backups/b1/.velero-tmp-x", Content("x")));
        reserved.ErrorCode.ShouldBe(VeleroErrorCode.Invalid);
        reserved.Message.ShouldContain("backups/b1/.velero-tmp-x");
    }

    [Fact]
    public async Task Deleting_the_last_object_removes_the_empty_folders_up_to_the_root()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));
        await Store.PutAsync("backups/b2/velero-backup.json", Content("{}"));

        await Store.DeleteAsync("backups/b1/velero-backup.json");

        Directory.Exists(_folder.Combine("bucket", "backups", "b1")).ShouldBeFalse();
        Directory.Exists(_folder.Combine("bucket", "backups")).ShouldBeTrue();

        await Store.DeleteAsync("backups/b2/velero-backup.json");

        Directory.Exists(_folder.Combine("bucket", "backups")).ShouldBeFalse();
        Directory.Exists(_folder.Combine("bucket")).ShouldBeTrue("the root itself stays");
    }

    [Fact]
    public async Task An_empty_folder_is_not_a_common_prefix()
    {
        Directory.CreateDirectory(_folder.Combine("bucket", "backups", "empty", "deeper"));
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));

        (await ListPrefixesAsync("backups/")).ShouldBe(["backups/b1/"]);
        (await ListPrefixesAsync(string.Empty)).ShouldBe(["backups/"]);
    }

    [Fact]
    public async Task A_missing_root_lists_nothing_and_is_created_by_the_first_upload()
    {
        (await ListKeysAsync(string.Empty)).ShouldBeEmpty();
        (await ListPrefixesAsync(string.Empty)).ShouldBeEmpty();
        Directory.Exists(_folder.Combine("bucket")).ShouldBeFalse();

        await Store.PutAsync("a", Content("x"));

        Directory.Exists(_folder.Combine("bucket")).ShouldBeTrue();
    }

    [Fact]
    public async Task Signed_url_is_the_file_uri_of_the_object()
    {
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("tarball"));

        var url = await Store.CreateSignedUrlAsync("backups/b1/b1.tar.gz", TimeSpan.FromMinutes(10));

        url.Scheme.ShouldBe("file");
        url.LocalPath.ShouldBe(_folder.Combine("bucket", "backups", "b1", "b1.tar.gz"));
        File.ReadAllText(url.LocalPath).ShouldBe("tarball");
        (await Should.ThrowAsync<VeleroException>(() => Store.CreateSignedUrlAsync("../x", TimeSpan.FromMinutes(1))))
            .ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
    }

    [Fact]
    public async Task Symbolic_links_inside_the_folder_are_not_followed_by_listings()
    {
        var outside = _folder.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{}"));
        Directory.CreateSymbolicLink(_folder.Combine("bucket", "backups", "link"), outside);

        (await ListKeysAsync(string.Empty)).ShouldBe(["backups/b1/velero-backup.json"]);
    }

    [Fact]
    public void An_empty_root_path_is_refused()
    {
        Should.Throw<ArgumentException>(() => new FileSystemObjectStore(new FileSystemObjectStoreOptions { RootPath = " " }));
    }

    [Fact]
    public async Task Uploads_can_skip_fsync()
    {
        var store = new FileSystemObjectStore(new FileSystemObjectStoreOptions { RootPath = _folder.Combine("nofsync"), FlushToDisk = false });

        await store.PutAsync("k", Content("v"));

        File.ReadAllText(_folder.Combine("nofsync", "k")).ShouldBe("v");
    }

    /// <summary>Yields some bytes, then throws.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= bytesBeforeFailure)
            {
                throw new IOException("connection reset");
            }

            var n = Math.Min(count, bytesBeforeFailure - _given);
            Array.Fill(buffer, (byte)'x', offset, n);
            _given += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Signals when first read, then waits for permission before yielding its content.</summary>
    private sealed class BlockingStream(Stream inner) : Stream
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            await Release.Task;
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

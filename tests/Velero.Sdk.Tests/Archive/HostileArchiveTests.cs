using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

/// <summary>
/// Damaged and hostile archives are refused as a whole by <see cref="BackupArchiveReader.OpenAsync"/>, naming the entry,
/// so a restore never sees a single item of them; the reader's scratch folder is gone afterwards.
/// </summary>
public sealed class HostileArchiveTests : IDisposable
{
    private static readonly Lazy<byte[]> Bomb = new(BuildBomb);

    private readonly TempFolder _folder = new();
    private readonly string _scratch;

    public HostileArchiveTests()
    {
        _scratch = _folder.Combine("scratch");
        Directory.CreateDirectory(_scratch);
    }

    public void Dispose() => _folder.Dispose();

    private BackupArchiveReaderOptions Options() => new() { TempDirectory = _scratch };

    private async Task<VeleroException> RefusedAsync(Stream archive, BackupArchiveReaderOptions? options = null)
    {
        var error = await Should.ThrowAsync<VeleroException>(() => BackupArchiveReader.OpenAsync(archive, options ?? Options()));
        Directory.GetFileSystemEntries(_scratch).ShouldBeEmpty("the refused archive's scratch folder is deleted");
        return error;
    }

    private async Task<VeleroException> RefusedAsync(string path, BackupArchiveReaderOptions? options = null)
    {
        await using var stream = File.OpenRead(path);
        return await RefusedAsync(stream, options);
    }

    /// <summary>Valid items, then the hostile entry, then more valid items: the refusal must not depend on position.</summary>
    private string Surrounded(object hostile, string format = "pax")
    {
        var entries = new List<object> { new { name = "metadata/version", data = "1.1.0\n" } };
        entries.AddRange(Enumerable.Range(0, 50).Select(i => (object)new { name = $"resources/pods/namespaces/web/before-{i}.json", data = "{}" }));
        entries.Add(hostile);
        entries.AddRange(Enumerable.Range(0, 5).Select(i => (object)new { name = $"resources/pods/namespaces/web/after-{i}.json", data = "{}" }));
        return ExternalTools.BuildWithPython(_folder.Path, format, [.. entries]);
    }

    private static async Task<byte[]> ValidArchiveAsync(int items = 200)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions
        {
            LeaveOpen = true,
            // The same bytes on every run (header times, one gzip stream), so that a corrupted byte always lands in the same place.
            TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            CompressionParallelism = 1,
        }))
        {
            var random = new Random(3);
            for (var i = 0; i < items; i++)
            {
                var noise = new byte[300];
                random.NextBytes(noise);
                await writer.WriteItemAsync("secrets", "web", $"s-{i}", "v1", true, Encoding.ASCII.GetBytes($"{{\"data\":\"{Convert.ToBase64String(noise)}\"}}"));
            }
        }

        return buffer.ToArray();
    }

    [Theory]
    [InlineData("../evil.json")]
    [InlineData("resources/../../evil.json")]
    [InlineData("resources/pods/namespaces/web/../../../../../tmp/evil.json")]
    [InlineData("resources/../resources-evil/pods/cluster/x.json")]
    [InlineData("resources/pods/namespaces/..")]
    [InlineData("/tmp/x")]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("resources\\..\\..\\evil.json")]
    [InlineData("C:/Windows/evil.json")]
    public async Task Paths_that_could_leave_the_root_are_refused_naming_the_entry(string name)
    {
        var archive = Surrounded(new { name, data = "{}" });

        ExternalTools.InspectWithPython(archive).Select(m => m.GetProperty("name").GetString()).ShouldContain(name, "the archive really holds the hostile name");
        var error = await RefusedAsync(archive);

        error.ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        error.Message.ShouldContain($"entry \"{name}\"");
    }

    [Fact]
    public async Task Directory_entries_that_leave_the_root_are_refused()
    {
        var error = await RefusedAsync(Surrounded(new { name = "../outside", type = "dir" }));

        error.ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        error.Message.ShouldContain("entry \"../outside/\"");
    }

    [Theory]
    [InlineData("symlink", "/etc/passwd", "is a symbolic link (to \"/etc/passwd\")")]
    [InlineData("symlink", "../../../../etc/shadow", "is a symbolic link")]
    [InlineData("hardlink", "resources/pods/namespaces/web/before-1.json", "is a hard link")]
    [InlineData("chr", "", "is a device")]
    [InlineData("blk", "", "is a device")]
    [InlineData("fifo", "", "is a FIFO")]
    public async Task Links_devices_and_FIFOs_are_refused_naming_the_entry(string type, string link, string reason)
    {
        var error = await RefusedAsync(Surrounded(new { name = "resources/pods/namespaces/web/special.json", type, link }, format: "gnu"));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldContain($"entry \"resources/pods/namespaces/web/special.json\" {reason}");
    }

    [Theory]
    [InlineData('L', "a GNU long name of 1500000000 bytes exceeds the limit of 1048576 bytes")]
    [InlineData('K', "a GNU long link name of 1500000000 bytes exceeds the limit of 1048576 bytes")]
    [InlineData('x', "a PAX extended header of 1500000000 bytes exceeds the limit of 1048576 bytes")]
    [InlineData('g', "a PAX global header of 1500000000 bytes exceeds the limit of 1048576 bytes")]
    public async Task A_header_announcing_huge_metadata_is_refused_before_the_tar_reader_allocates_it(char type, string reason)
    {
        // System.Formats.Tar allocates such metadata whole: this 512-byte header would cost it over 4 GB.
        var archive = new RawTar()
            .File("resources/pods/cluster/ok.json", "{}")
            .Header("././@LongLink", type, 1_500_000_000)
            .Data(new byte[4096])
            .Gzip();

        var error = await RefusedAsync(new MemoryStream(archive));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldBe($"invalid backup archive: {reason} (after entry \"resources/pods/cluster/ok.json\")");
    }

    [Fact]
    public async Task A_PAX_size_record_overriding_the_header_size_is_followed()
    {
        var content = new string('p', 600);
        var archive = new RawTar()
            .Pax(("path", "resources/configmaps/namespaces/web/long-" + new string('n', 120) + ".json"), ("size", "600"))
            .Header("resources/configmaps/namespaces/web/short.json", '0', 0)
            .Data(Encoding.ASCII.GetBytes(content))
            .File("resources/configmaps/namespaces/web/next.json", "{\"next\":true}")
            .End()
            .Gzip();

        await using var reader = await BackupArchiveReader.OpenAsync(new MemoryStream(archive), Options());

        var item = reader.FindItem("configmaps", "web", "long-" + new string('n', 120)).ShouldNotBeNull();
        Encoding.ASCII.GetString(await reader.ReadItemAsync(item)).ShouldBe(content);
        Encoding.ASCII.GetString(await reader.ReadItemAsync(reader.FindItem("configmaps", "web", "next")!)).ShouldBe("{\"next\":true}");
    }

    [Fact]
    public async Task Warnings_are_capped()
    {
        var tar = new RawTar();
        for (var i = 0; i < 1500; i++)
        {
            tar.File($"junk-{i}/x", "x");
        }

        await using var reader = await BackupArchiveReader.OpenAsync(new MemoryStream(tar.End().Gzip()), Options());

        reader.Warnings.Count.ShouldBe(1002);
        reader.Warnings[1000].ShouldBe("More than 1000 warnings; the rest are not reported");
        reader.Warnings[^1].ShouldStartWith("zero items to be restored");
    }

    [Fact]
    public async Task An_entry_over_the_size_limit_is_refused_before_it_is_read()
    {
        var archive = Surrounded(new { name = "resources/configmaps/namespaces/web/huge.json", zeros = 2048 });
        var options = Options();
        options.MaxEntrySize = 1024;

        var error = await RefusedAsync(archive, options);

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldBe("invalid backup archive: entry \"resources/configmaps/namespaces/web/huge.json\" is 2048 bytes, more than the limit of 1024 bytes per entry");
    }

    [Fact]
    public async Task No_entry_size_limit_goes_past_the_largest_array()
    {
        // A header claiming 3 GiB, with no data behind it: the limit refuses it from the header alone.
        var tar = new MemoryStream();
        var modified = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        tar.Write(TarHeaders.Header("metadata/version", 6, modified));
        tar.Write("1.1.0\n"u8);
        tar.Write(new byte[TarHeaders.Padding(6)]);
        tar.Write(TarHeaders.Header("resources/configmaps/namespaces/web/huge.json", 3L << 30, modified));
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }

        gz.Position = 0;
        var options = Options();
        options.MaxEntrySize = long.MaxValue;

        var error = await RefusedAsync(gz, options);

        error.Message.ShouldBe($"invalid backup archive: entry \"resources/configmaps/namespaces/web/huge.json\" is {3L << 30} bytes, more than the limit of {Array.MaxLength} bytes per entry");
    }

    [Fact]
    public async Task Too_many_entries_are_refused()
    {
        var archive = ExternalTools.BuildWithPython(
            _folder.Path, "pax", [.. Enumerable.Range(0, 10).Select(i => (object)new { name = $"resources/pods/cluster/p{i}.json", data = "{}" })]);
        var options = Options();
        options.MaxEntries = 5;

        var error = await RefusedAsync(archive, options);

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldBe("invalid backup archive: it has more than 5 entries (entry \"resources/pods/cluster/p5.json\")");
    }

    [Fact]
    public void The_default_entry_limit_takes_a_backup_of_millions_of_objects()
    {
        // Each object is two entries (flat and preferred version) plus a directory-free few: a backup of a million objects
        // is about 2,000,000 entries, which the first default (1,000,000) refused when the scale run restored it.
        new BackupArchiveReaderOptions().MaxEntries.ShouldBeGreaterThanOrEqualTo((2 * 4_000_000) + 100);
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_by_its_ratio_long_before_its_end()
    {
        var bomb = Bomb.Value;
        var source = new CountingStream(new MemoryStream(bomb));

        var error = await RefusedAsync(source);

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldContain("exceeds the limit of 200:1 (a decompression bomb?)");
        error.Message.ShouldContain("(in entry \"resources/configmaps/namespaces/web/zeros-");
        source.BytesRead.ShouldBeLessThan(bomb.Length / 4, "2 GB of zeros were not decompressed");
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_by_the_total_size_limit()
    {
        var options = Options();
        options.MaxCompressionRatio = 0;
        options.MaxTotalSize = 100L * 1024 * 1024;

        var error = await RefusedAsync(new MemoryStream(Bomb.Value), options);

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldStartWith("invalid backup archive: the uncompressed archive exceeds the limit of 104857600 bytes (in entry \"resources/configmaps/namespaces/web/zeros-");
    }

    public static TheoryData<double> CutPoints() => new(0.0005, 0.1, 0.5, 0.9, 0.999);

    [Theory]
    [MemberData(nameof(CutPoints))]
    public async Task A_truncated_gzip_stream_is_refused(double fraction)
    {
        var valid = await ValidArchiveAsync();
        var cut = valid[..(int)(valid.Length * fraction)];

        var error = await RefusedAsync(new MemoryStream(cut));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldStartWith("invalid backup archive: ");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(30)]
    public async Task A_gzip_stream_cut_in_or_just_before_its_trailer_is_refused(int bytesCut)
    {
        var valid = await ValidArchiveAsync();

        var error = await RefusedAsync(new MemoryStream(valid[..^bytesCut]));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task The_untouched_archive_is_accepted()
    {
        await using var reader = await BackupArchiveReader.OpenAsync(new MemoryStream(await ValidArchiveAsync()), Options());

        reader.ItemCount.ShouldBe(200);
    }

    [Fact]
    public async Task Garbage_is_refused()
    {
        var garbage = new byte[100_000];
        new Random(5).NextBytes(garbage);

        var error = await RefusedAsync(new MemoryStream(garbage));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldStartWith("invalid backup archive: the gzip data is corrupt");
    }

    [Fact]
    public async Task An_uncompressed_tar_is_refused()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "metadata/version") { DataStream = new MemoryStream("1.1.0\n"u8.ToArray()) });
        }

        tar.Position = 0;
        (await RefusedAsync(tar)).ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
    }

    [Fact]
    public async Task Gzipped_data_that_is_not_tar_is_refused()
    {
        using var gz = new MemoryStream();
        await using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not a tar archive. ", 100))));
        }

        gz.Position = 0;
        var error = await RefusedAsync(gz);

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldContain("malformed tar data at its start");
    }

    [Fact]
    public async Task A_corrupted_byte_is_refused()
    {
        var valid = await ValidArchiveAsync();
        var corrupt = (byte[])valid.Clone();
        corrupt[valid.Length / 2] ^= 0x55;

        (await RefusedAsync(new MemoryStream(corrupt))).ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
    }

    [Fact]
    public async Task Data_after_the_gzip_stream_is_refused()
    {
        var valid = await ValidArchiveAsync();

        var error = await RefusedAsync(new MemoryStream([.. valid, .. "trailing garbage"u8.ToArray()]));

        error.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        error.Message.ShouldContain("followed by other data");
    }

    [Fact]
    public async Task A_failing_source_is_a_storage_failure_not_an_invalid_archive()
    {
        var valid = await ValidArchiveAsync();

        var error = await RefusedAsync(new FailingStream(valid, failAt: valid.Length / 2));

        error.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        error.InnerException.ShouldBeOfType<ArchiveStreamException>().InnerException.ShouldBeOfType<IOException>();
    }

    [Fact]
    public async Task Cancellation_stops_the_pass_and_cleans_up()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(
            () => BackupArchiveReader.OpenAsync(new MemoryStream(Bomb.Value), Options(), cancellation.Token));

        Directory.GetFileSystemEntries(_scratch).ShouldBeEmpty();
    }

    /// <summary>2 GiB of zeros in 128 entries of 16 MiB (each under the default entry limit): about 2 MB compressed.</summary>
    private static byte[] BuildBomb()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, leaveOpen: true))
        {
            for (var i = 0; i < 128; i++)
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"resources/configmaps/namespaces/web/zeros-{i}.json")
                {
                    DataStream = new ZeroStream(16L * 1024 * 1024),
                });
            }
        }

        return buffer.ToArray();
    }

    private sealed class CountingStream(Stream inner) : MemoryStream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    private sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAt)
            {
                throw new IOException("connection reset by peer");
            }

            var n = Read(buffer.Span[..(int)Math.Min(buffer.Length, failAt - Position)]);
            return ValueTask.FromResult(n);
        }
    }
}

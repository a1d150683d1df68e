using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public sealed class BackupArchiveWriterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, 750, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Json(string name) => Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"{name}\"}}}}");

    private static BackupArchiveWriterOptions Options(CompressionLevel level = CompressionLevel.Optimal) =>
        new() { TimeProvider = new FakeTimeProvider(Now), CompressionLevel = level };

    private async Task<string> WriteSampleAsync(string name = "sample.tar.gz")
    {
        var path = _folder.Combine(name);
        await using var writer = new BackupArchiveWriter(File.Create(path), Options());
        (await writer.WriteItemAsync("namespaces", null, "web", "v1", true, Json("web"))).ShouldBeTrue();
        (await writer.WriteItemAsync("deployments.apps", "web", "nginx", "v1", true, Json("nginx"))).ShouldBeTrue();
        (await writer.WriteItemAsync("horizontalpodautoscalers.autoscaling", "web", "hpa", "v2beta2", false, Json("hpa"))).ShouldBeTrue();
        await writer.CompleteAsync();
        return path;
    }

    [Fact]
    public async Task GNU_tar_lists_version_first_then_flat_and_preferred_paths_all_0755_regular_files()
    {
        var path = await WriteSampleAsync();

        var listing = ExternalTools.Tar(null, "--numeric-owner", "-tvzf", path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        listing.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ShouldBe(
        [
            "metadata/version",
            "resources/namespaces/cluster/web.json",
            "resources/namespaces/v1-preferredversion/cluster/web.json",
            "resources/deployments.apps/namespaces/web/nginx.json",
            "resources/deployments.apps/v1-preferredversion/namespaces/web/nginx.json",
            "resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/web/hpa.json",
        ]);
        listing.ShouldAllBe(line => line.StartsWith("-rwxr-xr-x 0/0 ", StringComparison.Ordinal));
        listing.ShouldAllBe(line => line.Contains(" 2024-05-06 07:08 ", StringComparison.Ordinal));
        ExternalTools.Tar(null, "-xzOf", path, "metadata/version").ShouldBe("1.1.0\n");
        ExternalTools.Tar(null, "-xzOf", path, "resources/deployments.apps/namespaces/web/nginx.json").ShouldBe(Encoding.UTF8.GetString(Json("nginx")));
    }

    [Fact]
    public async Task Headers_are_USTAR_without_owner_names_and_mtime_in_whole_seconds()
    {
        var path = await WriteSampleAsync();

        var members = ExternalTools.InspectWithPython(path);

        members.Count.ShouldBe(6);
        foreach (var member in members)
        {
            member.GetProperty("type").GetString().ShouldBe("0");
            member.GetProperty("mode").GetInt32().ShouldBe(0b111_101_101);
            member.GetProperty("uid").GetInt32().ShouldBe(0);
            member.GetProperty("gid").GetInt32().ShouldBe(0);
            member.GetProperty("uname").GetString().ShouldBe(string.Empty);
            member.GetProperty("gname").GetString().ShouldBe(string.Empty);
            member.GetProperty("mtime").GetDouble().ShouldBe(Now.ToUnixTimeSeconds());
            member.GetProperty("pax").EnumerateObject().ShouldBeEmpty("short ASCII paths need no PAX header");
        }

        members[0].GetProperty("size").GetInt32().ShouldBe(6);
    }

    [Fact]
    public async Task Tar_stream_is_byte_identical_to_System_Formats_Tar_for_the_same_entries()
    {
        // Short USTAR paths, a USTAR prefix split, PAX (long and non-ASCII), empty and block-sized contents.
        var items = new (string GroupResource, string? Ns, string Name, string Version, bool Preferred, byte[] Json)[]
        {
            ("pods", "default", "p", "v1", true, Json("p")),
            ("configmaps", "ns-üé中", "pöd", "v1", true, Json("pöd")),
            ("configmaps", "default", "config-" + new string('x', 120), "v1", true, Json("long")),
            ("widgets.example.com", "default", new string('m', 90), "v1alpha1", true, Json("medium")),
            ("secrets", "kube-system", "empty", "v1", true, []),
            ("secrets", "kube-system", "block", "v1", true, Encoding.ASCII.GetBytes(new string('b', 1024))),
            ("horizontalpodautoscalers.autoscaling", "web", "hpa", "v2beta2", false, Json("hpa")),
            ("namespaces", null, new string('n', 63), "v1", true, Encoding.ASCII.GetBytes(new string('j', 511))),
        };

        var ours = new MemoryStream();
        var options = Options();
        options.CompressionParallelism = 1;
        await using (var writer = new BackupArchiveWriter(ours, options))
        {
            foreach (var i in items)
            {
                (await writer.WriteItemAsync(i.GroupResource, i.Ns, i.Name, i.Version, i.Preferred, i.Json)).ShouldBeTrue();
            }
        }

        var expected = new MemoryStream();
        await using (var tar = new TarWriter(expected, TarEntryFormat.Pax, leaveOpen: true))
        {
            var mode = (UnixFileMode)Convert.ToInt32("755", 8);
            var modified = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
            void Add(string entryPath, byte[] content)
            {
                var ustar = entryPath.All(c => c < 0x80) && (entryPath.Length <= 100 || (entryPath.LastIndexOf('/') is > 0 and <= 155 && entryPath.Length - entryPath.LastIndexOf('/') - 1 <= 100));
                TarEntry entry = ustar ? new UstarTarEntry(TarEntryType.RegularFile, entryPath) : new PaxTarEntry(TarEntryType.RegularFile, entryPath);
                entry.Mode = mode;
                entry.ModificationTime = modified;
                entry.DataStream = new MemoryStream(content);
                tar.WriteEntry(entry);
            }

            Add("metadata/version", Encoding.ASCII.GetBytes("1.1.0\n"));
            foreach (var i in items)
            {
                var gr = i.GroupResource;
                var scope = i.Ns is null ? "cluster" : "namespaces/" + i.Ns;
                if (i.Preferred)
                {
                    Add($"resources/{gr}/{scope}/{i.Name}.json", i.Json);
                }

                Add($"resources/{gr}/{(i.Preferred ? i.Version + "-preferredversion" : i.Version)}/{scope}/{i.Name}.json", i.Json);
            }
        }

        using var gunzip = new GZipStream(new MemoryStream(ours.ToArray()), CompressionMode.Decompress);
        var tarBytes = new MemoryStream();
        await gunzip.CopyToAsync(tarBytes);
        var actual = tarBytes.ToArray();
        var wanted = expected.ToArray();
        int firstDifference = actual.AsSpan().CommonPrefixLength(wanted);
        firstDifference.ShouldBe(Math.Max(actual.Length, wanted.Length), $"the tar streams differ from byte {firstDifference} (lengths {actual.Length} and {wanted.Length})");
    }

    [Fact]
    public async Task Long_and_non_ASCII_paths_get_PAX_headers_and_survive_GNU_tar_and_our_reader()
    {
        var longName = "config-" + new string('x', 120);
        var mediumName = new string('m', 90);
        var path = _folder.Combine("long.tar.gz");
        await using (var writer = new BackupArchiveWriter(File.Create(path), Options()))
        {
            await writer.WriteItemAsync("configmaps", "ns-üé中", "pöd", "v1", true, Json("pöd"));
            await writer.WriteItemAsync("configmaps", "default", longName, "v1", true, Json(longName));
            await writer.WriteItemAsync("widgets.example.com", "default", mediumName, "v1alpha1", true, Json(mediumName));
        }

        var members = ExternalTools.InspectWithPython(path).ToDictionary(m => m.GetProperty("name").GetString()!);

        members["resources/configmaps/namespaces/ns-üé中/pöd.json"].GetProperty("pax").GetProperty("path").GetString()
            .ShouldBe("resources/configmaps/namespaces/ns-üé中/pöd.json");
        members[$"resources/configmaps/namespaces/default/{longName}.json"].GetProperty("pax").GetProperty("path").GetString()!.Length.ShouldBeGreaterThan(100);
        var split = members[$"resources/widgets.example.com/v1alpha1-preferredversion/namespaces/default/{mediumName}.json"];
        split.GetProperty("pax").EnumerateObject().ShouldBeEmpty("a long path that splits into USTAR prefix and name needs no PAX");
        members.Values.ShouldAllBe(m => m.GetProperty("mode").GetInt32() == 0b111_101_101);

        var listing = ExternalTools.Tar(null, "-tzf", path);
        listing.ShouldContain("resources/configmaps/v1-preferredversion/namespaces/ns-üé中/pöd.json");
        listing.ShouldContain($"resources/configmaps/v1-preferredversion/namespaces/default/{longName}.json");

        await using var archive = File.OpenRead(path);
        await using var reader = await BackupArchiveReader.OpenAsync(archive);
        var item = reader.FindItem("configmaps", "ns-üé中", "pöd").ShouldNotBeNull();
        (await reader.ReadItemAsync(item)).ShouldBe(Json("pöd"));
        (await reader.ReadItemAsync(reader.FindItem("configmaps", "default", longName, "v1-preferredversion")!)).ShouldBe(Json(longName));
    }

    [Fact]
    public async Task A_path_written_twice_is_ignored_and_reported()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true }))
        {
            (await writer.WriteItemAsync("pods", "ns", "p", "v1", true, Json("first"))).ShouldBeTrue();
            (await writer.WriteItemAsync("pods", "ns", "p", "v1", true, Json("second"))).ShouldBeFalse();
            (await writer.WriteItemAsync("pods", "ns", "p", "v2", false, Json("other version"))).ShouldBeTrue("another version directory is another path");
            (await writer.WriteItemAsync("pods", "ns", "p", "v2", false, Json("again"))).ShouldBeFalse();
            (await writer.WriteItemAsync("pods", "ns", "p", "v3", true, Json("preferred again"))).ShouldBeFalse("the flat path is taken");
            (await writer.WriteItemAsync("pods", "ns", "q", "v2", false, Json("other item"))).ShouldBeTrue();

            // No other version is written under a preferred-version directory: that path is the preferred copy's.
            var e = await Should.ThrowAsync<ArgumentException>(() => writer.WriteItemAsync("pods", "ns", "p", "v1-preferredversion", false, Json("clash")));
            e.ParamName.ShouldBe("version");
            e.Message.ShouldContain("v1-preferredversion");

            writer.ItemCount.ShouldBe(3);
            writer.EntryCount.ShouldBe(5);
        }

        buffer.Position = 0;
        await using var reader = await BackupArchiveReader.OpenAsync(buffer);
        (await reader.ReadItemAsync(reader.FindItem("pods", "ns", "p")!)).ShouldBe(Json("first"));
        reader.Warnings.ShouldBeEmpty("no path occurs twice");
        reader.EntryCount.ShouldBe(5);
    }

    [Fact]
    public async Task An_archive_without_items_holds_only_the_version()
    {
        var path = _folder.Combine("empty.tar.gz");
        var writer = new BackupArchiveWriter(File.Create(path));
        await writer.CompleteAsync();
        await writer.CompleteAsync();
        await writer.DisposeAsync();

        ExternalTools.Tar(null, "-tzf", path).ShouldBe("metadata/version\n");
        await Should.ThrowAsync<InvalidOperationException>(() => writer.WriteItemAsync("pods", "ns", "p", "v1", true, Json("p")));
    }

    [Fact]
    public async Task Synchronous_dispose_completes_the_archive()
    {
        var path = _folder.Combine("sync.tar.gz");
        using (var writer = new BackupArchiveWriter(File.Create(path)))
        {
            await writer.WriteItemAsync("pods", "ns", "p", "v1", true, Json("p"));
        }

        ExternalTools.Tar(null, "-tzf", path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3);

        var empty = _folder.Combine("sync-empty.tar.gz");
        using (new BackupArchiveWriter(File.Create(empty)))
        {
        }

        ExternalTools.Tar(null, "-xzOf", empty, "metadata/version").ShouldBe("1.1.0\n");
    }

    [Theory]
    [InlineData("", "ns", "name", "v1")]
    [InlineData("pods", "ns", "", "v1")]
    [InlineData("pods", "ns", "a/b", "v1")]
    [InlineData("pods", "..", "name", "v1")]
    [InlineData("pods", "ns", "..", "v1")]
    [InlineData("pods", "ns", "a\\b", "v1")]
    [InlineData("po/ds", "ns", "name", "v1")]
    [InlineData("pods", "ns", "name", "")]
    [InlineData("pods", "ns", "name", "v1/x")]
    [InlineData("pods", "ns", "na\0me", "v1")]
    public async Task Parts_that_are_not_one_path_segment_are_refused(string groupResource, string ns, string name, string version)
    {
        await using var writer = new BackupArchiveWriter(new MemoryStream());

        await Should.ThrowAsync<ArgumentException>(() => writer.WriteItemAsync(groupResource, ns, name, version, true, Json("x")));
        writer.EntryCount.ShouldBe(0);
    }

    [Fact]
    public async Task Concurrent_writers_produce_every_item_exactly_once()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true, CompressionLevel = CompressionLevel.Fastest }))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                (await writer.WriteItemAsync("configmaps", $"ns-{i % 7}", $"cm-{i}", "v1", true, Json($"cm-{i}"), ct)).ShouldBeTrue();
            });
            writer.ItemCount.ShouldBe(2000);
        }

        buffer.Position = 0;
        await using var reader = await BackupArchiveReader.OpenAsync(buffer);
        reader.ItemCount.ShouldBe(2000);
        reader.GetNamespaces("configmaps").Count.ShouldBe(7);
        for (var i = 0; i < 2000; i += 97)
        {
            (await reader.ReadItemAsync(reader.FindItem("configmaps", $"ns-{i % 7}", $"cm-{i}")!)).ShouldBe(Json($"cm-{i}"));
            (await reader.ReadItemAsync(reader.FindItem("configmaps", $"ns-{i % 7}", $"cm-{i}", "v1-preferredversion")!)).ShouldBe(Json($"cm-{i}"));
        }
    }

    [Fact]
    public async Task The_output_is_one_gzip_member_of_a_tar_that_the_BCL_reads()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true, CompressionLevel = CompressionLevel.SmallestSize }))
        {
            await writer.WriteItemAsync("pods", "ns", "p", "v1", true, Json("p"));
        }

        buffer.ToArray()[..2].ShouldBe(new byte[] { 0x1f, 0x8b });
        buffer.Position = 0;
        using var tar = new TarReader(new GZipStream(buffer, CompressionMode.Decompress));
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            entry.Format.ShouldBe(TarEntryFormat.Ustar);
            entry.Mode.ShouldBe((UnixFileMode)0b111_101_101);
            names.Add(entry.Name);
        }

        names.ShouldBe(["metadata/version", "resources/pods/namespaces/ns/p.json", "resources/pods/v1-preferredversion/namespaces/ns/p.json"]);
    }

    [Theory]
    [InlineData(1, 100_000)]
    [InlineData(2, 1_000_000)] // parallel compression: the failure surfaces once compressed pieces are written
    public async Task After_a_failed_write_the_archive_is_not_finished(int parallelism, int itemSize)
    {
        var destination = new FailingAfterStream(limit: 10_000);
        var writer = new BackupArchiveWriter(destination, new BackupArchiveWriterOptions { CompressionLevel = CompressionLevel.NoCompression, CompressionParallelism = parallelism });
        var big = new byte[itemSize];

        await Should.ThrowAsync<IOException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await writer.WriteItemAsync("pods", "ns", $"p{i}", "v1", true, big);
            }
        });

        await Should.ThrowAsync<InvalidOperationException>(() => writer.WriteItemAsync("pods", "ns", "late", "v1", true, Json("late")));
        await Should.ThrowAsync<InvalidOperationException>(() => writer.CompleteAsync());
        await writer.DisposeAsync();
        destination.Disposed.ShouldBeTrue();
    }

    [Theory]
    [InlineData("metadata/version", true)]
    [InlineData("resources/pods/namespaces/ns/pöd.json", false)]
    public void Ustar_is_used_for_short_ASCII_paths_only(string path, bool ustar)
    {
        BackupArchiveWriter.FitsUstar(path).ShouldBe(ustar);
    }

    [Fact]
    public void Ustar_split_follows_the_last_slash()
    {
        BackupArchiveWriter.FitsUstar(new string('d', 155) + "/" + new string('f', 100)).ShouldBeTrue();
        BackupArchiveWriter.FitsUstar(new string('d', 156) + "/" + new string('f', 10)).ShouldBeFalse();
        BackupArchiveWriter.FitsUstar("d/" + new string('f', 101)).ShouldBeFalse();
        BackupArchiveWriter.FitsUstar(new string('f', 101)).ShouldBeFalse();
    }

    private sealed class FailingAfterStream(int limit) : MemoryStream
    {
        public bool Disposed { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit)
            {
                throw new IOException("disk full");
            }

            base.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

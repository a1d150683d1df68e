using System.Text;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

[Collection(ProcessWideMeasurements.Name)] // Memory_stays_flat_the_item_bytes_live_in_the_data_file measures the GC heap
public sealed class BackupArchiveReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Json(string name) => $"{{\"kind\":\"Thing\",\"metadata\":{{\"name\":\"{name}\"}}}}";

    private async Task<BackupArchiveReader> OpenAsync(string path, BackupArchiveReaderOptions? options = null)
    {
        await using var stream = File.OpenRead(path);
        return await BackupArchiveReader.OpenAsync(stream, options ?? new BackupArchiveReaderOptions { TempDirectory = _folder.Path });
    }

    /// <summary>Lays out a Velero 1.1.0 backup as plain files, for GNU tar to archive.</summary>
    private string MakeBackupFolder(string longName, string unicodeNamespace)
    {
        var root = _folder.Combine("tree-" + Guid.NewGuid().ToString("N"));
        void Put(string relative, string content)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
        }

        Put("metadata/version", "1.1.0\n");
        foreach (var version in new[] { string.Empty, "v1-preferredversion/" })
        {
            Put($"resources/namespaces/{version}cluster/web.json", Json("web"));
            Put($"resources/pods/{version}namespaces/web/nginx-1.json", Json("nginx-1"));
            Put($"resources/pods/{version}namespaces/{unicodeNamespace}/pöd.json", Json("pöd"));
            Put($"resources/configmaps/{version}namespaces/web/{longName}.json", Json(longName));
        }

        Put("resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/web/hpa.json", Json("hpa-v2beta2"));
        Put("resources/horizontalpodautoscalers.autoscaling/namespaces/web/hpa.json", Json("hpa"));
        Put("resources/horizontalpodautoscalers.autoscaling/v1-preferredversion/namespaces/web/hpa.json", Json("hpa"));
        return root;
    }

    private static async Task AssertSampleAsync(BackupArchiveReader reader, string longName, string unicodeNamespace)
    {
        reader.FormatVersion.ShouldBe("1.1.0");
        reader.HasResources.ShouldBeTrue();
        reader.Warnings.ShouldBeEmpty();
        reader.GroupResources.ShouldBe(["configmaps", "horizontalpodautoscalers.autoscaling", "namespaces", "pods"]);
        reader.ItemCount.ShouldBe(5);
        reader.GetNamespaces("pods").ShouldBe(new[] { unicodeNamespace, "web" }.Order(StringComparer.Ordinal).ToArray());
        reader.GetItems("namespaces", null).Select(i => i.Name).ShouldBe(["web"]);
        reader.GetItems("namespaces", null).Single().IsClusterScoped.ShouldBeTrue();
        reader.GetVersionDirectories("horizontalpodautoscalers.autoscaling").ShouldBe(["v1-preferredversion", "v2beta2"]);
        reader.GetVersionDirectories("pods").ShouldBe(["v1-preferredversion"]);

        var pod = reader.FindItem("pods", unicodeNamespace, "pöd").ShouldNotBeNull();
        pod.Path.ShouldBe($"resources/pods/namespaces/{unicodeNamespace}/pöd.json");
        Encoding.UTF8.GetString(await reader.ReadItemAsync(pod)).ShouldBe(Json("pöd"));
        var config = reader.FindItem("configmaps", "web", longName).ShouldNotBeNull();
        Encoding.UTF8.GetString(await reader.ReadItemAsync(config)).ShouldBe(Json(longName));
        var hpa = reader.FindItem("horizontalpodautoscalers.autoscaling", "web", "hpa", "v2beta2").ShouldNotBeNull();
        hpa.VersionDirectory.ShouldBe("v2beta2");
        hpa.Path.ShouldBe("resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/web/hpa.json");
        Encoding.UTF8.GetString(await reader.ReadItemAsync(hpa)).ShouldBe(Json("hpa-v2beta2"));
        reader.GetVersionedItems("pods", "v1-preferredversion").Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("pax", 1)]
    [InlineData("pax", 2)]
    [InlineData("gnu", 1)]
    [InlineData("gnu", 3)]
    public async Task Items_read_the_same_when_fresh_tar_readers_take_over_between_entries(string format, int every)
    {
        // The index takes a fresh tar reader every few thousand entries; here after every one to three, across data sizes
        // on and off the 512-byte blocks, an empty file, long names (PAX records or GNU long-name entries) and skipped entries.
        var root = _folder.Combine("sizes-" + format + every);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var size in new[] { 0, 1, 511, 512, 513, 1024, 1500 })
        {
            foreach (var longName in new[] { false, true })
            {
                var name = (longName ? new string('n', 120) : "cm") + "-" + size;
                var json = size == 0 ? string.Empty : Json(name).PadRight(size); // at least the object; padded with spaces to the size
                foreach (var dir in new[] { string.Empty, "v1-preferredversion/" })
                {
                    var path = Path.Combine(root, $"resources/configmaps/{dir}namespaces/web/{name}.json");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, json);
                }

                expected[name] = json;
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "metadata"));
        File.WriteAllText(Path.Combine(root, "metadata", "version"), "1.1.0\n");
        var archive = _folder.Combine($"sizes-{format}-{every}.tar.gz");
        ExternalTools.Tar(root, $"--format={format}", "-czf", archive, ".");

        foreach (var indexVersions in new[] { true, false })
        {
            await using var stream = File.OpenRead(archive);
            await using var reader = await BackupArchiveReader.OpenAsync(
                stream, new BackupArchiveReaderOptions { TempDirectory = _folder.Path, IndexVersionDirectories = indexVersions, FreshTarReaderEvery = every });

            reader.FormatVersion.ShouldBe("1.1.0");
            reader.Warnings.ShouldBeEmpty();
            reader.GetItems("configmaps", "web").Select(i => i.Name).ShouldBe(expected.Keys.Order(StringComparer.Ordinal));
            foreach (var item in reader.GetItems("configmaps", "web"))
            {
                Encoding.UTF8.GetString(await reader.ReadItemAsync(item)).ShouldBe(expected[item.Name], item.Path);
            }

            reader.GetVersionedItems("configmaps", "v1-preferredversion").Count.ShouldBe(indexVersions ? expected.Count : 0);
        }
    }

    [Theory]
    [InlineData("pax")]
    [InlineData("gnu")]
    public async Task GNU_tar_archives_of_files_only_are_read(string format)
    {
        var longName = "cm-" + new string('l', 140);
        var tree = MakeBackupFolder(longName, "ns-üé中");
        var files = Directory.GetFiles(tree, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tree, f)).Order(StringComparer.Ordinal).ToList();
        File.WriteAllLines(_folder.Combine("files.txt"), files);
        var archive = _folder.Combine($"gnu-{format}.tar.gz");

        ExternalTools.Tar(tree, $"--format={format}", "--no-recursion", "-czf", archive, "-T", _folder.Combine("files.txt"));

        ExternalTools.Tar(null, "-tvzf", archive).Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(line => line.StartsWith("-rwxr-xr-x", StringComparison.Ordinal));
        await using var reader = await OpenAsync(archive);
        await AssertSampleAsync(reader, longName, "ns-üé中");
        reader.EntryCount.ShouldBe(files.Count);
    }

    [Fact]
    public async Task A_reader_that_skips_version_directories_serves_the_same_flat_items_and_still_checks_those_entries()
    {
        var tree = MakeBackupFolder("cm-short", "ns-ü");
        var archive = _folder.Combine("flat-only.tar.gz");
        ExternalTools.Tar(tree, "--format=pax", "-czf", archive, ".");
        var options = new BackupArchiveReaderOptions { TempDirectory = _folder.Path, IndexVersionDirectories = false };

        await using (var reader = await OpenAsync(archive, options))
        {
            reader.ItemCount.ShouldBe(5);
            reader.GroupResources.ShouldBe(["configmaps", "horizontalpodautoscalers.autoscaling", "namespaces", "pods"]);
            reader.GetVersionDirectories("pods").ShouldBeEmpty();
            reader.GetVersionedItems("pods", "v1-preferredversion").ShouldBeEmpty();
            reader.FindItem("horizontalpodautoscalers.autoscaling", "web", "hpa", "v2beta2").ShouldBeNull();
            var hpa = reader.FindItem("horizontalpodautoscalers.autoscaling", "web", "hpa").ShouldNotBeNull();
            Encoding.UTF8.GetString(await reader.ReadItemAsync(hpa)).ShouldBe(Json("hpa"));
            Encoding.UTF8.GetString(await reader.ReadItemAsync(reader.FindItem("pods", "ns-ü", "pöd")!)).ShouldBe(Json("pöd"));
        }

        // An entry under a version directory is not kept, but a link there still refuses the whole archive.
        File.CreateSymbolicLink(Path.Combine(tree, "resources", "pods", "v1-preferredversion", "namespaces", "web", "link.json"), "/etc/passwd");
        var hostile = _folder.Combine("flat-only-link.tar.gz");
        ExternalTools.Tar(tree, "--format=pax", "-czf", hostile, ".");
        var refused = await Should.ThrowAsync<VeleroException>(() => OpenAsync(hostile, options));
        refused.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        refused.Message.ShouldContain("link.json");
    }

    [Fact]
    public async Task GNU_tar_archives_with_directory_entries_and_dot_slash_prefixes_are_read()
    {
        var longName = "cm-" + new string('l', 140);
        var tree = MakeBackupFolder(longName, "ns-ü");
        var archive = _folder.Combine("gnu-dirs.tar.gz");

        ExternalTools.Tar(tree, "--format=gnu", "-czf", archive, ".");

        ExternalTools.Tar(null, "-tzf", archive).ShouldContain("./resources/pods/namespaces/\n");
        await using var reader = await OpenAsync(archive);
        await AssertSampleAsync(reader, longName, "ns-ü");
    }

    [Theory]
    [InlineData("pax")]
    [InlineData("gnu")]
    [InlineData("ustar")]
    public async Task Python_tarfile_archives_are_read(string format)
    {
        var longName = format == "ustar" ? "cm-" + new string('l', 80) : "cm-" + new string('l', 140);
        var ns = format == "ustar" ? "ns-u" : "ns-üé中";
        var entries = new List<object> { new { name = "metadata/version", data = "1.1.0\n" } };
        foreach (var version in new[] { string.Empty, "v1-preferredversion/" })
        {
            entries.Add(new { name = $"resources/namespaces/{version}cluster/web.json", data = Json("web") });
            entries.Add(new { name = $"resources/pods/{version}namespaces/web/nginx-1.json", data = Json("nginx-1") });
            entries.Add(new { name = $"resources/pods/{version}namespaces/{ns}/pöd.json".Replace("pöd", format == "ustar" ? "pod" : "pöd", StringComparison.Ordinal), data = Json(format == "ustar" ? "pod" : "pöd") });
            entries.Add(new { name = $"resources/configmaps/{version}namespaces/web/{longName}.json", data = Json(longName) });
        }

        entries.Add(new { name = "resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/web/hpa.json", data = Json("hpa-v2beta2") });
        entries.Add(new { name = "resources/horizontalpodautoscalers.autoscaling/namespaces/web/hpa.json", data = Json("hpa") });
        entries.Add(new { name = "resources/horizontalpodautoscalers.autoscaling/v1-preferredversion/namespaces/web/hpa.json", data = Json("hpa") });
        var archive = ExternalTools.BuildWithPython(_folder.Path, format, [.. entries]);

        await using var reader = await OpenAsync(archive);

        if (format == "ustar")
        {
            reader.FindItem("pods", ns, "pod").ShouldNotBeNull();
            reader.ItemCount.ShouldBe(5);
            reader.Warnings.ShouldBeEmpty();
        }
        else
        {
            await AssertSampleAsync(reader, longName, ns);
        }
    }

    [Fact]
    public async Task Format_1_0_0_archives_have_only_flat_items()
    {
        var archive = ExternalTools.BuildWithPython(
            _folder.Path,
            "pax",
            new { name = "metadata/version", data = "1.0.0\n" },
            new { name = "resources/pods/namespaces/web/a.json", data = Json("a") },
            new { name = "resources/persistentvolumes/cluster/pv-1.json", data = Json("pv-1") });

        await using var reader = await OpenAsync(archive);

        reader.FormatVersion.ShouldBe("1.0.0");
        reader.GetVersionDirectories("pods").ShouldBeEmpty();
        reader.GetItems("persistentvolumes").Select(i => i.Name).ShouldBe(["pv-1"]);
        reader.GetItems("nothing").ShouldBeEmpty();
        reader.GetNamespaces("nothing").ShouldBeEmpty();
        reader.FindItem("nothing", null, "x").ShouldBeNull();
    }

    [Fact]
    public async Task Items_are_listed_cluster_first_then_by_namespace_sorted_by_name()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true }))
        {
            foreach (var (ns, name) in new[] { ("b", "z"), ("a", "y"), ((string?)null, "c2"), ("b", "a"), (null, "c1"), ("a", "B") })
            {
                await writer.WriteItemAsync("things.example.com", ns, name, "v1", true, Encoding.UTF8.GetBytes(Json(name)));
            }
        }

        buffer.Position = 0;
        await using var reader = await BackupArchiveReader.OpenAsync(buffer, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });

        reader.GetItems("things.example.com").Select(i => $"{i.Namespace}/{i.Name}").ShouldBe(["/c1", "/c2", "a/B", "a/y", "b/a", "b/z"]);
        reader.GetItems("things.example.com", "b").Select(i => i.Name).ShouldBe(["a", "z"]);
        reader.GetItems("things.example.com", "missing").ShouldBeEmpty();
        reader.GetNamespaces("things.example.com").ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task Unexpected_files_and_directories_are_warnings_as_Velero_logs_them()
    {
        var archive = ExternalTools.BuildWithPython(
            _folder.Path,
            "pax",
            new { name = "metadata/version", data = "1.1.0\n" },
            new { name = "metadata/other", data = "ignored quietly" },
            new { name = "resources/pods/namespaces/web/ok.json", data = Json("ok") },
            new { name = "resources/pods/namespaces/stray.json", data = "x" },
            new { name = "resources/pods/cluster/sub/deeper.json", data = "x" },
            new { name = "resources/pods/namespaces/web/sub/deeper.json", data = "x" },
            new { name = "resources/pods/loose.json", data = "x" },
            new { name = "resources/readme.txt", data = "x" },
            new { name = "resources/pods/v1-preferredversion/other/x.json", data = "x" },
            new { name = "notes.txt", data = "x" },
            new { name = "extra/a", data = "x" },
            new { name = "extra/b", data = "x" },
            new { name = "resources/pods/namespaces/web/no-extension", data = Json("raw") },
            new { name = "resources/pods/namespaces/web/ok.json", data = Json("ok-again") });

        await using var reader = await OpenAsync(archive);

        reader.Warnings.ShouldBe(
        [
            "Ignoring unexpected file \"stray.json\" in directory \"resources/pods/namespaces\"",
            "Ignoring unexpected subdirectory \"sub\" in directory \"resources/pods/cluster\"",
            "Ignoring unexpected subdirectory \"sub\" in directory \"resources/pods/namespaces/web\"",
            "Ignoring unexpected file \"loose.json\" in directory \"resources/pods\"",
            "Ignoring unexpected file \"readme.txt\" in directory \"resources\"",
            "Ignoring unexpected subdirectory \"other\" in directory \"resources/pods/v1-preferredversion\"",
            "Ignoring unexpected file \"notes.txt\" in the archive root",
            "Ignoring unexpected directory \"extra\" in the archive root",
            "Duplicate entry \"resources/pods/namespaces/web/ok.json\": the last one is used",
        ]);
        reader.GetItems("pods").Select(i => i.Name).ShouldBe(["no-extension", "ok"]);
        Encoding.UTF8.GetString(await reader.ReadItemAsync(reader.FindItem("pods", "web", "ok")!)).ShouldBe(Json("ok-again"));
        reader.FindItem("pods", "web", "no-extension")!.Path.ShouldBe("resources/pods/namespaces/web/no-extension");
    }

    [Fact]
    public async Task A_directory_of_more_items_than_wait_in_memory_is_read_back_whole_sorted_with_the_last_duplicate_kept()
    {
        // 2,600 pods in namespace a (the records of a directory go to the record file every 508 read), interleaved with 700
        // in b; "dup" in a three times (in the first staged run, a later one, and among the last records still in memory).
        var path = _folder.Combine("many.tar.gz");
        var names = new List<(string Ns, string Name, string Data)>();
        for (int i = 0; i < 2_600; i++)
        {
            names.Add(("a", $"p-{(i * 7919) % 2_600:D5}", $"a{i}"));
            if (i % 4 == 0 && i < 2_800)
            {
                names.Add(("b", $"q-{i:D5}", $"b{i}"));
            }

            if (i is 10 or 1_300 or 2_590)
            {
                names.Add(("a", "dup", $"dup at {i}"));
            }
        }

        await using (var file = File.Create(path))
        await using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        await using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Pax))
        {
            async Task Put(string name, string data)
            {
                var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data)) };
                await tar.WriteEntryAsync(entry);
            }

            await Put("metadata/version", "1.1.0\n");
            foreach (var (ns, name, data) in names)
            {
                await Put($"resources/pods/namespaces/{ns}/{name}.json", Json(data));
            }
        }

        await using var reader = await OpenAsync(path);

        var a = reader.GetItems("pods", "a");
        a.Count.ShouldBe(2_601);
        a.Select(i => i.Name).ShouldBe(names.Where(n => n.Ns == "a").Select(n => n.Name).Distinct().Order(StringComparer.Ordinal));
        reader.GetItems("pods", "b").Select(i => i.Name).ShouldBe(names.Where(n => n.Ns == "b").Select(n => n.Name).Order(StringComparer.Ordinal));
        reader.ItemCount.ShouldBe(2_601 + names.Count(n => n.Ns == "b"));
        reader.Warnings.ShouldBe(["Duplicate entry \"resources/pods/namespaces/a/dup.json\": the last one is used"]); // said once
        Encoding.UTF8.GetString(await reader.ReadItemAsync(reader.FindItem("pods", "a", "dup")!)).ShouldBe(Json("dup at 2590"));
        foreach (var i in new[] { 0, 507, 508, 1_016, 2_599 })
        {
            var item = reader.FindItem("pods", "a", $"p-{(i * 7919) % 2_600:D5}").ShouldNotBeNull();
            Encoding.UTF8.GetString(await reader.ReadItemAsync(item)).ShouldBe(Json($"a{i}"));
        }
    }

    [Fact]
    public async Task Items_are_made_when_asked_for_in_order_and_equal_across_lookups()
    {
        var archive = ExternalTools.BuildWithPython(
            _folder.Path,
            "pax",
            new { name = "metadata/version", data = "1.1.0\n" },
            new { name = "resources/pods/namespaces/b/x.json", data = Json("b/x") },
            new { name = "resources/pods/namespaces/a/y.json", data = Json("a/y") },
            new { name = "resources/pods/namespaces/a/x.json", data = Json("a/x first") },
            new { name = "resources/pods/namespaces/b/\u00e9t\u00e9.json", data = Json("b/\u00e9t\u00e9") },
            new { name = "resources/pods/cluster/c.json", data = Json("c") },
            new { name = "resources/pods/namespaces/a/x.json", data = Json("a/x last") },
            new { name = "resources/pods/namespaces/b/x.json", data = Json("b/x last") });

        await using var reader = await OpenAsync(archive);

        var all = reader.GetItems("pods");
        all.Select(i => i.Path).ShouldBe(
        [
            "resources/pods/cluster/c.json",
            "resources/pods/namespaces/a/x.json",
            "resources/pods/namespaces/a/y.json",
            "resources/pods/namespaces/b/x.json",
            "resources/pods/namespaces/b/\u00e9t\u00e9.json",
        ]);
        Enumerable.Range(0, all.Count).Select(i => all[i].Path).ShouldBe(all.Select(i => i.Path), "the indexer and the enumeration agree across scopes");
        reader.ItemCount.ShouldBe(5);
        reader.Warnings.ShouldBe(
        [
            "Duplicate entry \"resources/pods/namespaces/a/x.json\": the last one is used",
            "Duplicate entry \"resources/pods/namespaces/b/x.json\": the last one is used",
        ]);

        var found = reader.FindItem("pods", "a", "x").ShouldNotBeNull();
        var listed = reader.GetItems("pods", "a")[0];
        found.ShouldNotBeSameAs(listed);
        found.ShouldBe(listed);
        found.GetHashCode().ShouldBe(listed.GetHashCode());
        found.ShouldNotBe(reader.FindItem("pods", "b", "x"));
        all[3].ShouldBe(reader.FindItem("pods", "b", "x"));
        reader.FindItem("pods", "b", "\u00e9t\u00e9").ShouldNotBeNull().Name.ShouldBe("\u00e9t\u00e9");
        reader.FindItem("pods", "a", "z").ShouldBeNull();
        reader.FindItem("pods", null, "c").ShouldNotBeNull().IsClusterScoped.ShouldBeTrue();
        Encoding.UTF8.GetString(await reader.ReadItemAsync(found)).ShouldBe(Json("a/x last"));
        Encoding.UTF8.GetString(await reader.ReadItemAsync(all[3])).ShouldBe(Json("b/x last"));

        await using var other = await OpenAsync(archive);
        other.FindItem("pods", "a", "x").ShouldNotBe(found, "an item of another reader is another item");
    }

    [Fact]
    public async Task Without_resources_the_warning_is_Veleros_zero_items_text()
    {
        var archive = ExternalTools.BuildWithPython(_folder.Path, "pax", new { name = "metadata/version", data = "1.1.0\n" });

        await using var reader = await OpenAsync(archive);

        reader.HasResources.ShouldBeFalse();
        reader.ItemCount.ShouldBe(0);
        reader.GroupResources.ShouldBeEmpty();
        reader.Warnings.ShouldBe([$"zero items to be restored: directory \"{reader.ExtractionDirectory}/resources\": does not exist"]);
        reader.ExtractionDirectory.ShouldStartWith(_folder.Path);
    }

    [Fact]
    public async Task A_real_Go_written_tarball_from_Velero_is_read_and_has_no_backup_content()
    {
        // The only real Velero-written tarball in the test data is a `velero debug` bundle (Go archive/tar, directory
        // entries, mode 0644/0744): not a backup, so a restore would find zero items.
        var path = TestData.Path("velero-backups", "velero-debug-bundle-2022-11-29", "debug-bundle-1669709736054564976.tar.gz");

        await using var reader = await OpenAsync(path);

        reader.EntryCount.ShouldBe(27, "as `tar -tzf` lists it");
        reader.HasResources.ShouldBeFalse();
        reader.FormatVersion.ShouldBeNull();
        reader.Warnings.ShouldBe(
        [
            "Ignoring unexpected directory \"velero-bundle\" in the archive root",
            $"zero items to be restored: directory \"{reader.ExtractionDirectory}/resources\": does not exist",
        ]);
    }

    [Fact]
    public async Task An_empty_tar_is_valid_with_zero_items()
    {
        var archive = ExternalTools.BuildWithPython(_folder.Path, "pax");

        await using var reader = await OpenAsync(archive);

        reader.EntryCount.ShouldBe(0);
        reader.HasResources.ShouldBeFalse();
    }

    [Fact]
    public async Task Items_can_be_streamed_and_read_concurrently()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true }))
        {
            for (var i = 0; i < 300; i++)
            {
                await writer.WriteItemAsync("secrets", "ns", $"s{i}", "v1", true, Encoding.UTF8.GetBytes(Json($"s{i}") + new string(' ', i * 37)));
            }
        }

        buffer.Position = 0;
        await using var reader = await BackupArchiveReader.OpenAsync(buffer, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });

        await Parallel.ForEachAsync(reader.GetItems("secrets"), async (item, ct) =>
        {
            var bytes = await reader.ReadItemAsync(item, ct);
            await using var stream = reader.OpenItem(item);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            copy.ToArray().ShouldBe(bytes);
            Encoding.UTF8.GetString(bytes).TrimEnd().ShouldBe(Json(item.Name));
            item.Length.ShouldBe(bytes.Length);
        });
    }

    [Fact]
    public async Task Dispose_deletes_the_private_folder_and_stops_reads()
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true }))
        {
            await writer.WriteItemAsync("pods", "ns", "p", "v1", true, Encoding.UTF8.GetBytes(Json("p")));
        }

        buffer.Position = 0;
        var reader = await BackupArchiveReader.OpenAsync(buffer, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });
        buffer.Position = 0;
        await using var other = await BackupArchiveReader.OpenAsync(buffer, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });
        var item = reader.FindItem("pods", "ns", "p")!;
        Directory.Exists(reader.ExtractionDirectory).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(reader.ExtractionDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.GetFileSystemEntries(reader.ExtractionDirectory).ShouldBeEmpty("the data file is unlinked while open");
        }

        await Should.ThrowAsync<ArgumentException>(() => other.ReadItemAsync(item));
        reader.Dispose();
        reader.Dispose();

        Directory.Exists(reader.ExtractionDirectory).ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(() => reader.ReadItemAsync(item));
        Should.Throw<ObjectDisposedException>(() => reader.OpenItem(item));
    }

    [Fact]
    public async Task Memory_stays_flat_the_item_bytes_live_in_the_data_file()
    {
        var path = _folder.Combine("many.tar.gz");
        var payload = new string('x', 4000);
        await using (var writer = new BackupArchiveWriter(File.Create(path), new BackupArchiveWriterOptions { CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }))
        {
            for (var i = 0; i < 20_000; i++)
            {
                await writer.WriteItemAsync("configmaps", $"ns-{i % 50}", $"cm-{i}", "v1", true, Encoding.UTF8.GetBytes($"{{\"i\":{i},\"p\":\"{payload}\"}}"));
            }
        }

        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var reader = await OpenAsync(path);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        reader.ItemCount.ShouldBe(20_000);
        reader.DataLength.ShouldBeGreaterThan(2L * 20_000 * 4000, "flat and preferred-version copies are in the data file");
        (after - before).ShouldBeLessThan(20_000L * 2 * 400, "the index costs a few hundred bytes per entry, not the 80 MB of content");
    }

    [Fact]
    public async Task An_open_readers_index_records_are_in_its_record_file_and_read_back_in_order()
    {
        var path = _folder.Combine("records.tar.gz");
        var names = Enumerable.Range(0, 5_000).Select(i => $"cm-{(i * 7919) % 5_000:D5}").ToList(); // written out of order
        await using (var writer = new BackupArchiveWriter(File.Create(path), new BackupArchiveWriterOptions { CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }))
        {
            foreach (var name in names)
            {
                await writer.WriteItemAsync("configmaps", name.EndsWith('7') ? null : $"ns-{name[^1]}", name, "v1", true, Encoding.UTF8.GetBytes($"{{\"n\":\"{name}\"}}"));
            }
        }

        await using var reader = await OpenAsync(path, new BackupArchiveReaderOptions { TempDirectory = _folder.Path, IndexVersionDirectories = false });

        reader.IndexRecordBytes.ShouldBe(5_000L * Velero.Sdk.Archive.ItemSet.RecordBytes, "one 20-byte record per flat item, out of memory");
        reader.IndexNameBytes.ShouldBe(5_000L * 9, "each name (8 bytes) after its length, out of memory");
        Directory.EnumerateFiles(reader.ExtractionDirectory).ShouldBeEmpty("the data, record and name files are unlinked");
        var all = reader.GetItems("configmaps");
        all.Select(i => (i.Namespace, i.Name)).ShouldBe(
            names.Select(n => (Namespace: n.EndsWith('7') ? null : $"ns-{n[^1]}", Name: n)).OrderBy(x => x.Namespace is not null).ThenBy(x => x.Namespace, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal),
            "cluster-scoped first, then by namespace, each by name");
        Enumerable.Range(0, all.Count).Select(i => all[i].Path).ShouldBe(all.Select(i => i.Path), "by index as enumerated");
        reader.IndexedItems.ShouldBe(5_000);
        all.Select(i => i.Ordinal).Order().ShouldBe(Enumerable.Range(0, 5_000).Select(i => (long)i), "each item its own number, below the count");
        Enumerable.Range(0, all.Count).Select(i => all[i].Ordinal).ShouldBe(all.Select(i => i.Ordinal), "the same number by index as enumerated");
        foreach (var name in new[] { "cm-00000", "cm-04999", "cm-02467" })
        {
            var ns = name.EndsWith('7') ? null : $"ns-{name[^1]}";
            var found = reader.FindItem("configmaps", ns, name).ShouldNotBeNull();
            Encoding.UTF8.GetString(await reader.ReadItemAsync(found)).ShouldBe($"{{\"n\":\"{name}\"}}");
        }

        reader.FindItem("configmaps", "ns-0", "cm-00001").ShouldBeNull("in another namespace");
        reader.GetItems("configmaps", "ns-3").Count.ShouldBe(500);
    }

    [Fact]
    public async Task Long_and_non_ASCII_names_are_read_back_from_the_name_file()
    {
        var path = _folder.Combine("long-names.tar.gz");
        string[] names = [new string('l', 300), "zé-" + new string('ü', 200), "a", "ö"];
        await using (var writer = new BackupArchiveWriter(File.Create(path), new BackupArchiveWriterOptions { CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }))
        {
            foreach (var name in names)
            {
                await writer.WriteItemAsync("configmaps", "ns", name, "v1", true, Encoding.UTF8.GetBytes($"{{\"n\":\"{name}\"}}"));
            }
        }

        await using var reader = await OpenAsync(path, new BackupArchiveReaderOptions { TempDirectory = _folder.Path, IndexVersionDirectories = false });

        reader.GetItems("configmaps", "ns").Select(i => i.Name).ShouldBe(names.Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            var found = reader.FindItem("configmaps", "ns", name).ShouldNotBeNull(name);
            found.Name.ShouldBe(name);
            Encoding.UTF8.GetString(await reader.ReadItemAsync(found)).ShouldBe($"{{\"n\":\"{name}\"}}");
        }

        reader.FindItem("configmaps", "ns", new string('l', 299)).ShouldBeNull("a prefix of a long name is another name");
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Velero.Sdk.Archive;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

/// <summary>
/// Restores of archives the library did not write: laid out as real Velero writes them, built with GNU tar and Python's
/// tarfile; and hostile or damaged ones, which must be refused before anything is created.
/// </summary>
public sealed class ForeignArchiveRestoreTests : IAsyncLifetime
{
    private const string LongName = "a-config-map-with-a-name-long-enough-that-its-tar-path-needs-a-pax-or-gnu-long-name-header-0123456789";
    private KubernetesApiServer _target = null!;
    private InMemoryObjectStore _store = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _target = await KubernetesApiServer.StartAsync();
        _store = new InMemoryObjectStore();
        _dir = Directory.CreateTempSubdirectory("velero-foreign-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    // What Velero 1.x writes for a backup of namespace "legacy": every item at its flat path and under the preferred version.
    private static readonly (string Path, string Json)[] VeleroItems =
    [
        ("resources/namespaces/cluster/legacy.json", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"legacy","labels":{"owner":"ops"},"uid":"u1","resourceVersion":"5"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"""),
        ("resources/configmaps/namespaces/legacy/app-config.json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config","namespace":"legacy","uid":"u2","resourceVersion":"9","creationTimestamp":"2024-01-02T03:04:05Z"},"data":{"mode":"prod"},"extraFromTheFuture":{"n":1.50}}"""),
        ($"resources/configmaps/namespaces/legacy/{LongName}.json", $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{LongName}}}","namespace":"legacy"},"data":{"k":"v"}}"""),
        ("resources/deployments.apps/namespaces/legacy/web.json", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"legacy","generation":3},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}},"status":{"replicas":2}}"""),
    ];

    private string[] WriteVeleroLayout(bool versioned = true)
    {
        var files = new List<string> { "metadata/version" };
        Write("metadata/version", "1.1.0\n");
        foreach (var (path, json) in VeleroItems)
        {
            Write(path, json);
            files.Add(path);
            if (versioned)
            {
                var parts = path.Split('/');
                var versionedPath = string.Join('/', parts[..2].Append("v1-preferredversion").Concat(parts[2..]));
                Write(versionedPath, json);
                files.Add(versionedPath);
            }
        }

        return [.. files];
    }

    private void Write(string relative, string content)
    {
        var full = Path.Combine(_dir, "src", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private static void Run(string file, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, $"{file} failed: {err}");
    }

    private void PutBackup(string name, byte[] tarball)
    {
        var backup = new JsonObject
        {
            ["apiVersion"] = "velero.io/v1",
            ["kind"] = "Backup",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "velero" },
            ["spec"] = new JsonObject { ["includedNamespaces"] = new JsonArray("legacy") },
            ["status"] = new JsonObject { ["phase"] = "Completed", ["formatVersion"] = "1.1.0", ["version"] = 1 },
        };
        _store.SetBytes($"backups/{name}/velero-backup.json", Encoding.UTF8.GetBytes(backup.ToJsonString()));
        _store.SetBytes($"backups/{name}/{name}.tar.gz", tarball);
    }

    private async Task<RestoreResult> RestoreAsync(string backup, Func<RestoreBuilder, RestoreBuilder>? configure = null)
    {
        using var client = new VeleroClientBuilder().UseKubernetes(_target.CreateClientConfiguration()).UseObjectStore(_store).Build();
        return await client.RestoreAsync((configure ?? (r => r))(new RestoreBuilder(backup, "r-" + backup)).Build());
    }

    private void AssertLegacyRestored(RestoreResult result)
    {
        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        var cm = _target.GetObject("v1", "ConfigMap", "legacy", "app-config")!;
        cm["data"]!["mode"]!.GetValue<string>().ShouldBe("prod");
        cm["extraFromTheFuture"]!.ToJsonString().ShouldBe("""{"n":1.50}""");
        cm["metadata"]!["uid"]!.GetValue<string>().ShouldNotBe("u2");
        _target.GetObject("v1", "ConfigMap", "legacy", LongName).ShouldNotBeNull();
        _target.GetObject("apps/v1", "Deployment", "legacy", "web")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        _target.GetObject("v1", "Namespace", null, "legacy")!["metadata"]!["labels"]!["owner"]!.GetValue<string>().ShouldBe("ops");
    }

    [Fact]
    public async Task An_archive_written_by_gnu_tar_in_velero_s_layout_restores()
    {
        var files = WriteVeleroLayout();
        var tarball = Path.Combine(_dir, "gnu.tar.gz");
        Run("tar", Path.Combine(_dir, "src"), ["--format=pax", "--mode=0755", "--owner=0", "--group=0", "-czf", tarball, .. files]);
        var entries = Backup.TarballReader.Read(File.ReadAllBytes(tarball)).Entries;
        entries.ShouldAllBe(e => e.Type == System.Formats.Tar.TarEntryType.RegularFile, "files only, no directory entries");
        entries.ShouldAllBe(e => e.Mode == (UnixFileMode)0b111_101_101, "mode 0755");
        entries.First().Name.ShouldBe("metadata/version");

        PutBackup("gnu", File.ReadAllBytes(tarball));
        AssertLegacyRestored(await RestoreAsync("gnu"));
    }

    [Fact]
    public async Task An_archive_written_by_python_tarfile_with_gnu_long_names_and_no_versioned_paths_restores()
    {
        var files = WriteVeleroLayout(versioned: false);
        var tarball = Path.Combine(_dir, "py.tar.gz");
        var script = """
            import sys, tarfile
            out, root, names = sys.argv[1], sys.argv[2], sys.argv[3:]
            with tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT) as t:
                for n in names:
                    info = t.gettarinfo(root + "/" + n, arcname=n)
                    info.mode = 0o755
                    with open(root + "/" + n, "rb") as f:
                        t.addfile(info, f)
            """;
        File.WriteAllText(Path.Combine(_dir, "mk.py"), script);
        Run("/usr/bin/python3", _dir, ["mk.py", tarball, Path.Combine(_dir, "src"), .. files]);

        PutBackup("py", File.ReadAllBytes(tarball));
        AssertLegacyRestored(await RestoreAsync("py"));
    }

    [Fact]
    public async Task An_item_whose_json_does_not_parse_is_an_error_and_the_rest_is_restored()
    {
        var files = WriteVeleroLayout(versioned: false).ToList();
        Write("resources/secrets/namespaces/legacy/broken.json", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",");
        files.Add("resources/secrets/namespaces/legacy/broken.json");
        var tarball = Path.Combine(_dir, "broken.tar.gz");
        Run("tar", Path.Combine(_dir, "src"), ["--format=pax", "-czf", tarball, .. files]);
        PutBackup("broken", File.ReadAllBytes(tarball));

        var result = await RestoreAsync("broken");

        result.Phase.ShouldBe(RestorePhase.PartiallyFailed);
        result.Errors.Namespaces!["legacy"].ShouldHaveSingleItem().ShouldStartWith("error decoding \"resources/secrets/namespaces/legacy/broken.json\": ");
        _target.GetObject("v1", "ConfigMap", "legacy", "app-config").ShouldNotBeNull();
    }

    public static TheoryData<string, string> HostileArchives => new()
    {
        { "traversal", "../evil.json" },
        { "sibling-prefix", "resources/../resources-evil/x.json" },
        { "absolute", "/etc/evil.json" },
        { "symlink", "resources/configmaps/namespaces/legacy/link.json" },
        { "hardlink", "resources/configmaps/namespaces/legacy/hard.json" },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task A_hostile_archive_is_refused_and_nothing_is_created(string kind, string entry)
    {
        var files = WriteVeleroLayout(versioned: false);
        var tarball = Path.Combine(_dir, kind + ".tar.gz");
        var script = """
            import io, sys, tarfile
            out, root, kind, entry, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
            with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as t:
                for n in names:
                    t.add(root + "/" + n, arcname=n, recursive=False)
                info = tarfile.TarInfo(entry)
                if kind == "symlink":
                    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                    t.addfile(info)
                elif kind == "hardlink":
                    info.type, info.linkname = tarfile.LNKTYPE, "metadata/version"
                    t.addfile(info)
                else:
                    data = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"evil","namespace":"legacy"}}'
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
            """;
        File.WriteAllText(Path.Combine(_dir, "hostile.py"), script);
        Run("/usr/bin/python3", _dir, ["hostile.py", tarball, Path.Combine(_dir, "src"), kind, entry, .. files]);
        PutBackup(kind, File.ReadAllBytes(tarball));
        _target.RequestCounters.Reset();

        var result = await RestoreAsync(kind);

        result.Phase.ShouldBe(RestorePhase.Failed);
        result.FailureReason.ShouldNotBeNull().ShouldContain(entry.TrimStart('/'));
        AssertNothingCreated();
    }

    [Fact]
    public async Task A_gzip_bomb_a_truncated_gzip_and_garbage_are_refused_and_nothing_is_created()
    {
        // 200 MB of zeros in one entry: far above the allowed compression ratio.
        using (var bomb = new MemoryStream())
        {
            using (var gz = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
            using (var tar = new System.Formats.Tar.TarWriter(gz, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "resources/configmaps/namespaces/legacy/bomb.json")
                {
                    DataStream = new ZeroStream(200L * 1024 * 1024),
                };
                tar.WriteEntry(entry);
            }

            PutBackup("bomb", bomb.ToArray());
        }

        var files = WriteVeleroLayout(versioned: false);
        var tarball = Path.Combine(_dir, "ok.tar.gz");
        Run("tar", Path.Combine(_dir, "src"), ["--format=pax", "-czf", tarball, .. files]);
        var ok = File.ReadAllBytes(tarball);
        PutBackup("truncated", ok[..(ok.Length - 9)]);
        PutBackup("garbage", Encoding.UTF8.GetBytes("this is not a gzip file at all"));
        _target.RequestCounters.Reset();

        foreach (var name in new[] { "bomb", "truncated", "garbage" })
        {
            var result = await RestoreAsync(name);
            result.Phase.ShouldBe(RestorePhase.Failed, name);
            result.FailureReason.ShouldNotBeNull().ShouldStartWith($"error reading backup {name}: ");
        }

        AssertNothingCreated();
    }

    private void AssertNothingCreated()
    {
        _target.RequestCounters.Get("create").ShouldBe(0);
        _target.RequestCounters.Get("patch").ShouldBe(0);
        _target.GetObject("v1", "Namespace", null, "legacy").ShouldBeNull();
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace Velero.Sdk.Tests.Archive;

/// <summary>Runs GNU tar and Python's tarfile, the independent implementations the archive tests compare with.</summary>
internal static class ExternalTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Builds a gzipped tar with Python's tarfile from entry descriptions: <c>name</c>, <c>type</c> (<c>file</c>, <c>dir</c>,
    /// <c>symlink</c>, <c>hardlink</c>, <c>chr</c>, <c>blk</c>, <c>fifo</c>), <c>data</c> (text) or <c>zeros</c> (a size),
    /// <c>link</c>, <c>mode</c>. Returns the archive's path.
    /// </summary>
    public const string BuildScript = """
        import io, json, sys, tarfile
        spec = json.load(open(sys.argv[1], encoding="utf-8"))
        formats = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}
        class Zeros:
            def __init__(self, n): self.n = n
            def read(self, k=-1):
                if self.n <= 0: return b""
                k = self.n if k < 0 else min(k, self.n)
                self.n -= k
                return bytes(k)
        types = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                 "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}
        with tarfile.open(spec["out"], "w:gz", format=formats[spec["format"]], compresslevel=6) as t:
            for e in spec["entries"]:
                info = tarfile.TarInfo(e["name"])
                info.mode = e.get("mode", 0o755)
                info.mtime = 1700000000
                kind = e.get("type", "file")
                body = None
                if kind == "file":
                    if "zeros" in e:
                        info.size = e["zeros"]
                        body = Zeros(info.size)
                    else:
                        data = e.get("data", "").encode("utf-8")
                        info.size = len(data)
                        body = io.BytesIO(data)
                else:
                    info.type = types[kind]
                    info.linkname = e.get("link", "")
                    if kind in ("chr", "blk"):
                        info.devmajor, info.devminor = 1, 3
                t.addfile(info, body)
        """;

    /// <summary>Describes the archive's members as Python's tarfile reads them, one JSON object per member.</summary>
    public const string InspectScript = """
        import json, sys, tarfile
        with tarfile.open(sys.argv[1], "r:gz") as t:
            for m in t.getmembers():
                print(json.dumps({"name": m.name, "type": m.type.decode(), "mode": m.mode, "uid": m.uid, "gid": m.gid,
                                  "uname": m.uname, "gname": m.gname, "mtime": m.mtime, "size": m.size,
                                  "pax": m.pax_headers}, ensure_ascii=False))
        """;

    public static string BuildWithPython(string folder, string format, params object[] entries)
    {
        var output = Path.Combine(folder, $"python-{format}-{Guid.NewGuid():N}.tar.gz");
        var spec = Path.Combine(folder, $"spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, JsonSerializer.Serialize(new { @out = output, format, entries }));
        Run(Python, null, "-c", BuildScript, spec);
        return output;
    }

    public static List<JsonElement> InspectWithPython(string archive) =>
        Run(Python, null, "-c", InspectScript, archive)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    /// <summary>Runs GNU tar in UTC and returns its standard output.</summary>
    public static string Tar(string? workingDirectory, params string[] arguments) => Run("tar", workingDirectory, arguments);

    public static string Run(string program, string? workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TZ"] = "UTC";
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments.Take(1))} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }
}

using k8s;
using Velero.Cli.CommandLine;
using Velero.Sdk;
using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;
using Velero.Sdk.Storage;

namespace Velero.Cli;

/// <summary>
/// What every command shares: the global flags (namespace, cluster, storage, snapshot locations), the output streams and,
/// made on first use, the bucket and the <see cref="VeleroClient"/>. Direct mode: nothing but the engine in this process.
/// </summary>
internal sealed class CliContext : IDisposable
{
    private readonly ParsedArgs _args;
    private readonly List<IDisposable> _owned = [];
    private BackupStore? _store;
    private (ObjectStore Store, string? Prefix)? _objectStore;
    private VeleroClient? _client;

    public CliContext(ParsedArgs args, TextWriter stdout, TextWriter stderr)
    {
        _args = args;
        Out = stdout;
        Err = stderr;
        Namespace = args.Get("namespace") is { Length: > 0 } ns ? ns
            : Environment.GetEnvironmentVariable("VELERO_NAMESPACE") is { Length: > 0 } env ? env
            : VeleroConstants.DefaultNamespace;
    }

    /// <summary>Standard output: results, and with <c>-o json|yaml</c> exactly one document.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: progress, warnings and the reasons of a failure.</summary>
    public TextWriter Err { get; }

    /// <summary>The Velero namespace (<c>-n</c>).</summary>
    public string Namespace { get; }

    /// <summary>The clock default names and ages are read from (UTC).</summary>
    public TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>The <c>--storage</c> value as given (default <c>./velero-data</c>).</summary>
    public string StorageText => _args.Get("storage") is { Length: > 0 } s ? s : "./velero-data";

    /// <summary>The bucket, without a cluster (get, describe, logs, download, delete).</summary>
    public BackupStore Store => _store ??= CreateStore();

    /// <summary>The engine: the cluster of <c>--kubeconfig</c>/<c>KUBECONFIG</c>, the bucket and the snapshot locations.</summary>
    public VeleroClient Client => _client ??= CreateClient();

    /// <summary>
    /// A client for deleting backups: deletion runs no item action of the cluster (this CLI registers no delete item action),
    /// only the snapshot locations and the bucket, so it works without a cluster too.
    /// </summary>
    public VeleroClient DeletionClient
    {
        get
        {
            try
            {
                return Client;
            }
            catch (UsageException) when (_args.Get("kubeconfig") is null && _args.Get("kubecontext") is null)
            {
                return _client = CreateClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
            }
        }
    }

    /// <summary>The names the <c>--snapshot-location</c> flags give their locations: <c>default</c>, then <c>&lt;provider&gt;-2</c>, ...</summary>
    public IReadOnlyList<string> SnapshotLocationNames =>
        [.. _args.GetList("snapshot-location").Select((text, i) => i == 0 ? VeleroConstants.DefaultBackupStorageLocation : $"{ProviderOf(text)}-{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}")];

    /// <summary>Where a folder storage lives, for messages; <see langword="null"/> for S3.</summary>
    public string? StorageFolder => StorageText.StartsWith("s3://", StringComparison.Ordinal) ? null : Path.GetFullPath(StorageText);

    /// <summary>The cluster of <c>--kubeconfig</c>/<c>--kubecontext</c>/<c>KUBECONFIG</c>.</summary>
    public KubernetesClientConfiguration Cluster => KubernetesConfiguration();

    /// <summary>Whether <c>server</c> adds <c>--storage</c> as the BackupStorageLocation <c>default</c> (only when the namespace has none).</summary>
    public bool UseStorageAsLocation { get; set; } = true;

    /// <summary>Gives a hosted server the <c>--storage</c> location (as <c>default</c>) and the <c>--snapshot-location</c> locations.</summary>
    public void AddLocations(Velero.Sdk.Hosting.VeleroServerBuilder server)
    {
        if (UseStorageAsLocation)
        {
            var text = StorageText;
            if (text.StartsWith("s3://", StringComparison.Ordinal))
            {
                var rest = text["s3://".Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                server.AddBackupStorageLocation(VeleroConstants.DefaultBackupStorageLocation, new V1BackupStorageLocationSpec
                {
                    Provider = "aws",
                    ObjectStorage = new V1ObjectStorageLocation { Bucket = slash < 0 ? rest : rest[..slash], Prefix = slash < 0 ? null : rest[(slash + 1)..].Trim('/') },
                    Config = new Dictionary<string, string>(_args.GetMap("storage-config"), StringComparer.Ordinal),
                    Default = true,
                });
            }
            else
            {
                Directory.CreateDirectory(Path.GetFullPath(text));
                server.AddFileSystemBackupStorageLocation(VeleroConstants.DefaultBackupStorageLocation, Path.GetFullPath(text));
            }
        }

        var names = SnapshotLocationNames;
        var index = 0;
        foreach (var text in _args.GetList("snapshot-location"))
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            server.AddVolumeSnapshotLocation(names[index++], new V1VolumeSnapshotLocationSpec
            {
                Provider = ProviderOf(text),
                Config = ParseConfig(text, colon),
            });
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }

    private (ObjectStore Store, string? Prefix) ObjectStore()
    {
        if (_objectStore is { } made)
        {
            return made;
        }

        var config = _args.GetMap("storage-config");
        var text = StorageText;
        if (text.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = text["s3://".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? null : rest[(slash + 1)..].Trim('/');
            if (bucket.Length == 0)
            {
                throw new UsageException($"invalid argument \"{text}\" for \"--storage\" flag: the bucket name is missing (s3://bucket[/prefix])");
            }

            try
            {
                var s3 = S3ObjectStore.Create(config, bucket);
                _owned.Add(s3);
                _objectStore = (s3, string.IsNullOrEmpty(prefix) ? null : prefix);
            }
            catch (VeleroException e)
            {
                throw new UsageException($"invalid argument for \"--storage-config\" flag: {e.Message}");
            }
        }
        else
        {
            if (config.Count > 0)
            {
                throw new UsageException("--storage-config applies to an s3://bucket storage only");
            }

            _objectStore = (new FileSystemObjectStore(Path.GetFullPath(text)), null);
        }

        return _objectStore.Value;
    }

    private BackupStore CreateStore()
    {
        var (store, prefix) = ObjectStore();
        return new BackupStore(store, prefix);
    }

    private VeleroClient CreateClient(KubernetesClientConfiguration? cluster = null)
    {
        var (store, prefix) = ObjectStore();
        var builder = new VeleroClientBuilder()
            .UseKubernetes(cluster ?? KubernetesConfiguration())
            .UseObjectStore(store, prefix)
            .UseTimeProvider(Time);
        builder.Restore.VeleroNamespace = Namespace;
        var names = SnapshotLocationNames;
        var index = 0;
        foreach (var text in _args.GetList("snapshot-location"))
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var provider = ProviderOf(text);
            var config = ParseConfig(text, colon);

            if (provider is not ("aws" or "velero.io/aws"))
            {
                throw new UsageException($"invalid argument \"{text}\" for \"--snapshot-location\" flag: unknown provider \"{provider}\" (this CLI has aws)");
            }

            EbsVolumeSnapshotter snapshotter;
            try
            {
                snapshotter = EbsVolumeSnapshotter.Create(config);
            }
            catch (VeleroException e)
            {
                throw new UsageException($"invalid argument \"{text}\" for \"--snapshot-location\" flag: {e.Message}");
            }

            _owned.Add(snapshotter);
            builder.AddVolumeSnapshotLocation(names[index++], provider, snapshotter);
        }

        return builder.Build();
    }

    private static Dictionary<string, string> ParseConfig(string text, int colon)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in colon < 0 ? [] : text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"invalid argument \"{text}\" for \"--snapshot-location\" flag: {pair} must be formatted as key=value");
            }

            config[pair[..eq]] = pair[(eq + 1)..];
        }

        return config;
    }

    private static string ProviderOf(string text) => text.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? text[..colon] : text;

    private KubernetesClientConfiguration KubernetesConfiguration()
    {
        var path = _args.Get("kubeconfig");
        var context = _args.Get("kubecontext");
        try
        {
            if (path is null && context is null)
            {
                return KubernetesClientConfiguration.BuildDefaultConfig();
            }

            path ??= Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator)[0];
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException)
        {
            throw new UsageException($"no cluster: {e.Message} (use --kubeconfig or KUBECONFIG)");
        }
    }
}

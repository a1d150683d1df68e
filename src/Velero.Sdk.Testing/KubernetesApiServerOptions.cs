namespace Velero.Sdk.Testing;

/// <summary>Options of a <see cref="KubernetesApiServer"/>.</summary>
public sealed class KubernetesApiServerOptions
{
    /// <summary>The TCP port to listen on, on 127.0.0.1. 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;token&gt;</c>; others get 401 Unauthorized.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The clock for creation and deletion timestamps. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How many change events the server keeps for watches and consistent list pages (default 100,000). Older
    /// watch resourceVersions and continue tokens are answered with 410, as after an etcd compaction.
    /// </summary>
    public int HistorySize { get; set; } = 100_000;

    /// <summary>How often an idle watch that asked for bookmarks gets a BOOKMARK event (default 10 seconds).</summary>
    public TimeSpan WatchBookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The seed of the random numbers used by fault rates and generated names (null: not reproducible).</summary>
    public int? RandomSeed { get; set; }

    /// <summary>The version <c>/version</c> reports (default 1.32.0).</summary>
    public Version KubernetesVersion { get; set; } = new(1, 32, 0);
}

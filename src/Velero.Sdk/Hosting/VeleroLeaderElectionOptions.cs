namespace Velero.Sdk.Hosting;

/// <summary>
/// Leader election on a coordination.k8s.io Lease in the server's namespace, so several replicas of a host run safely: only the
/// holder reconciles, and another takes over when it stops renewing.
/// </summary>
public sealed class VeleroLeaderElectionOptions
{
    /// <summary>Whether to elect a leader (on by default; a single replica simply takes the lease).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Lease's name (<c>velero-sdk</c>).</summary>
    public string LeaseName { get; set; } = "velero-sdk";

    /// <summary>This replica's identity in the Lease (the machine name and a random suffix by default).</summary>
    public string Identity { get; set; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long a lease lasts without renewal before another replica may take it (15 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading (10 s).</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often replicas try to acquire or renew (2 s).</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}

using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Settings of the hosted reconciler (<c>services.AddVelero(...)</c>): the Velero server's flags, with its defaults.
/// Checked when the host starts (<see cref="Validate"/>).
/// </summary>
public sealed class VeleroServerOptions
{
    /// <summary>The controller names <see cref="DisabledControllers"/> accepts (Velero's <c>--disable-controllers</c>).</summary>
    public static IReadOnlyList<string> ControllerNames { get; } =
    [
        "backup-queue", "backup", "backup-deletion", "backup-sync", "backup-storage-location", "download-request", "gc", "restore",
        "schedule", "server-status-request",
    ];

    /// <summary>The namespace whose velero.io resources the host reconciles (<c>velero</c>).</summary>
    public string Namespace { get; set; } = VeleroConstants.DefaultNamespace;

    /// <summary>The storage location used when a backup names none and no location is marked default (<c>default</c>).</summary>
    public string DefaultBackupStorageLocation { get; set; } = VeleroConstants.DefaultBackupStorageLocation;

    /// <summary>
    /// Restore-only mode (<c>--restore-only</c>): backups, backup deletion, schedules and garbage collection are off; restores,
    /// sync, locations and requests still work.
    /// </summary>
    public bool RestoreOnly { get; set; }

    /// <summary>How many backups run at once (<c>--concurrent-backups</c>, 1); backups whose namespaces overlap never run together.</summary>
    public int ConcurrentBackups { get; set; } = 1;

    /// <summary>How often expired backups are looked for (<c>--garbage-collection-frequency</c>, 1 h).</summary>
    public TimeSpan GarbageCollectionFrequency { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each location's bucket is synced into Backup resources (<c>--backup-sync-period</c>, 1 min).</summary>
    public TimeSpan BackupSyncPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each location is validated (<c>--store-validation-frequency</c>, 1 min).</summary>
    public TimeSpan StoreValidationFrequency { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often schedules are checked for a due backup (1 min).</summary>
    public TimeSpan ScheduleCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>What an absent <c>spec.skipImmediately</c> means (<c>--schedule-skip-immediately</c>, false).</summary>
    public bool ScheduleSkipImmediately { get; set; }

    /// <summary>
    /// True (the default): a new schedule backs up at once, then at each cron tick, as the product description says. False:
    /// Velero 1.8+'s behaviour, where the first backup waits for the first tick after the schedule's creation.
    /// </summary>
    public bool ScheduleBackupOnCreation { get; set; } = true;

    /// <summary>Controllers not to run (names from <see cref="ControllerNames"/>).</summary>
    public ISet<string> DisabledControllers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Install the velero.io CRDs at start when the cluster lacks them (off by default: clusters usually manage CRDs).</summary>
    public bool InstallCustomResourceDefinitions { get; set; }

    /// <summary>How long a signed download URL lives (10 min).</summary>
    public TimeSpan DownloadUrlTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Leader election: only the holder of the lease reconciles.</summary>
    public VeleroLeaderElectionOptions LeaderElection { get; } = new();

    /// <summary>Settings of the backup engine, among them the default TTL (<c>--default-backup-ttl</c>) and the default snapshot location per provider.</summary>
    public BackupOptions Backup { get; } = new();

    /// <summary>Settings of the restore engine.</summary>
    public RestoreOptions Restore { get; } = new();

    /// <summary>Settings of the Kubernetes client (QPS, burst, page size, retries).</summary>
    public Cluster.KubernetesAccessOptions Kubernetes { get; } = new();

    /// <summary>Every problem of the settings, in words (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Filtering.KubernetesNames.ValidateDns1123Label(Namespace ?? string.Empty).Select(e => $"Namespace \"{Namespace}\": {e}"));
        Positive(Backup.DefaultTtl, "Backup.DefaultTtl");
        Positive(GarbageCollectionFrequency, nameof(GarbageCollectionFrequency));
        Positive(BackupSyncPeriod, nameof(BackupSyncPeriod));
        Positive(StoreValidationFrequency, nameof(StoreValidationFrequency));
        Positive(ScheduleCheckPeriod, nameof(ScheduleCheckPeriod));
        Positive(DownloadUrlTtl, nameof(DownloadUrlTtl));
        if (ConcurrentBackups < 1)
        {
            errors.Add($"ConcurrentBackups must be at least 1 (was {ConcurrentBackups})");
        }

        if (string.IsNullOrWhiteSpace(DefaultBackupStorageLocation))
        {
            errors.Add("DefaultBackupStorageLocation must name a location");
        }

        foreach (var unknown in DisabledControllers.Where(c => !ControllerNames.Contains(c)).Order(StringComparer.Ordinal))
        {
            errors.Add($"invalid value for --disable-controllers flag provided: {unknown}. Valid values are: {string.Join(",", ControllerNames)}");
        }

        var le = LeaderElection;
        if (le.Enabled)
        {
            if (string.IsNullOrWhiteSpace(le.LeaseName))
            {
                errors.Add("LeaderElection.LeaseName must name a Lease");
            }

            if (!(le.RetryPeriod > TimeSpan.Zero && le.RetryPeriod < le.RenewDeadline && le.RenewDeadline < le.LeaseDuration))
            {
                errors.Add($"LeaderElection needs 0 < RetryPeriod ({le.RetryPeriod}) < RenewDeadline ({le.RenewDeadline}) < LeaseDuration ({le.LeaseDuration})");
            }
        }

        return errors;

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be positive (was {value})");
            }
        }
    }
}

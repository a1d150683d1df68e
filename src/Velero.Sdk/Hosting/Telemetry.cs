using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Velero.Sdk.Hosting;

/// <summary>
/// The reconciler's traces and metrics: ActivitySource and Meter named <c>Velero.Sdk</c> (the Meter made by the host's
/// <see cref="IMeterFactory"/> when there is one).
/// </summary>
internal sealed class Telemetry : IDisposable
{
    public const string Name = "Velero.Sdk";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;

    public Telemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        Backups = _meter.CreateCounter<long>("velero.backup.count", description: "Backups finished by the reconciler, by phase.");
        Restores = _meter.CreateCounter<long>("velero.restore.count", description: "Restores finished by the reconciler, by phase.");
        BackupDuration = _meter.CreateHistogram<double>("velero.backup.duration", "s", "How long backups took.");
        RestoreDuration = _meter.CreateHistogram<double>("velero.restore.duration", "s", "How long restores took.");
        ReconcileErrors = _meter.CreateCounter<long>("velero.reconcile.errors", description: "Reconciles that failed and were retried, by controller.");
        Deletions = _meter.CreateCounter<long>("velero.backup.deletions", description: "Backups deleted (DeleteBackupRequests processed), by outcome.");
    }

    public Counter<long> Backups { get; }

    public Counter<long> Restores { get; }

    public Histogram<double> BackupDuration { get; }

    public Histogram<double> RestoreDuration { get; }

    public Counter<long> ReconcileErrors { get; }

    public Counter<long> Deletions { get; }

    public void Dispose() => _meter.Dispose();
}

using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Scheduling;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Schedules (velero-api.md 14.7, with the product's first-backup rule, decisions.md item 2): validated on every check
/// (<c>Enabled</c> or <c>FailedValidation</c>); a new schedule backs up at once (unless <c>skipImmediately</c>, a one-shot flag
/// reset to false), then at each cron tick; missed ticks are not caught up and no backup starts while one of the same
/// schedule is still pending or running. Paused schedules are left alone.
/// </summary>
internal sealed class ScheduleController(ServerContext context) : Controller("schedule", context)
{
    protected override TimeSpan? ResyncPeriod => Context.Options.ScheduleCheckPeriod;

    protected override IEnumerable<string> PeriodicNames() => Context.Schedules.Items.Where(s => s.Spec?.Paused != true).Select(s => s.Metadata.Name);

    protected override void Subscribe() => Context.Schedules.Subscribe((type, schedule) =>
    {
        if (type != ChangeType.Deleted && schedule.Spec?.Paused != true)
        {
            Enqueue(schedule.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var schedule = Context.Schedules.Get(key);
        if (schedule is null || schedule.Spec?.Paused == true)
        {
            return;
        }

        var now = Context.Now;
        var spec = schedule.Spec ??= new V1ScheduleSpec();
        var status = schedule.Status ??= new V1ScheduleStatus();
        var patch = new JsonObject();
        var skip = spec.SkipImmediately ?? Context.Options.ScheduleSkipImmediately;
        if (skip)
        {
            status.LastSkipped = now.UtcDateTime;
            patch["status"] = new JsonObject { ["lastSkipped"] = VeleroResources.Time(now) };
        }

        if (spec.SkipImmediately != false)
        {
            patch["spec"] = new JsonObject { ["skipImmediately"] = false };
        }

        string phase;
        CronSchedule? cron = null;
        if (string.IsNullOrWhiteSpace(spec.Schedule))
        {
            phase = SchedulePhase.FailedValidation;
            SetValidation(patch, status, phase, ["Schedule must be a non-empty valid Cron expression"]);
        }
        else if (!CronSchedule.TryParse(spec.Schedule, out cron, out var error))
        {
            phase = SchedulePhase.FailedValidation;
            SetValidation(patch, status, phase, ["invalid schedule: " + error]);
        }
        else
        {
            phase = SchedulePhase.Enabled;
            SetValidation(patch, status, phase, null);
        }

        if (patch.Count > 0)
        {
            schedule = await Context.PatchAsync<V1Schedule>(key, patch, cancellationToken).ConfigureAwait(false);
            if (schedule is null)
            {
                return;
            }
        }

        if (phase != SchedulePhase.Enabled || !IsDue(schedule, cron!, now))
        {
            return;
        }

        var pending = Context.Backups.Items.FirstOrDefault(b =>
            b.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var s) == true && s == key
            && b.Status?.Phase is null or "" or BackupPhase.New or BackupPhase.Queued or BackupPhase.ReadyToStart or BackupPhase.InProgress);
        if (pending is not null)
        {
            Log.ScheduleBackupPending(Logger, key, pending.Metadata.Name);
            return;
        }

        var backup = CreateBackup(schedule, now);
        if (!await Context.Resources.TryCreateAsync(backup, cancellationToken).ConfigureAwait(false))
        {
            Log.ScheduleBackupExists(Logger, key, backup.Metadata.Name);
        }
        else
        {
            Log.ScheduleBackupCreated(Logger, key, backup.Metadata.Name);
        }

        await Context.PatchAsync<V1Schedule>(key, VeleroResources.Status(("lastBackup", VeleroResources.Time(now))), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Due when now is after the next tick following the last backup (or skip); a schedule that never backed up is due at once
    /// (the product's rule), or, with <see cref="VeleroServerOptions.ScheduleBackupOnCreation"/> off, after the first tick
    /// following its creation (Velero 1.8+).
    /// </summary>
    private bool IsDue(V1Schedule schedule, CronSchedule cron, DateTimeOffset now)
    {
        var status = schedule.Status;
        DateTimeOffset? last = Utc(status?.LastBackup);
        if (Utc(status?.LastSkipped) is { } skipped && (last is null || skipped > last))
        {
            last = skipped;
        }

        if (last is null)
        {
            if (Context.Options.ScheduleBackupOnCreation)
            {
                return true;
            }

            last = Utc(schedule.Metadata.CreationTimestamp) ?? now;
        }

        return cron.GetNextOccurrence(last.Value) is { } next && now > next;
    }

    /// <summary>The Backup a schedule creates (velero-api.md 14.7): name, spec from the template, labels, annotations, owner.</summary>
    internal static V1Backup CreateBackup(V1Schedule schedule, DateTimeOffset now)
    {
        var name = schedule.Metadata.Name;
        var template = schedule.Spec?.Template ?? new V1BackupSpec();
        var spec = VeleroJson.Deserialize<V1BackupSpec>(VeleroJson.Serialize(template))!;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? schedule.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [VeleroLabels.ScheduleName] = LabelValue.GetValidName(name),
        };
        var backup = new V1Backup
        {
            Metadata = new V1ObjectMeta
            {
                Name = name + "-" + now.UtcDateTime.ToString(VeleroConstants.ScheduleBackupTimestampFormat, CultureInfo.InvariantCulture),
                NamespaceProperty = schedule.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = schedule.Metadata.Annotations is { Count: > 0 } a ? new Dictionary<string, string>(a, StringComparer.Ordinal) : null,
            },
            Spec = spec,
        };
        if (schedule.Spec?.UseOwnerReferencesInBackup == true)
        {
            backup.Metadata.OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = VeleroConstants.ApiVersion, Kind = V1Schedule.KubeKind, Name = name, Uid = schedule.Metadata.Uid, Controller = true },
            ];
        }

        return backup;
    }

    private static void SetValidation(JsonObject patch, V1ScheduleStatus status, string phase, IReadOnlyList<string>? errors)
    {
        if (status.Phase == phase)
        {
            return;
        }

        var s = patch["status"] as JsonObject ?? new JsonObject();
        s["phase"] = phase;
        s["validationErrors"] = errors is null ? null : new JsonArray([.. errors.Select(e => JsonValue.Create(e))]);
        patch["status"] = s;
    }

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}

using System.Globalization;
using Velero.Sdk.Model;

namespace Velero.Sdk.Scheduling;

/// <summary>A validated, immutable schedule, made by <see cref="ScheduleBuilder"/>.</summary>
public sealed class ScheduleRequest
{
    private readonly V1Schedule _schedule;

    internal ScheduleRequest(V1Schedule schedule)
    {
        _schedule = schedule;
        Cron = CronSchedule.Parse(schedule.Spec.Schedule!);
    }

    /// <summary>The schedule's name.</summary>
    public string Name => _schedule.Metadata.Name;

    /// <summary>The namespace of the Schedule resource.</summary>
    public string Namespace => _schedule.Metadata.NamespaceProperty;

    /// <summary>The parsed cron expression.</summary>
    public CronSchedule Cron { get; }

    /// <summary>True when the schedule is paused.</summary>
    public bool Paused => _schedule.Spec.Paused ?? false;

    /// <summary>Whether the first backup (taken when the schedule is created) is skipped.</summary>
    public bool? SkipImmediately => _schedule.Spec.SkipImmediately;

    /// <summary>Whether backups get an owner reference to the schedule.</summary>
    public bool? UseOwnerReferencesInBackup => _schedule.Spec.UseOwnerReferencesInBackup;

    /// <summary>The name of the backup the schedule takes at <paramref name="time"/>: <c>&lt;schedule&gt;-yyyyMMddHHmmss</c> in UTC.</summary>
    public string GetBackupName(DateTimeOffset time) =>
        Name + "-" + time.UtcDateTime.ToString(VeleroConstants.ScheduleBackupTimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The equivalent Schedule resource; a new object on each call.</summary>
    public V1Schedule ToSchedule() => VeleroJson.Deserialize<V1Schedule>(VeleroJson.Serialize(_schedule))!;

    /// <inheritdoc />
    public override string ToString() => $"schedule {Namespace}/{Name} ({Cron})";
}

using System.Globalization;
using k8s.Models;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;

namespace Velero.Sdk.Scheduling;

/// <summary>
/// Builds an immutable, validated <see cref="ScheduleRequest"/>: a cron expression and the template of the backups it
/// takes (the same filter methods as <see cref="BackupBuilder"/>). Fluent and free of I/O.
/// </summary>
/// <example>
/// <code>
/// ScheduleRequest nightly = new ScheduleBuilder("nightly", "@daily")
///     .IncludeNamespaces("apps-*")
///     .WithTtl(TimeSpan.FromDays(7))
///     .Build();
/// </code>
/// </example>
public sealed class ScheduleBuilder : BackupSpecBuilder<ScheduleBuilder>
{
    private readonly V1Schedule _schedule;

    /// <summary>Starts a schedule with a name and a cron expression (5 fields, <c>@daily</c>, <c>@every 6h</c>, ...).</summary>
    public ScheduleBuilder(string name, string schedule)
        : this(new V1Schedule
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = VeleroConstants.DefaultNamespace },
            Spec = new V1ScheduleSpec { Schedule = schedule, Template = new V1BackupSpec() },
        })
    {
    }

    private ScheduleBuilder(V1Schedule schedule)
        : base((schedule.Spec ??= new V1ScheduleSpec()).Template ??= new V1BackupSpec())
    {
        _schedule = schedule;
    }

    /// <summary>Starts from an existing Schedule resource (copied).</summary>
    public static ScheduleBuilder From(V1Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var copy = Clone(schedule);
        copy.Metadata ??= new V1ObjectMeta();
        copy.Status = null;
        return new ScheduleBuilder(copy);
    }

    /// <summary>The namespace the Schedule resource lives in; <c>velero</c> by default.</summary>
    public ScheduleBuilder InNamespace(string veleroNamespace)
    {
        _schedule.Metadata.NamespaceProperty = veleroNamespace;
        return this;
    }

    /// <summary>Pauses the schedule: it takes no backups until unpaused.</summary>
    public ScheduleBuilder Paused(bool paused = true)
    {
        _schedule.Spec.Paused = paused;
        return this;
    }

    /// <summary>Skips the backup a new schedule takes at once; the first backup is then at the next cron tick.</summary>
    public ScheduleBuilder SkipImmediately(bool? skip = true)
    {
        _schedule.Spec.SkipImmediately = skip;
        return this;
    }

    /// <summary>Gives the backups an owner reference to the schedule, so deleting the schedule deletes their resources (not their data).</summary>
    public ScheduleBuilder UseOwnerReferencesInBackup(bool? value = true)
    {
        _schedule.Spec.UseOwnerReferencesInBackup = value;
        return this;
    }

    /// <summary>Adds a label to every Backup the schedule creates (the template's <c>metadata.labels</c>).</summary>
    public ScheduleBuilder WithBackupLabel(string key, string value)
    {
        ((Spec.Metadata ??= new V1Metadata()).Labels ??= new Dictionary<string, string>())[key] = value;
        return this;
    }

    /// <summary>Adds a label to the Schedule resource.</summary>
    public ScheduleBuilder WithLabel(string key, string value)
    {
        (_schedule.Metadata.Labels ??= new Dictionary<string, string>())[key] = value;
        return this;
    }

    /// <summary>Every problem of the schedule as configured so far (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Deferred);
        errors.AddRange(BackupValidation.ValidateName(_schedule.Metadata.Name, "schedule"));
        errors.AddRange(BackupBuilder.ValidateNamespace(_schedule.Metadata.NamespaceProperty));
        errors.AddRange(BackupBuilder.ValidateMetadataMaps(_schedule.Metadata));
        if (!CronSchedule.TryParse(_schedule.Spec.Schedule, out _, out var cronError))
        {
            errors.Add("invalid schedule: " + cronError);
        }

        if (Spec.Metadata?.Labels is { } labels)
        {
            errors.AddRange(BackupBuilder.ValidateMetadataMaps(new V1ObjectMeta { Labels = labels }).Select(e => "template.metadata: " + e));
        }

        errors.AddRange(BackupValidation.ValidateSpec(Spec));
        return errors;
    }

    /// <summary>Validates and returns the immutable request.</summary>
    /// <exception cref="VeleroValidationException">The schedule is invalid; every problem is listed.</exception>
    public ScheduleRequest Build()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new VeleroValidationException($"schedule \"{_schedule.Metadata.Name}\"", errors);
        }

        return new ScheduleRequest(Clone(_schedule));
    }
}

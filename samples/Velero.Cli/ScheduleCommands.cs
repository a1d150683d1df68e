using Velero.Cli.CommandLine;
using Velero.Cli.Output;
using Velero.Sdk.Model;
using Velero.Sdk.Scheduling;

namespace Velero.Cli;

/// <summary><c>velero schedule create|get|delete</c>, kept in the <see cref="ScheduleStore"/> (direct mode: nothing runs them on a clock).</summary>
internal static class ScheduleCommands
{
    private static readonly Flag Output = new("output", FlagKind.String, "Output display format: table, json or yaml. On create, prints the schedule that would be created without creating it", 'o');

    public static IReadOnlyList<Command> All { get; } =
    [
        new("schedule", "create", "schedule create NAME --schedule SCHEDULE [flags]",
            "Create a schedule (kept in $VELERO_CLI_HOME/schedules/<namespace>/, default ~/.config/velero-sdk; backup create --from-schedule takes its backups)",
            [.. BackupFlags.Spec,
             new("schedule", FlagKind.String, "A cron expression (5 fields, @daily, @every 6h, CRON_TZ=...) defining when to run the Backup"),
             new("use-owner-references-in-backup", FlagKind.Bool, "Specifies whether to use OwnerReferences on backups created by this Schedule. Notice: if set to true, when schedule is deleted, backups will be deleted too"),
             new("paused", FlagKind.Bool, "Specifies whether the newly created schedule is paused or not"),
             new("skip-immediately", FlagKind.Bool, "Skip the next scheduled backup immediately"),
             Output],
            CreateAsync),
        new("schedule", "get", "schedule get [NAME...] [flags]", "Get schedules", [Output, new("selector", FlagKind.String, "Only show items matching this label selector", 'l')], GetAsync),
        new("schedule", "delete", "schedule delete [NAME...] [--all] [flags]", "Delete schedules (their backups stay)",
            [new("all", FlagKind.Bool, "Delete all schedules"), new("confirm", FlagKind.Bool, "Confirm deletion")], DeleteAsync),
    ];

    private static Task<int> CreateAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        if (a.Arguments.Count != 1)
        {
            throw new UsageException($"accepts 1 arg(s), received {a.Arguments.Count}");
        }

        if (a.Get("schedule") is not { Length: > 0 } cron)
        {
            throw new UsageException("--schedule is required");
        }

        var builder = new ScheduleBuilder(a.Arguments[0], cron).InNamespace(ctx.Namespace);
        var problems = BackupFlags.Apply(builder, a, ctx);
        foreach (var (k, v) in a.GetMap("labels"))
        {
            builder.WithLabel(k, v); // velero: the labels go on the Schedule (and so on its backups); --annotations is not applied
        }

        builder.UseOwnerReferencesInBackup(a.GetBool("use-owner-references-in-backup") ?? false);
        builder.Paused(a.GetBool("paused") ?? false);
        if (a.GetBool("skip-immediately") is { } skip)
        {
            builder.SkipImmediately(skip);
        }

        if (problems.Count > 0)
        {
            throw new UsageException($"invalid schedule \"{a.Arguments[0]}\"", [.. problems, .. builder.Validate()]);
        }

        var schedule = builder.Build().ToSchedule();
        if (format != OutputFormat.None)
        {
            Printer.Schedules(ctx, [schedule], format);
            return Task.FromResult(ExitCodes.Success);
        }

        var store = new ScheduleStore(ctx.Namespace);
        if (store.Exists(schedule.Metadata.Name))
        {
            ctx.Err.WriteLine($"An error occurred: schedules.velero.io \"{schedule.Metadata.Name}\" already exists");
            return Task.FromResult(ExitCodes.Failed);
        }

        schedule.Metadata.CreationTimestamp = ctx.Time.GetUtcNow().UtcDateTime;
        schedule.Metadata.Uid = Guid.NewGuid().ToString();
        schedule.Status = new V1ScheduleStatus { Phase = SchedulePhase.Enabled };
        store.Put(schedule);
        ctx.Out.WriteLine($"Schedule \"{schedule.Metadata.Name}\" created successfully.");
        return Task.FromResult(ExitCodes.Success);
    }

    private static Task<int> GetAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        var store = new ScheduleStore(ctx.Namespace);
        var missing = false;
        var schedules = new List<V1Schedule>();
        if (a.Arguments.Count == 0)
        {
            schedules.AddRange(store.List());
        }

        foreach (var name in a.Arguments)
        {
            if (store.Get(name) is { } s)
            {
                schedules.Add(s);
            }
            else
            {
                ctx.Err.WriteLine($"An error occurred: schedules.velero.io \"{name}\" not found");
                missing = true;
            }
        }

        if (a.Get("selector") is { Length: > 0 } selector)
        {
            var parsed = Velero.Sdk.Filtering.LabelSelector.Parse(selector);
            schedules.RemoveAll(s => !parsed.Matches(s.Metadata.Labels ?? new Dictionary<string, string>()));
        }

        Printer.Schedules(ctx, schedules, format == OutputFormat.None ? OutputFormat.Table : format);
        return Task.FromResult(missing ? ExitCodes.Failed : ExitCodes.Success);
    }

    private static Task<int> DeleteAsync(CliContext ctx, ParsedArgs a)
    {
        var all = a.GetBool("all") == true;
        if (all == (a.Arguments.Count > 0))
        {
            throw new UsageException(all ? "\"all\" cannot be used with names" : "at least one of \"all\" or names must be specified");
        }

        var store = new ScheduleStore(ctx.Namespace);
        var names = all ? [.. store.List().Select(s => s.Metadata.Name)] : a.Arguments;
        if (names.Count > 0 && a.GetBool("confirm") != true && !BackupCommands.Confirm(ctx, $"You are about to delete {names.Count} schedule(s): {string.Join(", ", names)}."))
        {
            ctx.Err.WriteLine("Cancelled.");
            return Task.FromResult(ExitCodes.Failed);
        }

        var missing = false;
        foreach (var name in names)
        {
            if (store.Delete(name))
            {
                ctx.Out.WriteLine($"Schedule deleted: {name}");
            }
            else
            {
                ctx.Err.WriteLine($"An error occurred: schedules.velero.io \"{name}\" not found");
                missing = true;
            }
        }

        return Task.FromResult(missing ? ExitCodes.Failed : ExitCodes.Success);
    }
}

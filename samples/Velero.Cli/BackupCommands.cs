using System.Globalization;
using System.Text;
using k8s.Models;
using Velero.Cli.CommandLine;
using Velero.Cli.Output;
using Velero.Sdk;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Cli;

/// <summary><c>velero backup create|get|describe|delete|download|logs</c>.</summary>
internal static class BackupCommands
{
    private static readonly Flag Output = new("output", FlagKind.String, "Output display format: table, json or yaml. On create, prints the backup that would be created without creating it", 'o');
    private static readonly Flag Selector = new("selector", FlagKind.String, "Only show items matching this label selector", 'l');

    public static IReadOnlyList<Command> All { get; } =
    [
        new("backup", "create", "backup create NAME [flags]", "Create a backup (runs it in this process and waits for it)",
            [.. BackupFlags.Spec,
             new("from-schedule", FlagKind.String, "Create a backup from the template of an existing schedule (kept by 'schedule create'); the name defaults to <schedule>-<UTC yyyyMMddHHmmss>. Other filter flags are ignored"),
             new("wait", FlagKind.Bool, "Wait for the operation to complete (always: direct mode runs it in this process)", 'w'),
             Output],
            CreateAsync),
        new("backup", "get", "backup get [NAME...] [flags]", "Get backups", [Output, Selector], GetAsync),
        new("backup", "describe", "backup describe [NAME...] [flags]", "Describe backups",
            [Output, Selector, new("details", FlagKind.Bool, "Display additional detail in the command output (the backed-up items and volume snapshots)")], DescribeAsync),
        new("backup", "delete", "backup delete [NAME...] [--all] [flags]", "Delete backups: their volume snapshots, their data in the bucket and the restores made from them",
            [new("all", FlagKind.Bool, "Delete all backups"), new("confirm", FlagKind.Bool, "Confirm deletion"), Selector], DeleteAsync),
        new("backup", "download", "backup download NAME [flags]", "Download all Kubernetes manifests for a backup (its tarball)",
            [new("output", FlagKind.String, "Path to output file. Defaults to <NAME>-data.tar.gz in the current directory", 'o'), new("force", FlagKind.Bool, "Forces the download and will overwrite file if it exists already")], DownloadAsync),
        new("backup", "logs", "backup logs NAME [flags]", "Get backup logs", [], LogsAsync),
    ];

    private static async Task<int> CreateAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        if (a.Arguments.Count > 1)
        {
            throw new UsageException($"accepts at most 1 arg(s), received {a.Arguments.Count}");
        }

        var name = a.Arguments.FirstOrDefault();
        BackupBuilder builder;
        if (a.Get("from-schedule") is { Length: > 0 } scheduleName)
        {
            var schedule = new ScheduleStore(ctx.Namespace).Get(scheduleName)
                ?? throw new UsageException($"schedules.velero.io \"{scheduleName}\" not found (schedules are kept in {new ScheduleStore(ctx.Namespace).Folder})");
            name ??= scheduleName + "-" + ctx.Time.GetUtcNow().UtcDateTime.ToString(VeleroConstants.ScheduleBackupTimestampFormat, CultureInfo.InvariantCulture);
            builder = BackupBuilder.From(FromSchedule(schedule, name, ctx.Namespace));
        }
        else
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new UsageException("a backup name is required, unless you are creating based on a schedule");
            }

            builder = new BackupBuilder(name).InNamespace(ctx.Namespace);
            var problems = BackupFlags.Apply(builder, a, ctx);
            foreach (var (k, v) in a.GetMap("labels"))
            {
                builder.WithLabel(k, v);
            }

            foreach (var (k, v) in a.GetMap("annotations"))
            {
                builder.WithAnnotation(k, v);
            }

            if (problems.Count > 0)
            {
                throw new UsageException($"invalid backup \"{name}\"", [.. problems, .. builder.Validate()]);
            }
        }

        var request = builder.Build();
        if (format != OutputFormat.None)
        {
            Printer.Backups(ctx, [request.ToBackup()], format);
            return ExitCodes.Success;
        }

        if (await ctx.Store.BackupExistsAsync(request.Name).ConfigureAwait(false))
        {
            ctx.Err.WriteLine($"An error occurred: backups.velero.io \"{request.Name}\" already exists");
            return ExitCodes.Failed;
        }

        ctx.Out.WriteLine($"Backup request \"{request.Name}\" submitted successfully.");
        var printer = new ProgressPrinter(ctx.Err, "backup " + request.Name, ProgressPrinter.StderrIsTerminal);
        var result = await ctx.Client.BackupAsync(request, new SyncProgress<BackupProgress>(p => printer.Report(p.Phase, p.ItemsBackedUp, p.TotalItems, p.CurrentResource))).ConfigureAwait(false);
        printer.Done();
        ctx.Out.WriteLine($"Backup completed with status: {result.Phase}. You may check for more information using the commands `velero backup describe {result.Name}` and `velero backup logs {result.Name}`.");
        ReportProblems(ctx.Err, result.ValidationErrors, result.FailureReason, result.Errors, result.Warnings);
        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>velero's <c>Backup.FromSchedule</c>: the template, the schedule's labels and annotations, and the schedule-name label.</summary>
    internal static V1Backup FromSchedule(V1Schedule schedule, string name, string ns)
    {
        var spec = VeleroJson.Deserialize<V1BackupSpec>(VeleroJson.Serialize(schedule.Spec?.Template ?? new V1BackupSpec()))!;
        var labels = new Dictionary<string, string>(schedule.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in spec.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        labels[VeleroLabels.ScheduleName] = schedule.Metadata.Name;
        return new V1Backup
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = schedule.Metadata.Annotations is { Count: > 0 } a ? new Dictionary<string, string>(a) : null,
            },
            Spec = spec,
        };
    }

    internal static void ReportProblems(TextWriter err, IReadOnlyList<string> validationErrors, string? failureReason, ResultMessages errors, ResultMessages warnings)
    {
        foreach (var v in validationErrors)
        {
            err.WriteLine("Validation error: " + v);
        }

        if (!string.IsNullOrEmpty(failureReason))
        {
            err.WriteLine("Failure reason: " + failureReason);
        }

        foreach (var e in errors.All())
        {
            err.WriteLine("Error: " + e);
        }

        foreach (var w in warnings.All())
        {
            err.WriteLine("Warning: " + w);
        }
    }

    private static async Task<int> GetAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        var (backups, missing) = await ReadAsync(ctx, a).ConfigureAwait(false);
        Printer.Backups(ctx, backups, format == OutputFormat.None ? OutputFormat.Table : format);
        return missing ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<int> DescribeAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        var (backups, missing) = await ReadAsync(ctx, a).ConfigureAwait(false);
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            Printer.Backups(ctx, backups, format);
            return missing ? ExitCodes.Failed : ExitCodes.Success;
        }

        var details = a.GetBool("details") == true;
        for (var i = 0; i < backups.Count; i++)
        {
            if (i > 0)
            {
                ctx.Out.WriteLine();
            }

            ctx.Out.Write(await DescribeAsync(ctx, backups[i], details).ConfigureAwait(false));
        }

        return missing ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<string> DescribeAsync(CliContext ctx, V1Backup b, bool details)
    {
        var sb = new StringBuilder();
        var spec = b.Spec ?? new V1BackupSpec();
        var status = b.Status ?? new V1BackupStatus();
        sb.Append("Name:         ").Append(b.Metadata.Name).Append('\n');
        sb.Append("Namespace:    ").Append(b.Metadata.NamespaceProperty).Append('\n');
        sb.Append("Labels:       ").Append(Map(b.Metadata.Labels)).Append('\n');
        sb.Append("Annotations:  ").Append(Map(b.Metadata.Annotations)).Append('\n');
        sb.Append("\nPhase:  ").Append(status.Phase ?? BackupPhase.New).Append('\n');
        foreach (var v in status.ValidationErrors ?? [])
        {
            sb.Append("\nValidation errors:  ").Append(v).Append('\n');
        }

        if (!string.IsNullOrEmpty(status.FailureReason))
        {
            sb.Append("\nFailure reason:  ").Append(status.FailureReason).Append('\n');
        }

        var results = await ctx.Store.GetResultsAsync(b.Metadata.Name).ConfigureAwait(false);
        AppendMessages(sb, "Errors", status.Errors, results?.Errors);
        AppendMessages(sb, "Warnings", status.Warnings, results?.Warnings);
        sb.Append("\nNamespaces:\n  Included:  ").Append(List(spec.IncludedNamespaces, "*")).Append("\n  Excluded:  ").Append(List(spec.ExcludedNamespaces, "<none>")).Append('\n');
        sb.Append("\nResources:\n");
        if (spec.IncludedClusterScopedResources is { Count: > 0 } || spec.ExcludedClusterScopedResources is { Count: > 0 }
            || spec.IncludedNamespaceScopedResources is { Count: > 0 } || spec.ExcludedNamespaceScopedResources is { Count: > 0 })
        {
            sb.Append("  Included cluster-scoped:    ").Append(List(spec.IncludedClusterScopedResources, "<none>")).Append('\n');
            sb.Append("  Excluded cluster-scoped:    ").Append(List(spec.ExcludedClusterScopedResources, "<none>")).Append('\n');
            sb.Append("  Included namespace-scoped:  ").Append(List(spec.IncludedNamespaceScopedResources, "*")).Append('\n');
            sb.Append("  Excluded namespace-scoped:  ").Append(List(spec.ExcludedNamespaceScopedResources, "<none>")).Append('\n');
        }
        else
        {
            sb.Append("  Included:        ").Append(List(spec.IncludedResources, "*")).Append('\n');
            sb.Append("  Excluded:        ").Append(List(spec.ExcludedResources, "<none>")).Append('\n');
            sb.Append("  Cluster-scoped:  ").Append(spec.IncludeClusterResources switch { true => "included", false => "excluded", _ => "auto" }).Append('\n');
        }

        sb.Append("\nLabel selector:  ").Append(Printer.Selector(spec.LabelSelector)).Append('\n');
        if (spec.OrLabelSelectors is { Count: > 0 } or)
        {
            sb.Append("\nOr label selector:  ").Append(string.Join(" or ", or.Select(Printer.Selector))).Append('\n');
        }

        sb.Append("\nStorage Location:  ").Append(spec.StorageLocation is { Length: > 0 } l ? l : VeleroConstants.DefaultBackupStorageLocation).Append('\n');
        sb.Append("\nVelero-Native Snapshot PVs:  ").Append(spec.SnapshotVolumes switch { true => "true", false => "false", _ => "auto" }).Append('\n');
        sb.Append("\nTTL:  ").Append(spec.Ttl ?? "720h0m0s").Append('\n');
        sb.Append("\nStarted:    ").Append(Printer.Time(status.StartTimestamp)).Append('\n');
        sb.Append("Completed:  ").Append(Printer.Time(status.CompletionTimestamp)).Append('\n');
        sb.Append("\nExpiration:  ").Append(Printer.Time(status.Expiration)).Append('\n');
        if (status.Progress is { } p)
        {
            sb.Append("\nTotal items to be backed up:  ").Append(p.TotalItems ?? 0).Append('\n');
            sb.Append("Items backed up:              ").Append(p.ItemsBackedUp ?? 0).Append('\n');
        }

        var snapshots = await ctx.Store.GetVolumeSnapshotsAsync(b.Metadata.Name).ConfigureAwait(false);
        sb.Append("\nVelero-Native Snapshots: ");
        if (snapshots.Count == 0)
        {
            sb.Append("<none included>\n");
        }
        else if (!details)
        {
            sb.Append(snapshots.Count).Append(" of ").Append(snapshots.Count).Append(" snapshots completed successfully (specify --details for more information)\n");
        }
        else
        {
            sb.Append('\n');
            foreach (var s in snapshots)
            {
                sb.Append("  ").Append(s.Spec?.PersistentVolumeName).Append(":\n    Snapshot ID:  ").Append(s.Status?.ProviderSnapshotId)
                  .Append("\n    Phase:        ").Append(s.Status?.Phase).Append('\n');
            }
        }

        if (details)
        {
            sb.Append("\nResource List:\n");
            foreach (var (kind, items) in (await ctx.Store.GetResourceListAsync(b.Metadata.Name).ConfigureAwait(false)).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                sb.Append("  ").Append(kind).Append(":\n");
                foreach (var item in items)
                {
                    sb.Append("    - ").Append(item).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    internal static void AppendMessages(StringBuilder sb, string title, int? count, ResultMessages? messages)
    {
        sb.Append('\n').Append(title).Append(":  ").Append(count ?? messages?.Count ?? 0).Append('\n');
        foreach (var m in messages?.All() ?? [])
        {
            sb.Append("  ").Append(m).Append('\n');
        }
    }

    internal static string Map(IDictionary<string, string>? map) =>
        map is { Count: > 0 } ? string.Join("\n              ", map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value)) : "<none>";

    internal static string List(IList<string>? list, string empty) => list is { Count: > 0 } ? string.Join(", ", list) : empty;

    private static async Task<int> DeleteAsync(CliContext ctx, ParsedArgs a)
    {
        var all = a.GetBool("all") == true;
        if (!all && a.Arguments.Count == 0 && a.Get("selector") is null)
        {
            throw new UsageException("at least one of \"all\", \"selector\" or names must be specified");
        }

        if (all && a.Arguments.Count > 0)
        {
            throw new UsageException("\"all\" cannot be used with names");
        }

        var (backups, missing) = await ReadAsync(ctx, a, listAll: all).ConfigureAwait(false);
        if (backups.Count == 0)
        {
            ctx.Err.WriteLine("No backups found");
            return missing ? ExitCodes.Failed : ExitCodes.Success;
        }

        if (a.GetBool("confirm") != true && !Confirm(ctx, $"You are about to delete {backups.Count} backup(s): {string.Join(", ", backups.Select(b => b.Metadata.Name))}."))
        {
            ctx.Err.WriteLine("Cancelled.");
            return ExitCodes.Failed;
        }

        var failed = missing;
        var restores = await ctx.Store.ListRestoresAsync().ConfigureAwait(false);
        foreach (var backup in backups)
        {
            var name = backup.Metadata.Name;
            var problems = await ctx.DeletionClient.DeleteBackupAsync(name).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                failed = true;
                ctx.Err.WriteLine($"Backup \"{name}\" was not deleted:");
                foreach (var p in problems)
                {
                    ctx.Err.WriteLine("  " + p);
                }

                continue;
            }

            // As Velero's deletion controller does: the restores of the backup go with it.
            foreach (var restore in restores)
            {
                V1Restore r;
                try
                {
                    r = await ctx.Store.GetRestoreAsync(restore).ConfigureAwait(false);
                }
                catch (VeleroException)
                {
                    continue;
                }

                if (r.Spec?.BackupName == name)
                {
                    await ctx.Store.DeleteRestoreAsync(restore).ConfigureAwait(false);
                }
            }

            ctx.Out.WriteLine($"Backup \"{name}\" deleted.");
        }

        return failed ? ExitCodes.Failed : ExitCodes.Success;
    }

    internal static bool Confirm(CliContext ctx, string what)
    {
        ctx.Err.Write(what + " Are you sure you want to continue (Y/N)? ");
        var answer = Console.In.ReadLine()?.Trim();
        return answer is "y" or "Y" or "yes" or "Yes";
    }

    private static async Task<int> DownloadAsync(CliContext ctx, ParsedArgs a)
    {
        if (a.Arguments.Count != 1)
        {
            throw new UsageException($"accepts 1 arg(s), received {a.Arguments.Count}");
        }

        var name = a.Arguments[0];
        var path = Path.GetFullPath(a.Get("output") is { Length: > 0 } o ? o : name + "-data.tar.gz");
        if (File.Exists(path) && a.GetBool("force") != true)
        {
            ctx.Err.WriteLine($"An error occurred: file '{path}' already exists, remove it or choose another output name (or use --force)");
            return ExitCodes.Failed;
        }

        if (!await ctx.Store.BackupExistsAsync(name).ConfigureAwait(false))
        {
            ctx.Err.WriteLine($"An error occurred: backups.velero.io \"{name}\" not found");
            return ExitCodes.Failed;
        }

        var contents = await ctx.Store.OpenBackupContentsAsync(name).ConfigureAwait(false);
        await using (contents.ConfigureAwait(false))
        {
            var file = File.Create(path);
            await using (file.ConfigureAwait(false))
            {
                await contents.CopyToAsync(file).ConfigureAwait(false);
            }
        }

        ctx.Out.WriteLine($"Backup {name} has been successfully downloaded to {path}");
        return ExitCodes.Success;
    }

    private static async Task<int> LogsAsync(CliContext ctx, ParsedArgs a)
    {
        if (a.Arguments.Count != 1)
        {
            throw new UsageException($"accepts 1 arg(s), received {a.Arguments.Count}");
        }

        var name = a.Arguments[0];
        var log = await ctx.Store.OpenBackupLogAsync(name).ConfigureAwait(false);
        if (log is null)
        {
            ctx.Err.WriteLine($"An error occurred: logs for backup \"{name}\" not found");
            return ExitCodes.Failed;
        }

        await using (log.ConfigureAwait(false))
        {
            using var reader = new StreamReader(log);
            await ctx.Out.WriteAsync(await reader.ReadToEndAsync().ConfigureAwait(false)).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>The named backups (missing ones reported on stderr), or every backup in the bucket; filtered by <c>-l</c>.</summary>
    private static async Task<(List<V1Backup> Backups, bool Missing)> ReadAsync(CliContext ctx, ParsedArgs a, bool listAll = true)
    {
        var backups = new List<V1Backup>();
        var missing = false;
        IEnumerable<string> names = a.Arguments.Count > 0 ? a.Arguments : listAll || a.Get("selector") is not null ? await ctx.Store.ListBackupsAsync().ConfigureAwait(false) : [];
        foreach (var name in names)
        {
            try
            {
                backups.Add(await ctx.Store.GetBackupAsync(name).ConfigureAwait(false));
            }
            catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
            {
                if (a.Arguments.Count > 0)
                {
                    ctx.Err.WriteLine($"An error occurred: backups.velero.io \"{name}\" not found");
                    missing = true;
                }
            }
        }

        if (a.Get("selector") is { Length: > 0 } selector)
        {
            var parsed = Velero.Sdk.Filtering.LabelSelector.Parse(selector);
            backups.RemoveAll(b => !parsed.Matches(b.Metadata.Labels ?? new Dictionary<string, string>()));
        }

        return (backups, missing);
    }
}

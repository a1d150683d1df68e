using System.Text;
using System.Text.Json.Nodes;
using Velero.Cli.CommandLine;
using Velero.Cli.Output;
using Velero.Sdk;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Cli;

/// <summary><c>velero restore create|get|describe|logs</c>; restores are read back from <c>restores/&lt;name&gt;/velero-restore.json</c>.</summary>
internal static class RestoreCommands
{
    private static readonly Flag Output = new("output", FlagKind.String, "Output display format: table, json or yaml. On create, prints the restore that would be created without creating it (with --dry-run: the plan)", 'o');
    private static readonly Flag Selector = new("selector", FlagKind.String, "Only show items matching this label selector", 'l');

    public static IReadOnlyList<Command> All { get; } =
    [
        new("restore", "create", "restore create [RESTORE_NAME] [--from-backup BACKUP_NAME | --from-schedule SCHEDULE_NAME] [flags]",
            "Create a restore (runs it in this process and waits for it); the name defaults to <backup>-<UTC yyyyMMddHHmmss>",
            [
                new("from-backup", FlagKind.String, "Backup to restore from"),
                new("from-schedule", FlagKind.String, "Schedule to restore from (its latest completed backup in the bucket)"),
                new("allow-partially-failed", FlagKind.Bool, "If using --from-schedule, whether to consider PartiallyFailed backups when looking for the most recent one"),
                new("include-namespaces", FlagKind.List, "Namespaces to include in the restore (use '*' for all namespaces) (default *)"),
                new("exclude-namespaces", FlagKind.List, "Namespaces to exclude from the restore"),
                new("namespace-mappings", FlagKind.String, "Namespace mappings from name in the backup to desired restored name in the form src1:dst1,src2:dst2,..."),
                new("include-resources", FlagKind.List, "Resources to include in the restore, formatted as resource.group, such as storageclasses.storage.k8s.io (use '*' for all resources)"),
                new("exclude-resources", FlagKind.List, "Resources to exclude from the restore, formatted as resource.group, such as storageclasses.storage.k8s.io"),
                new("include-cluster-resources", FlagKind.Bool, "Include cluster-scoped resources in the restore (unset: only for restores of every namespace)"),
                new("include-names", FlagKind.List, "Beyond velero: only restore items whose name or namespace/name matches one of these globs (their namespaces are created; items that actions pull in are restored as dependencies)"),
                new("exclude-names", FlagKind.List, "Beyond velero: do not restore items whose name or namespace/name matches one of these globs"),
                new("existing-resource-policy", FlagKind.String, "Restore Policy to be used during the restore workflow, can be - none or update"),
                new("status-include-resources", FlagKind.List, "Resources to include in the restore status, formatted as resource.group, such as storageclasses.storage.k8s.io"),
                new("status-exclude-resources", FlagKind.List, "Resources to exclude from the restore status, formatted as resource.group, such as storageclasses.storage.k8s.io"),
                new("selector", FlagKind.String, "Only restore resources matching this label selector", 'l'),
                new("or-selector", FlagKind.String, "Restore resources matching at least one of the label selector from the list. Label selectors should be separated by ' or '"),
                new("restore-volumes", FlagKind.Bool, "Whether to restore volumes from snapshots (unset: yes)"),
                new("preserve-nodeports", FlagKind.Bool, "Whether to preserve nodeports of Services when restoring"),
                new("item-operation-timeout", FlagKind.String, "How long to wait for async plugin operations before timeout (default 4h)", ValueName: "duration"),
                new("resource-modifier-configmap", FlagKind.String, "Reference to the resource modifier configmap (read from the -n namespace) that restore will use"),
                new("labels", FlagKind.List, "Labels to apply to the restore", ValueName: "key=value,..."),
                new("annotations", FlagKind.List, "Annotations to apply to the restore", ValueName: "key=value,..."),
                new("dry-run", FlagKind.Bool, "Beyond velero: print the plan (what would be created, updated, skipped or would fail, in order) without writing anything to the cluster or the bucket; exit 1 if a step would fail"),
                new("wait", FlagKind.Bool, "Wait for the operation to complete (always: direct mode runs it in this process)", 'w'),
                Output,
            ],
            CreateAsync),
        new("restore", "get", "restore get [NAME...] [flags]", "Get restores", [Output, Selector], GetAsync),
        new("restore", "describe", "restore describe [NAME...] [flags]", "Describe restores",
            [Output, Selector, new("details", FlagKind.Bool, "Display additional detail in the command output (the restored items)")], DescribeAsync),
        new("restore", "logs", "restore logs RESTORE [flags]", "Get restore logs", [], LogsAsync),
    ];

    private static async Task<int> CreateAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        if (a.Arguments.Count > 1)
        {
            throw new UsageException($"accepts at most 1 arg(s), received {a.Arguments.Count}");
        }

        var fromBackup = a.Get("from-backup");
        var fromSchedule = a.Get("from-schedule");
        if (string.IsNullOrEmpty(fromBackup) == string.IsNullOrEmpty(fromSchedule))
        {
            throw new UsageException("either a backup or schedule must be specified, but not both");
        }

        var builder = new RestoreBuilder(name: a.Arguments.FirstOrDefault()).InNamespace(ctx.Namespace).WithTimeProvider(ctx.Time);
        if (!string.IsNullOrEmpty(fromBackup))
        {
            builder.FromBackup(fromBackup);
        }
        else if (a.GetBool("allow-partially-failed") == true)
        {
            // As velero's CLI does: pick the newest Completed or PartiallyFailed backup of the schedule itself.
            builder.FromBackup(await LatestOfScheduleAsync(ctx, fromSchedule!).ConfigureAwait(false));
        }
        else
        {
            builder.FromSchedule(fromSchedule!);
        }

        builder.IncludeNamespaces(a.Has("include-namespaces") ? [.. a.GetList("include-namespaces")] : ["*"]);
        BackupFlags.IfAny(a.GetList("exclude-namespaces"), v => builder.ExcludeNamespaces(v));
        BackupFlags.IfAny(a.GetList("include-resources"), v => builder.IncludeResources(v));
        BackupFlags.IfAny(a.GetList("exclude-resources"), v => builder.ExcludeResources(v));
        builder.IncludeClusterResources(a.GetBool("include-cluster-resources"));
        BackupFlags.IfAny(a.GetList("include-names"), v => builder.IncludeNames(v));
        BackupFlags.IfAny(a.GetList("exclude-names"), v => builder.ExcludeNames(v));
        if (a.Get("namespace-mappings") is { Length: > 0 } mappings)
        {
            builder.WithNamespaceMapping(mappings);
        }

        if (a.Get("existing-resource-policy") is { Length: > 0 } policy)
        {
            builder.WithExistingResourcePolicy(policy);
        }

        if (a.GetList("status-include-resources").Count > 0)
        {
            builder.RestoreStatus(a.GetList("status-include-resources"), a.GetList("status-exclude-resources"));
        }

        var problems = new List<string>();
        var selector = a.Get("selector");
        var orSelector = a.Get("or-selector");
        if (!string.IsNullOrEmpty(selector) && !string.IsNullOrEmpty(orSelector))
        {
            problems.Add("either a 'selector' or an 'or-selector' can be specified, but not both");
        }

        if (!string.IsNullOrEmpty(selector))
        {
            builder.WithLabelSelector(selector);
        }

        if (!string.IsNullOrEmpty(orSelector))
        {
            builder.WithOrLabelSelectors(orSelector.Split(" or ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        builder.RestorePVs(a.GetBool("restore-volumes"));
        builder.PreserveNodePorts(a.GetBool("preserve-nodeports"));
        if (a.GetDuration("item-operation-timeout") is { } timeout)
        {
            builder.WithItemOperationTimeout(timeout);
        }

        if (a.Get("resource-modifier-configmap") is { Length: > 0 } modifier)
        {
            builder.WithResourceModifier(modifier);
        }

        foreach (var (k, v) in a.GetMap("labels"))
        {
            builder.WithLabel(k, v);
        }

        if (problems.Count > 0)
        {
            throw new UsageException("invalid restore", [.. problems, .. builder.Validate()]);
        }

        var request = builder.Build();
        if (a.GetMap("annotations") is { Count: > 0 } annotations)
        {
            // The builder has no annotations: add them to the resource and build again (the name filter is not part of it).
            var resource = request.ToRestore();
            resource.Metadata.Annotations = annotations;
            request = RestoreBuilder.From(resource).IncludeNames([.. a.GetList("include-names")]).ExcludeNames([.. a.GetList("exclude-names")]).Build();
        }

        if (a.GetBool("dry-run") == true)
        {
            return await DryRunAsync(ctx, request, format).ConfigureAwait(false);
        }

        if (format != OutputFormat.None)
        {
            Printer.Restores(ctx, [request.ToRestore()], format);
            return ExitCodes.Success;
        }

        if (await TryGetAsync(ctx, request.Name).ConfigureAwait(false) is not null)
        {
            ctx.Err.WriteLine($"An error occurred: restores.velero.io \"{request.Name}\" already exists");
            return ExitCodes.Failed;
        }

        ctx.Out.WriteLine($"Restore request \"{request.Name}\" submitted successfully.");
        var printer = new ProgressPrinter(ctx.Err, "restore " + request.Name, ProgressPrinter.StderrIsTerminal);
        var result = await ctx.Client.RestoreAsync(request, new SyncProgress<RestoreProgress>(p => printer.Report(p.Phase, p.ItemsRestored, p.TotalItems, p.CurrentResource))).ConfigureAwait(false);
        printer.Done();
        ctx.Out.WriteLine($"Restore completed with status: {result.Phase}. You may check for more information using the commands `velero restore describe {result.Name}` and `velero restore logs {result.Name}`.");
        BackupCommands.ReportProblems(ctx.Err, result.ValidationErrors, result.FailureReason, result.Errors, result.Warnings);
        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static async Task<string> LatestOfScheduleAsync(CliContext ctx, string schedule)
    {
        V1Backup? latest = null;
        foreach (var name in await ctx.Store.ListBackupsAsync().ConfigureAwait(false))
        {
            V1Backup b;
            try
            {
                b = await ctx.Store.GetBackupAsync(name).ConfigureAwait(false);
            }
            catch (VeleroException)
            {
                continue;
            }

            if (b.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var s) == true && s == schedule
                && b.Status?.Phase is BackupPhase.Completed or BackupPhase.PartiallyFailed
                && (latest is null || (b.Status.StartTimestamp ?? DateTime.MinValue) > (latest.Status!.StartTimestamp ?? DateTime.MinValue)))
            {
                latest = b;
            }
        }

        return latest?.Metadata.Name ?? throw new UsageException($"No backups found for the schedule {schedule}");
    }

    private static async Task<int> DryRunAsync(CliContext ctx, RestoreRequest request, OutputFormat format)
    {
        var plan = await ctx.Client.PlanRestoreAsync(request).ConfigureAwait(false);
        var failing = plan.Steps.Any(s => s.Action == RestorePlanAction.Fail);
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            var steps = new JsonArray();
            foreach (var s in plan.Steps)
            {
                steps.Add(new JsonObject
                {
                    ["action"] = s.Action.ToString().ToLowerInvariant(),
                    ["resource"] = s.Resource,
                    ["namespace"] = s.Namespace,
                    ["name"] = s.Name,
                    ["reason"] = s.Reason,
                });
            }

            Documents.Write(ctx.Out, new JsonObject
            {
                ["restore"] = request.Name,
                ["backup"] = plan.BackupName,
                ["steps"] = steps,
                ["errors"] = new JsonArray([.. plan.Errors.All().Select(e => (JsonNode?)e)]),
                ["warnings"] = new JsonArray([.. plan.Warnings.All().Select(w => (JsonNode?)w)]),
            }, format);
        }
        else
        {
            ctx.Out.WriteLine($"Restore {request.Name} of backup {plan.BackupName} (dry run: nothing is written):");
            ctx.Out.Write(Table.Format(
                ["ORDER", "ACTION", "RESOURCE", "NAMESPACE", "NAME", "REASON"],
                plan.Steps.Select(s => (IReadOnlyList<string>)[s.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Action.ToString().ToLowerInvariant(), s.Resource, s.Namespace ?? "<cluster>", s.Name, s.Reason ?? string.Empty])));
            foreach (var e in plan.Errors.All())
            {
                ctx.Err.WriteLine("Error: " + e);
            }

            foreach (var w in plan.Warnings.All())
            {
                ctx.Err.WriteLine("Warning: " + w);
            }
        }

        if (failing)
        {
            ctx.Err.WriteLine($"{plan.StepsWith(RestorePlanAction.Fail).Count} step(s) would fail.");
        }

        return failing ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<int> GetAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        var (restores, missing) = await ReadAsync(ctx, a).ConfigureAwait(false);
        Printer.Restores(ctx, restores, format == OutputFormat.None ? OutputFormat.Table : format);
        return missing ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<int> DescribeAsync(CliContext ctx, ParsedArgs a)
    {
        var format = Documents.ParseFormat(a);
        var (restores, missing) = await ReadAsync(ctx, a).ConfigureAwait(false);
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            Printer.Restores(ctx, restores, format);
            return missing ? ExitCodes.Failed : ExitCodes.Success;
        }

        var details = a.GetBool("details") == true;
        for (var i = 0; i < restores.Count; i++)
        {
            if (i > 0)
            {
                ctx.Out.WriteLine();
            }

            ctx.Out.Write(await DescribeAsync(ctx, restores[i], details).ConfigureAwait(false));
        }

        return missing ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<string> DescribeAsync(CliContext ctx, V1Restore r, bool details)
    {
        var sb = new StringBuilder();
        var spec = r.Spec ?? new V1RestoreSpec();
        var status = r.Status ?? new V1RestoreStatus();
        sb.Append("Name:         ").Append(r.Metadata.Name).Append('\n');
        sb.Append("Namespace:    ").Append(r.Metadata.NamespaceProperty).Append('\n');
        sb.Append("Labels:       ").Append(BackupCommands.Map(r.Metadata.Labels)).Append('\n');
        sb.Append("Annotations:  ").Append(BackupCommands.Map(r.Metadata.Annotations)).Append('\n');
        sb.Append("\nPhase:                       ").Append(status.Phase ?? RestorePhase.New).Append('\n');
        if (status.Progress is { } p)
        {
            sb.Append("Total items to be restored:  ").Append(p.TotalItems ?? 0).Append('\n');
            sb.Append("Items restored:              ").Append(p.ItemsRestored ?? 0).Append('\n');
        }

        sb.Append("\nStarted:    ").Append(Printer.Time(status.StartTimestamp)).Append('\n');
        sb.Append("Completed:  ").Append(Printer.Time(status.CompletionTimestamp)).Append('\n');
        foreach (var v in status.ValidationErrors ?? [])
        {
            sb.Append("\nValidation errors:  ").Append(v).Append('\n');
        }

        if (!string.IsNullOrEmpty(status.FailureReason))
        {
            sb.Append("\nFailure reason:  ").Append(status.FailureReason).Append('\n');
        }

        var results = await ctx.Store.GetRestoreResultsAsync(r.Metadata.Name).ConfigureAwait(false);
        BackupCommands.AppendMessages(sb, "Warnings", status.Warnings, results?.Warnings);
        BackupCommands.AppendMessages(sb, "Errors", status.Errors, results?.Errors);
        sb.Append("\nBackup:  ").Append(spec.BackupName).Append('\n');
        if (!string.IsNullOrEmpty(spec.ScheduleName))
        {
            sb.Append("\nSchedule:  ").Append(spec.ScheduleName).Append('\n');
        }

        sb.Append("\nNamespaces:\n  Included:  ").Append(BackupCommands.List(spec.IncludedNamespaces, "all namespaces found in the backup")).Append("\n  Excluded:  ").Append(BackupCommands.List(spec.ExcludedNamespaces, "<none>")).Append('\n');
        sb.Append("\nResources:\n  Included:        ").Append(BackupCommands.List(spec.IncludedResources, "*"))
          .Append("\n  Excluded:        ").Append(BackupCommands.List(spec.ExcludedResources, "nodes, events, events.events.k8s.io, backups.velero.io, restores.velero.io, resticrepositories.velero.io, csinodes.storage.k8s.io, volumeattachments.storage.k8s.io, backuprepositories.velero.io"))
          .Append("\n  Cluster-scoped:  ").Append(spec.IncludeClusterResources switch { true => "included", false => "excluded", _ => "auto" }).Append('\n');
        sb.Append("\nNamespace mappings:  ").Append(spec.NamespaceMapping is { Count: > 0 } m ? string.Join(", ", m.Select(e => e.Key + "=" + e.Value)) : "<none>").Append('\n');
        sb.Append("\nLabel selector:  ").Append(Printer.Selector(spec.LabelSelector)).Append('\n');
        sb.Append("\nRestore PVs:  ").Append(spec.RestorePVs switch { true => "true", false => "false", _ => "auto" }).Append('\n');
        sb.Append("\nExisting Resource Policy:   ").Append(string.IsNullOrEmpty(spec.ExistingResourcePolicy) ? "<none>" : spec.ExistingResourcePolicy).Append('\n');
        sb.Append("\nPreserve Service NodePorts:  ").Append(spec.PreserveNodePorts switch { true => "true", false => "false", _ => "auto" }).Append('\n');
        if (details)
        {
            sb.Append("\nResource List:\n");
            foreach (var (kind, items) in (await ctx.Store.GetRestoreResourceListAsync(r.Metadata.Name).ConfigureAwait(false)).OrderBy(e => e.Key, StringComparer.Ordinal))
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

    private static async Task<int> LogsAsync(CliContext ctx, ParsedArgs a)
    {
        if (a.Arguments.Count != 1)
        {
            throw new UsageException($"accepts 1 arg(s), received {a.Arguments.Count}");
        }

        var name = a.Arguments[0];
        var log = await ctx.Store.OpenRestoreLogAsync(name).ConfigureAwait(false);
        if (log is null)
        {
            ctx.Err.WriteLine($"An error occurred: logs for restore \"{name}\" not found");
            return ExitCodes.Failed;
        }

        await using (log.ConfigureAwait(false))
        {
            using var reader = new StreamReader(log);
            await ctx.Out.WriteAsync(await reader.ReadToEndAsync().ConfigureAwait(false)).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task<V1Restore?> TryGetAsync(CliContext ctx, string name)
    {
        try
        {
            return await ctx.Store.GetRestoreAsync(name).ConfigureAwait(false);
        }
        catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<(List<V1Restore> Restores, bool Missing)> ReadAsync(CliContext ctx, ParsedArgs a)
    {
        var restores = new List<V1Restore>();
        var missing = false;
        IEnumerable<string> names = a.Arguments.Count > 0 ? a.Arguments : await ctx.Store.ListRestoresAsync().ConfigureAwait(false);
        foreach (var name in names)
        {
            if (await TryGetAsync(ctx, name).ConfigureAwait(false) is { } restore)
            {
                restores.Add(restore);
            }
            else if (a.Arguments.Count > 0)
            {
                ctx.Err.WriteLine($"An error occurred: restores.velero.io \"{name}\" not found");
                missing = true;
            }
            else
            {
                ctx.Err.WriteLine($"restore \"{name}\" has files in the bucket but no velero-restore.json (made by Velero itself?): not listed");
            }
        }

        if (a.Get("selector") is { Length: > 0 } selector)
        {
            var parsed = Velero.Sdk.Filtering.LabelSelector.Parse(selector);
            restores.RemoveAll(r => !parsed.Matches(r.Metadata.Labels ?? new Dictionary<string, string>()));
        }

        return (restores, missing);
    }
}

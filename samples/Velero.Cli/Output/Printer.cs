using System.Globalization;
using System.Text.Json.Nodes;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Cli.Output;

/// <summary>Prints Backups, Restores and Schedules as velero does: tables, or one JSON/YAML document (a single item bare, several as a list).</summary>
internal static class Printer
{
    public static void Backups(CliContext ctx, IReadOnlyList<V1Backup> backups, OutputFormat format) =>
        Print(ctx, backups, format, () => new V1BackupList { Items = [.. backups] },
            ["NAME", "STATUS", "ERRORS", "WARNINGS", "CREATED", "EXPIRES", "STORAGE LOCATION", "SELECTOR"],
            b => [
                b.Metadata.Name,
                b.Status?.Phase ?? BackupPhase.New,
                Count(b.Status?.Errors),
                Count(b.Status?.Warnings),
                Time(b.Status?.StartTimestamp ?? b.Metadata.CreationTimestamp),
                Expires(ctx, b.Status?.Expiration),
                b.Spec?.StorageLocation is { Length: > 0 } l ? l : VeleroConstants.DefaultBackupStorageLocation,
                Selector(b.Spec?.LabelSelector),
            ]);

    public static void Restores(CliContext ctx, IReadOnlyList<V1Restore> restores, OutputFormat format) =>
        Print(ctx, restores, format, () => new V1RestoreList { Items = [.. restores] },
            ["NAME", "BACKUP", "STATUS", "STARTED", "COMPLETED", "ERRORS", "WARNINGS", "CREATED", "SELECTOR"],
            r => [
                r.Metadata.Name,
                r.Spec?.BackupName ?? string.Empty,
                r.Status?.Phase ?? RestorePhase.New,
                Time(r.Status?.StartTimestamp),
                Time(r.Status?.CompletionTimestamp),
                Count(r.Status?.Errors),
                Count(r.Status?.Warnings),
                Time(r.Metadata.CreationTimestamp),
                Selector(r.Spec?.LabelSelector),
            ]);

    public static void Schedules(CliContext ctx, IReadOnlyList<V1Schedule> schedules, OutputFormat format) =>
        Print(ctx, schedules, format, () => new V1ScheduleList { Items = [.. schedules] },
            ["NAME", "STATUS", "CREATED", "SCHEDULE", "BACKUP TTL", "LAST BACKUP", "SELECTOR", "PAUSED"],
            s => [
                s.Metadata.Name,
                s.Status?.Phase ?? SchedulePhase.New,
                Time(s.Metadata.CreationTimestamp),
                s.Spec?.Schedule ?? string.Empty,
                s.Spec?.Template?.Ttl ?? "0s",
                s.Status?.LastBackup is { } last ? Age(ctx, last) + " ago" : "n/a",
                Selector(s.Spec?.Template?.LabelSelector),
                (s.Spec?.Paused ?? false) ? "true" : "false",
            ]);

    /// <summary>The resource as a JSON tree, with Velero's field names.</summary>
    public static JsonNode ToNode(object resource) => JsonNode.Parse(VeleroJson.Serialize(resource))!;

    public static string Time(DateTime? time) =>
        time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture) : "<nil>";

    public static string Selector(k8s.Models.V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }

        var text = LabelSelector.FromLabelSelector(selector).ToString();
        return text.Length == 0 ? "<none>" : text;
    }

    private static void Print<T>(CliContext ctx, IReadOnlyList<T> items, OutputFormat format, Func<object> list, string[] headers, Func<T, string[]> row)
        where T : class
    {
        if (format is OutputFormat.Json or OutputFormat.Yaml)
        {
            Documents.Write(ctx.Out, ToNode(items.Count == 1 ? items[0] : list()), format);
            return;
        }

        ctx.Out.Write(Table.Format(headers, items.Select(row)));
    }

    private static string Count(int? n) => (n ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string Expires(CliContext ctx, DateTime? expiration)
    {
        if (expiration is not { } e)
        {
            return "n/a";
        }

        var left = DateTime.SpecifyKind(e, DateTimeKind.Utc) - ctx.Time.GetUtcNow().UtcDateTime;
        return left <= TimeSpan.Zero ? "0s" : Human(left);
    }

    private static string Age(CliContext ctx, DateTime time) => Human(ctx.Time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static string Human(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + "d",
        { TotalHours: >= 1 } => ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + "h",
        { TotalMinutes: >= 1 } => ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m",
        _ => Math.Max(0, (int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
    };
}

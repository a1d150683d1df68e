using System.Diagnostics.CodeAnalysis;
using Cronos;
using Velero.Sdk.Model;

namespace Velero.Sdk.Scheduling;

/// <summary>
/// A schedule's cron expression, read as Velero reads <c>spec.schedule</c>: five fields
/// (<c>minute hour day-of-month month day-of-week</c>), the descriptors <c>@yearly</c>, <c>@annually</c>,
/// <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, <c>@every &lt;duration&gt;</c>
/// (a Go duration such as <c>6h</c> or <c>1h30m</c>), and an optional <c>CRON_TZ=&lt;zone&gt;</c> or <c>TZ=&lt;zone&gt;</c> prefix.
/// Without a prefix the expression is evaluated in UTC, as in Velero's standard image. Immutable and thread-safe.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] FieldNames = ["minute", "hour", "day of month", "month", "day of week"];

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly CronExpression? _cron;
    private readonly TimeSpan _every;

    private CronSchedule(string expression, TimeZoneInfo zone, CronExpression? cron, TimeSpan every)
    {
        Expression = expression;
        TimeZone = zone;
        _cron = cron;
        _every = every;
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>The time zone the expression is evaluated in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The interval of an <c>@every</c> schedule; <c>null</c> for calendar schedules.</summary>
    public TimeSpan? Interval => _cron is null ? _every : null;

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">The expression is invalid; the message names the field and what is wrong with it.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParseCore(expression, out var schedule, out var error)
            ? schedule
            : throw new FormatException(error);
    }

    /// <summary>Parses an expression; returns false and the reason when it is invalid.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        if (expression is null)
        {
            schedule = null;
            error = "empty spec string";
            return false;
        }

        return TryParseCore(expression, out schedule, out error);
    }

    /// <summary>
    /// The first time strictly after <paramref name="after"/> at which the schedule fires, or <c>null</c> when it never
    /// fires again. <c>@every d</c> fires at <c>after + d</c>, truncated to whole seconds as Velero does.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        if (_cron is null)
        {
            var truncated = after.AddTicks(-(after.Ticks % TimeSpan.TicksPerSecond));
            return truncated + _every;
        }

        return _cron.GetNextOccurrence(after, TimeZone, inclusive: false);
    }

    /// <inheritdoc />
    public override string ToString() => Expression;

    private static string Reason(CronFormatException e) =>
        e.Message.Replace("The given cron expression has an invalid format. ", string.Empty, StringComparison.Ordinal).TrimEnd('.');

    private static bool TryParseCore(string expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var spec = expression.Trim();
        var zone = TimeZoneInfo.Utc;
        if (spec.Length == 0)
        {
            error = "empty spec string";
            return false;
        }

        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            int space = spec.IndexOf(' ', StringComparison.Ordinal);
            var name = (space < 0 ? spec : spec[..space])[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..];
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
            {
                error = $"provided bad location {name}: unknown time zone {name}";
                return false;
            }

            spec = space < 0 ? string.Empty : spec[(space + 1)..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            const string every = "@every ";
            if (spec.StartsWith(every, StringComparison.Ordinal))
            {
                var text = spec[every.Length..].Trim();
                if (!GoDuration.TryParse(text, out var interval))
                {
                    error = $"failed to parse duration {spec}: time: invalid duration \"{text}\"";
                    return false;
                }

                // Velero's cron library rounds the interval to whole seconds, at least one.
                interval = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(interval.TotalSeconds)));
                schedule = new CronSchedule(expression, zone, null, interval);
                error = null;
                return true;
            }

            if (!Descriptors.TryGetValue(spec, out var expanded))
            {
                error = $"unrecognized descriptor: {spec}";
                return false;
            }

            spec = expanded;
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
            return false;
        }

        // Check each field on its own, so the error names the field.
        for (int i = 0; i < fields.Length; i++)
        {
            var probe = new string[5];
            Array.Fill(probe, "*");
            probe[i] = fields[i];
            try
            {
                CronExpression.Parse(string.Join(' ', probe), CronFormat.Standard);
            }
            catch (CronFormatException e)
            {
                error = $"invalid {FieldNames[i]} field (field {i + 1}) \"{fields[i]}\": {Reason(e)}";
                return false;
            }
        }

        try
        {
            var cron = CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard);
            schedule = new CronSchedule(expression, zone, cron, TimeSpan.Zero);
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"invalid cron expression \"{spec}\": {Reason(e)}";
            return false;
        }
    }
}

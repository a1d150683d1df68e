using Velero.Sdk.Scheduling;

namespace Velero.Sdk.Tests.Scheduling;

public class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 13, 37, 42, TimeSpan.Zero);

    [Theory]
    [InlineData("0 1 * * *", "2026-11-29T01:00:00Z")]
    [InlineData("*/15 * * * *", "2026-11-28T13:45:00Z")]
    [InlineData("0 0 * * 0", "2026-11-29T00:00:00Z")] // Sunday
    [InlineData("0 0 1 * *", "2026-12-01T00:00:00Z")]
    [InlineData("30 2 * * MON-FRI", "2026-11-30T02:30:00Z")]
    [InlineData("0 0 1 JAN *", "2027-01-01T00:00:00Z")]
    [InlineData("0 3 ? * *", "2026-11-29T03:00:00Z")]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "2027-01-01T00:00:00Z")]
    [InlineData("@monthly", "2026-12-01T00:00:00Z")]
    [InlineData("@weekly", "2026-11-29T00:00:00Z")]
    [InlineData("@daily", "2026-11-29T00:00:00Z")]
    [InlineData("@midnight", "2026-11-29T00:00:00Z")]
    [InlineData("@hourly", "2026-11-28T14:00:00Z")]
    [InlineData("@every 6h", "2026-11-28T19:37:42Z")]
    [InlineData("@every 1h30m", "2026-11-28T15:07:42Z")]
    [InlineData("@every 500ms", "2026-11-28T13:37:43Z")] // at least one second
    [InlineData("  0 1 * * *  ", "2026-11-29T01:00:00Z")]
    public void Next_occurrence(string expression, string expected)
    {
        var next = CronSchedule.Parse(expression).GetNextOccurrence(Start);
        next.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Next_occurrence_is_strictly_after()
    {
        var s = CronSchedule.Parse("0 1 * * *");
        var at = new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);
        s.GetNextOccurrence(at).ShouldBe(at.AddDays(1));
    }

    [Fact]
    public void Every_truncates_to_whole_seconds()
    {
        var s = CronSchedule.Parse("@every 10s");
        s.Interval.ShouldBe(TimeSpan.FromSeconds(10));
        s.GetNextOccurrence(Start.AddMilliseconds(700)).ShouldBe(Start.AddSeconds(10));
    }

    [Theory]
    [InlineData("CRON_TZ=America/New_York 0 1 * * *", "2026-11-29T06:00:00Z")]
    [InlineData("TZ=Asia/Tokyo 0 9 * * *", "2026-11-29T00:00:00Z")]
    [InlineData("CRON_TZ=UTC @daily", "2026-11-29T00:00:00Z")]
    public void Time_zone_prefix(string expression, string expected) =>
        CronSchedule.Parse(expression).GetNextOccurrence(Start)!.Value.UtcDateTime
            .ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]")]
    [InlineData("60 * * * *", "invalid minute field (field 1) \"60\": Minutes: Value must be a number between 0 and 59")]
    [InlineData("0 25 * * *", "invalid hour field (field 2) \"25\"")]
    [InlineData("0 0 32 * *", "invalid day of month field (field 3) \"32\"")]
    [InlineData("0 0 * 13 *", "invalid month field (field 4) \"13\"")]
    [InlineData("0 0 * * FUNDAY", "invalid day of week field (field 5) \"FUNDAY\"")]
    [InlineData("a * * * *", "invalid minute field (field 1) \"a\"")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    [InlineData("@every tomorrow", "failed to parse duration @every tomorrow")]
    [InlineData("CRON_TZ=Mars/Olympus 0 1 * * *", "provided bad location Mars/Olympus")]
    public void Bad_expressions_name_the_problem(string expression, string message)
    {
        var e = Should.Throw<FormatException>(() => CronSchedule.Parse(expression));
        e.Message.ShouldContain(message);
        CronSchedule.TryParse(expression, out var s, out var error).ShouldBeFalse();
        s.ShouldBeNull();
        error.ShouldContain(message);
    }
}

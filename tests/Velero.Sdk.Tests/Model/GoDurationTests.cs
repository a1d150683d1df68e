using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// <see cref="GoDuration"/> against the expectations of Go's own <c>time</c> package tests
/// (<c>durationTests</c> and <c>parseDurationTests</c>), scaled to 100 ns ticks.
/// </summary>
public class GoDurationTests
{
    private const long Ns = 1;
    private const long Us = 1000 * Ns;
    private const long Ms = 1000 * Us;
    private const long S = 1000 * Ms;
    private const long M = 60 * S;
    private const long H = 60 * M;

    // Go nanoseconds -> TimeSpan, truncating toward zero like GoDuration does.
    private static TimeSpan FromNs(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);

    public static TheoryData<string, long> FormatCases() => new()
    {
        { "0s", 0 },
        { "100ns", 100 * Ns },
        { "1.1µs", 1100 * Ns },
        { "2.2ms", 2200 * Us },
        { "500ms", 500 * Ms },
        { "1s", 1 * S },
        { "1.5s", 1500 * Ms },
        { "3.3s", 3300 * Ms },
        { "4m5s", (4 * M) + (5 * S) },
        { "4m5.001s", (4 * M) + (5001 * Ms) },
        { "5h6m7.001s", (5 * H) + (6 * M) + (7001 * Ms) },
        { "8m0.0000001s", (8 * M) + (100 * Ns) },
        { "10m0s", 10 * M },
        { "1h0m0s", 1 * H },
        { "4h0m0s", 4 * H },
        { "720h0m0s", 720 * H },
        { "1h0m0.5s", (1 * H) + (500 * Ms) },
        { "1h30m0s", 90 * M },
        { "-1s", -1 * S },
        { "-1h30m0s", -90 * M },
        { "-1.5µs", -1500 * Ns },
        { "2562047h47m16.8547758s", long.MaxValue - 7 }, // Go's maximum, truncated to whole ticks
        { "-2562047h47m16.8547758s", long.MinValue + 8 },
    };

    [Theory]
    [MemberData(nameof(FormatCases))]
    public void Format_matches_go(string expected, long nanoseconds)
        => GoDuration.Format(FromNs(nanoseconds)).ShouldBe(expected);

    [Theory]
    [MemberData(nameof(FormatCases))]
    public void Formatted_text_parses_back(string text, long nanoseconds)
        => GoDuration.Parse(text).ShouldBe(FromNs(nanoseconds));

    [Fact]
    public void Format_handles_the_whole_timespan_range()
    {
        GoDuration.Format(TimeSpan.MaxValue).ShouldBe("256204778h48m5.4775807s");
        GoDuration.Format(TimeSpan.MinValue).ShouldBe("-256204778h48m5.4775808s");
        GoDuration.Format(TimeSpan.FromDays(30)).ShouldBe(VeleroConstants.DefaultBackupTtl);
        GoDuration.Format(TimeSpan.FromTicks(1)).ShouldBe("100ns");
    }

    public static TheoryData<string, long> ParseCases() => new()
    {
        { "0", 0 },
        { "5s", 5 * S },
        { "30s", 30 * S },
        { "1478s", 1478 * S },
        { "-5s", -5 * S },
        { "+5s", 5 * S },
        { "-0", 0 },
        { "+0", 0 },
        { "5.0s", 5 * S },
        { "5.6s", (5 * S) + (600 * Ms) },
        { "5.s", 5 * S },
        { ".5s", 500 * Ms },
        { "1.0s", 1 * S },
        { "1.00s", 1 * S },
        { "1.004s", (1 * S) + (4 * Ms) },
        { "1.0040s", (1 * S) + (4 * Ms) },
        { "100.00100s", (100 * S) + (1 * Ms) },
        { "10ns", 10 * Ns },
        { "11us", 11 * Us },
        { "12µs", 12 * Us },   // micro sign U+00B5
        { "12μs", 12 * Us },   // Greek mu U+03BC
        { "13ms", 13 * Ms },
        { "14s", 14 * S },
        { "15m", 15 * M },
        { "16h", 16 * H },
        { "3h30m", (3 * H) + (30 * M) },
        { "10.5s4m", (4 * M) + (10 * S) + (500 * Ms) },
        { "-2m3.4s", -((2 * M) + (3 * S) + (400 * Ms)) },
        { "1h2m3s4ms5us6ns", (1 * H) + (2 * M) + (3 * S) + (4 * Ms) + (5 * Us) + (6 * Ns) },
        { "39h9m14.425s", (39 * H) + (9 * M) + (14 * S) + (425 * Ms) },
        { "52763797000ns", 52763797000 * Ns },
        { "0.3333333333333333333h", 20 * M },
        { "9007199254740993ns", (1L << 53) + 1 },
        { "9223372036854775807ns", long.MaxValue },
        { "9223372036854775.807us", long.MaxValue },
        { "9223372036s854ms775us807ns", long.MaxValue },
        { "-9223372036854775808ns", long.MinValue },
        { "-9223372036854775.808us", long.MinValue },
        { "-9223372036s854ms775us808ns", long.MinValue },
        { "-2562047h47m16.854775808s", long.MinValue },
        { "0.100000000000000000000h", 6 * M },
        { "0.830103483285477580700h", (49 * M) + (48 * S) + (372539827 * Ns) },
        { "1.5h", 90 * M },
        { "720h", 720 * H },
        { "720h0m0s", 720 * H },
    };

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parse_matches_go(string text, long nanoseconds)
    {
        GoDuration.Parse(text).ShouldBe(FromNs(nanoseconds));
        GoDuration.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(FromNs(nanoseconds));
    }

    [Theory]
    [InlineData("", "no number")]
    [InlineData("3", "missing unit")]
    [InlineData("-", "no number")]
    [InlineData("s", "expected a number")]
    [InlineData(".", "a '.' must have digits")]
    [InlineData("-.", "a '.' must have digits")]
    [InlineData(".s", "a '.' must have digits")]
    [InlineData("+.s", "a '.' must have digits")]
    [InlineData("1d", "unknown unit \"d\"")]
    [InlineData("1h 30m", "unknown unit \"h \"")]
    [InlineData("1H", "unknown unit \"H\"")]
    [InlineData(" 1h", "expected a number")]
    [InlineData("1h-30m", "unknown unit \"h-\"")]
    [InlineData("\u0085\u0085", "expected a number")]
    [InlineData("9223372036854775810ns", "number too large")]
    [InlineData("9223372036854775808ns", "overflow")]
    [InlineData("-9223372036854775809ns", "number too large")]
    [InlineData("9223372036854775.808us", "overflow")]
    [InlineData("9223372036854ms775us808ns", "overflow")]
    [InlineData("3000000h", "overflow")]
    public void Parse_rejects_what_go_rejects(string text, string reason)
    {
        var exception = Should.Throw<FormatException>(() => GoDuration.Parse(text));
        exception.Message.ShouldStartWith($"Invalid Go duration \"{text}\"");
        exception.Message.ShouldContain(reason);
        GoDuration.TryParse(text, out var result).ShouldBeFalse();
        result.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Should.Throw<ArgumentNullException>(() => GoDuration.Parse(null!));
        GoDuration.TryParse(null, out _).ShouldBeFalse();
    }

    [Fact]
    public void Sub_tick_precision_is_truncated_toward_zero()
    {
        GoDuration.Parse("150ns").ShouldBe(TimeSpan.FromTicks(1));
        GoDuration.Parse("-150ns").ShouldBe(TimeSpan.FromTicks(-1));
        GoDuration.Parse("99ns").ShouldBe(TimeSpan.Zero);
    }
}

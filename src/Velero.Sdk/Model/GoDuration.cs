using System.Diagnostics.CodeAnalysis;

namespace Velero.Sdk.Model;

/// <summary>
/// Converts between <see cref="TimeSpan"/> and Go's duration text (<c>time.ParseDuration</c> and
/// <c>time.Duration.String</c>), the format of every duration in the Velero API, e.g. <c>"720h0m0s"</c>.
/// </summary>
/// <remarks>
/// Go durations count nanoseconds; <see cref="TimeSpan"/> counts 100-nanosecond ticks, so parsing
/// truncates to whole ticks (toward zero): <c>"150ns"</c> becomes one tick.
/// </remarks>
public static class GoDuration
{
    private const ulong Nanosecond = 1;
    private const ulong Microsecond = 1000 * Nanosecond;
    private const ulong Millisecond = 1000 * Microsecond;
    private const ulong Second = 1000 * Millisecond;
    private const ulong Minute = 60 * Second;
    private const ulong Hour = 60 * Minute;
    private const ulong NanosecondsPerTick = 100;
    private const ulong MaxMagnitude = 1UL << 63; // |math.MinInt64|

    /// <summary>
    /// Parses Go duration text: an optional sign, then one or more decimal numbers (with optional
    /// fraction) each followed by a unit <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, <c>us</c>
    /// (or <c>µs</c>, <c>μs</c>) or <c>ns</c>, e.g. <c>"1h30m"</c>, <c>"1.5h"</c>, <c>"-300ms"</c>;
    /// <c>"0"</c> alone is also accepted.
    /// </summary>
    /// <param name="text">The duration text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid Go duration; the message quotes it.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, out var result, out var error))
        {
            throw new FormatException($"Invalid Go duration \"{text}\": {error}.");
        }

        return result;
    }

    /// <summary>Tries to parse Go duration text (see <see cref="Parse(string)"/>).</summary>
    /// <param name="text">The duration text; <see langword="null"/> fails.</param>
    /// <param name="result">The duration, or <see cref="TimeSpan.Zero"/> when parsing fails.</param>
    /// <returns><see langword="true"/> if <paramref name="text"/> is a valid Go duration.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan result)
    {
        if (text is null)
        {
            result = TimeSpan.Zero;
            return false;
        }

        return TryParseCore(text, out result, out _);
    }

    /// <summary>
    /// Formats a duration exactly as Go's <c>time.Duration.String</c> does: <c>"720h0m0s"</c>,
    /// <c>"10m0s"</c>, <c>"1.5s"</c>, <c>"1h0m0.5s"</c>; below one second with the largest fitting
    /// unit among <c>ms</c>, <c>µs</c> and <c>ns</c> (<c>"500ms"</c>, <c>"1.5µs"</c>); zero is <c>"0s"</c>.
    /// </summary>
    /// <param name="value">The duration.</param>
    /// <returns>The Go duration text.</returns>
    public static string Format(TimeSpan value)
    {
        Int128 nanoseconds = (Int128)value.Ticks * (long)NanosecondsPerTick;
        var negative = nanoseconds < 0;
        var u = (UInt128)(negative ? -nanoseconds : nanoseconds);

        if (u == 0)
        {
            return "0s";
        }

        Span<char> buffer = stackalloc char[48];
        var w = buffer.Length;

        if (u < Second)
        {
            // Below one second Go switches to smaller units, e.g. "1.2ms".
            int precision;
            buffer[--w] = 's';
            if (u < Microsecond)
            {
                precision = 0;
                buffer[--w] = 'n';
            }
            else if (u < Millisecond)
            {
                precision = 3;
                buffer[--w] = '\u00B5'; // Go writes the micro sign U+00B5
            }
            else
            {
                precision = 6;
                buffer[--w] = 'm';
            }

            w = FormatFraction(buffer, w, ref u, precision);
            w = FormatInteger(buffer, w, u);
        }
        else
        {
            buffer[--w] = 's';
            w = FormatFraction(buffer, w, ref u, 9);

            // u is now whole seconds.
            w = FormatInteger(buffer, w, u % 60);
            u /= 60;
            if (u > 0)
            {
                buffer[--w] = 'm';
                w = FormatInteger(buffer, w, u % 60);
                u /= 60;
                if (u > 0)
                {
                    buffer[--w] = 'h';
                    w = FormatInteger(buffer, w, u);
                }
            }
        }

        if (negative)
        {
            buffer[--w] = '-';
        }

        return new string(buffer[w..]);
    }

    // Writes the fraction of v / 10^precision (e.g. ".12345") before position w, omitting trailing
    // zeros and the decimal point when the fraction is zero. Leaves the integer part in v.
    private static int FormatFraction(Span<char> buffer, int w, ref UInt128 v, int precision)
    {
        var print = false;
        for (var i = 0; i < precision; i++)
        {
            var digit = (int)(v % 10);
            print = print || digit != 0;
            if (print)
            {
                buffer[--w] = (char)('0' + digit);
            }

            v /= 10;
        }

        if (print)
        {
            buffer[--w] = '.';
        }

        return w;
    }

    private static int FormatInteger(Span<char> buffer, int w, UInt128 v)
    {
        if (v == 0)
        {
            buffer[--w] = '0';
            return w;
        }

        while (v > 0)
        {
            buffer[--w] = (char)('0' + (int)(v % 10));
            v /= 10;
        }

        return w;
    }

    private static bool TryParseCore(string text, out TimeSpan result, [NotNullWhen(false)] out string? error)
    {
        result = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            error = null;
            return true;
        }

        if (s.IsEmpty)
        {
            error = "no number";
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            // The next character must be a digit or '.'.
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = $"expected a number at \"{s.ToString()}\"";
                return false;
            }

            // Integer part.
            var before = s.Length;
            if (!TryLeadingInteger(ref s, out var v))
            {
                error = "number too large";
                return false;
            }

            var hasInteger = before != s.Length;

            // Fraction part.
            ulong fraction = 0;
            double scale = 1;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                before = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hasFraction = before != s.Length;
            }

            if (!hasInteger && !hasFraction)
            {
                error = "a '.' must have digits next to it";
                return false;
            }

            // Unit: everything up to the next digit or '.'.
            var i = 0;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == 0)
            {
                error = "missing unit";
                return false;
            }

            var unitText = s[..i];
            s = s[i..];
            var unit = UnitNanoseconds(unitText);
            if (unit == 0)
            {
                error = $"unknown unit \"{unitText.ToString()}\" (expected h, m, s, ms, us, µs or ns)";
                return false;
            }

            if (v > MaxMagnitude / unit)
            {
                error = "overflow";
                return false;
            }

            v *= unit;
            if (fraction > 0)
            {
                // Go uses float64 here too: exact to the nanosecond for fractions of hours.
                v += (ulong)(fraction * (unit / scale));
                if (v > MaxMagnitude)
                {
                    error = "overflow";
                    return false;
                }
            }

            total += v;
            if (total > MaxMagnitude)
            {
                error = "overflow";
                return false;
            }
        }

        if (!negative && total > MaxMagnitude - 1)
        {
            error = "overflow";
            return false;
        }

        var ticks = (long)(total / NanosecondsPerTick);
        result = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    private static ulong UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => Nanosecond,
        "us" or "\u00B5s" or "\u03BCs" => Microsecond,
        "ms" => Millisecond,
        "s" => Second,
        "m" => Minute,
        "h" => Hour,
        _ => 0,
    };

    // Consumes leading digits; false on overflow beyond 2^63.
    private static bool TryLeadingInteger(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > MaxMagnitude / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > MaxMagnitude)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    // Consumes leading digits of a fraction; digits beyond what fits are consumed and ignored.
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > (MaxMagnitude - 1) / 10)
            {
                overflow = true;
                continue;
            }

            var next = (value * 10) + (ulong)(s[i] - '0');
            if (next > MaxMagnitude)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }
}

using System.Globalization;
using Velero.Sdk.Model;

namespace Velero.Cli.CommandLine;

/// <summary>The flags and arguments of one command line, read with velero's (pflag's) rules.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <summary>The arguments that are not flags, in order.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Whether the flag was given at all (an unset boolean differs from <c>--flag=false</c>).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The last value of a flag; <see langword="null"/> when it was not given.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    /// <summary>Every value of a list or repeated flag (comma-split for lists); empty when not given.</summary>
    public IReadOnlyList<string> GetList(string name) => _values.TryGetValue(name, out var v) ? v : [];

    /// <summary>A boolean flag: <see langword="null"/> when unset.</summary>
    public bool? GetBool(string name) => Get(name) is { } v ? ParseBool(name, v) : null;

    /// <summary>A Go duration (<c>24h</c>, <c>1h30m</c>, <c>0</c>); <see langword="null"/> when unset.</summary>
    public TimeSpan? GetDuration(string name)
    {
        var v = Get(name);
        if (v is null)
        {
            return null;
        }

        try
        {
            return GoDuration.Parse(v);
        }
        catch (FormatException e)
        {
            throw new UsageException($"invalid argument \"{v}\" for \"--{name}\" flag: {e.Message}");
        }
    }

    /// <summary><c>k=v,k2=v2</c> maps (<c>--labels</c>, <c>--storage-config</c>); later keys win.</summary>
    public Dictionary<string, string> GetMap(string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in GetList(name))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"invalid argument \"{pair}\" for \"--{name}\" flag: {pair} must be formatted as key=value");
            }

            map[pair[..eq]] = pair[(eq + 1)..];
        }

        return map;
    }

    internal void MarkSet(string name) => _values.TryAdd(name, []);

    internal void Add(string name, string value) =>
        (_values.TryGetValue(name, out var list) ? list : _values[name] = []).Add(value);

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    internal static bool ParseBool(string name, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"invalid argument \"{value}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax")),
    };
}

namespace Velero.Cli.CommandLine;

/// <summary>Reads flags as velero's flag library does: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>, booleans only with <c>=</c>, <c>--</c> ends the flags.</summary>
internal static class ArgParser
{
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<Flag> flags)
    {
        var result = new ParsedArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Arguments.AddRange(args.Skip(i + 1));
                break;
            }

            Flag? flag;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var body = arg[2..];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? body : body[..eq];
                value = eq < 0 ? null : body[(eq + 1)..];
                flag = flags.FirstOrDefault(f => f.Name == name) ?? throw new UsageException($"unknown flag: --{name}");
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                var letter = arg[1];
                flag = flags.FirstOrDefault(f => f.Short == letter) ?? throw new UsageException($"unknown shorthand flag: '{letter}' in {arg}");
                if (arg.Length > 2)
                {
                    value = arg[2] == '=' ? arg[3..] : arg[2..];
                }
            }
            else
            {
                result.Arguments.Add(arg);
                continue;
            }

            if (flag.Kind == FlagKind.Bool)
            {
                result.Add(flag.Name, ParsedArgs.ParseBool(flag.Name, value ?? "true") ? "true" : "false");
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"flag needs an argument: --{flag.Name}");
                }

                value = args[++i];
            }

            if (flag.Kind == FlagKind.List)
            {
                foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    result.Add(flag.Name, item);
                }

                result.MarkSet(flag.Name);
            }
            else
            {
                result.Add(flag.Name, value);
            }
        }

        return result;
    }
}

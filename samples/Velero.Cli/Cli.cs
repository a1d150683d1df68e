using System.Text;
using Velero.Cli.CommandLine;
using Velero.Sdk;

namespace Velero.Cli;

/// <summary>Finds the command, parses its flags, runs it and turns failures into messages on stderr and exit codes.</summary>
internal static class Cli
{
    /// <summary>Every command, in help order.</summary>
    public static IReadOnlyList<Command> Commands { get; } =
    [
        .. BackupCommands.All,
        .. RestoreCommands.All,
        .. ScheduleCommands.All,
        ServerCommand.Server,
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var words = args.TakeWhile(a => !a.StartsWith('-')).Take(2).ToArray();
        if (args.Length == 0 || words.Length == 0)
        {
            stderr.Write(Help(null));
            return args.Any(a => a is "-h" or "--help") ? ExitCodes.Success : ExitCodes.Usage;
        }

        var group = Commands.Where(c => c.Group == words[0]).ToList();
        if (group.Count == 0)
        {
            stderr.WriteLine($"Error: unknown command \"{words[0]}\" for \"velero\"");
            stderr.Write(Help(null));
            return ExitCodes.Usage;
        }

        // A command without a verb (server) takes the group word alone.
        var single = group.FirstOrDefault(c => c.Verb.Length == 0);
        var command = single ?? (words.Length > 1 ? group.FirstOrDefault(c => c.Verb == words[1]) : null);
        if (command is null)
        {
            if (words.Length > 1)
            {
                stderr.WriteLine($"Error: unknown command \"{words[1]}\" for \"velero {words[0]}\"");
            }

            stderr.Write(Help(words[0]));
            return args.Any(a => a is "-h" or "--help") ? ExitCodes.Success : ExitCodes.Usage;
        }

        var rest = args.Skip(single is null ? 2 : 1).ToList();
        ParsedArgs parsed;
        try
        {
            parsed = ArgParser.Parse(rest, [.. command.Flags, .. Flag.Global]);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("Error: " + e.Message);
            stderr.WriteLine($"Run 'velero {command.Name} --help' for usage.");
            return ExitCodes.Usage;
        }

        if (parsed.GetBool("help") == true)
        {
            stdout.Write(CommandHelp(command));
            return ExitCodes.Success;
        }

        using var ctx = new CliContext(parsed, stdout, stderr);
        try
        {
            return await command.Run(ctx, parsed).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("Error: " + e.Message);
            foreach (var line in e.Details)
            {
                stderr.WriteLine("  " + line);
            }

            return ExitCodes.Usage;
        }
        catch (VeleroValidationException e)
        {
            stderr.WriteLine("An error occurred: " + e.Message);
            foreach (var line in e.Errors)
            {
                stderr.WriteLine("  " + line);
            }

            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is VeleroException or IOException or UnauthorizedAccessException or k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            stderr.WriteLine("An error occurred: " + e.Message);
            return ExitCodes.Failed;
        }
    }

    private static string Help(string? group)
    {
        var sb = new StringBuilder();
        sb.Append("velero (Velero.Sdk, direct mode): back up and restore Kubernetes cluster resources, running the engine in this process.\n\n");
        sb.Append("Usage:\n  velero <group> <verb> [flags]\n\nAvailable commands:\n");
        foreach (var c in Commands.Where(c => group is null || c.Group == group))
        {
            sb.Append("  ").Append(c.Name.PadRight(20)).Append(c.Summary).Append('\n');
        }

        sb.Append("\nGlobal flags:\n");
        AppendFlags(sb, Flag.Global);
        sb.Append("\nExit codes: 0 completed (get/describe: found), 1 ended in another phase, not found or failed, 2 bad flags or invalid request.\n");
        return sb.ToString();
    }

    private static string CommandHelp(Command command)
    {
        var sb = new StringBuilder();
        sb.Append(command.Summary).Append("\n\nUsage:\n  velero ").Append(command.Usage).Append("\n\nFlags:\n");
        AppendFlags(sb, command.Flags);
        sb.Append("\nGlobal flags:\n");
        AppendFlags(sb, Flag.Global);
        return sb.ToString();
    }

    private static void AppendFlags(StringBuilder sb, IEnumerable<Flag> flags)
    {
        foreach (var f in flags)
        {
            var value = f.Kind switch
            {
                FlagKind.Bool => string.Empty,
                FlagKind.List => " " + (f.ValueName ?? "strings"),
                _ => " " + (f.ValueName ?? "string"),
            };
            var name = (f.Short is { } s ? $"-{s}, " : "    ") + "--" + f.Name + value;
            sb.Append("  ").Append(name.PadRight(44)).Append(' ').Append(f.Help).Append('\n');
        }
    }
}

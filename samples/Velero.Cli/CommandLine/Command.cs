namespace Velero.Cli.CommandLine;

/// <summary>One verb of the CLI (<c>backup create</c>): its usage line, flags and handler, which returns the exit code.</summary>
internal sealed record Command(string Group, string Verb, string Usage, string Summary, IReadOnlyList<Flag> Flags, Func<CliContext, ParsedArgs, Task<int>> Run)
{
    public string Name => Verb.Length == 0 ? Group : Group + " " + Verb;
}

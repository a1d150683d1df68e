namespace Velero.Cli.CommandLine;

/// <summary>How a flag takes its value, as in velero's flag library (spf13/pflag).</summary>
internal enum FlagKind
{
    /// <summary>One value: <c>--ttl 24h</c> or <c>--ttl=24h</c>; the last one given wins.</summary>
    String,

    /// <summary>Comma-separated values, repeatable: <c>--include-namespaces a,b --include-namespaces c</c>.</summary>
    List,

    /// <summary>Values kept whole (not split at commas), repeatable: <c>--snapshot-location aws:region=x,profile=y</c>.</summary>
    Repeated,

    /// <summary>
    /// A boolean that is unset unless given: <c>--flag</c> means true, <c>--flag=false</c> false (the value must follow
    /// <c>=</c>: <c>--flag false</c> leaves <c>false</c> as an argument, as pflag does).
    /// </summary>
    Bool,
}

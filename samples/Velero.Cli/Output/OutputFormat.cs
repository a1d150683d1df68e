using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Cli.CommandLine;

namespace Velero.Cli.Output;

/// <summary>velero's <c>-o/--output</c>: nothing (human text), <c>table</c>, <c>json</c> or <c>yaml</c>.</summary>
internal enum OutputFormat
{
    /// <summary>No <c>-o</c>: human text (and <c>create</c> runs).</summary>
    None,

    /// <summary><c>-o table</c>.</summary>
    Table,

    /// <summary><c>-o json</c>: one JSON document on stdout.</summary>
    Json,

    /// <summary><c>-o yaml</c>: one YAML document on stdout.</summary>
    Yaml,
}

/// <summary>Reads <c>-o</c> and writes single documents.</summary>
internal static class Documents
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 2 };

    public static OutputFormat ParseFormat(ParsedArgs args) => args.Get("output") switch
    {
        null or "" => OutputFormat.None,
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        var other => throw new UsageException($"invalid output format '{other}'. valid value are 'table, json, yaml'"),
    };

    /// <summary>Writes one document (json or yaml) and a final newline.</summary>
    public static void Write(TextWriter writer, JsonNode? document, OutputFormat format)
    {
        if (format == OutputFormat.Yaml)
        {
            writer.Write(Yaml.Serialize(document));
        }
        else
        {
            writer.WriteLine(document?.ToJsonString(Indented) ?? "null");
        }
    }
}

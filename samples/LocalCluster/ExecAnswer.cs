using System.Text.Json.Nodes;
using Velero.Sdk.Testing;

namespace LocalCluster;

/// <summary>One entry of the --exec-answers file; "*" (or a missing field) matches anything.</summary>
internal sealed record ExecAnswer(string Namespace, string Pod, string Container, IReadOnlyList<string>? Command, string Stdout, string Stderr, int ExitCode, int DelayMs)
{
    public bool Matches(ExecRequest r) =>
        Field(Namespace, r.Namespace) && Field(Pod, r.Pod) && Field(Container, r.Container)
        && (Command is null || Command.SequenceEqual(r.Command));

    private static bool Field(string pattern, string value) => pattern == "*" || pattern == value;

    public static IReadOnlyList<ExecAnswer> Load(string path)
    {
        var text = File.ReadAllText(path);
        var node = ManifestText.ParseSingle(text) as JsonArray
            ?? throw new InvalidOperationException($"{path}: expected a YAML list of {{namespace, pod, container, command, stdout, stderr, exitCode, delayMs}}");
        var answers = new List<ExecAnswer>();
        foreach (var item in node)
        {
            if (item is not JsonObject o)
            {
                throw new InvalidOperationException($"{path}: entry {answers.Count + 1} is not a mapping");
            }

            IReadOnlyList<string>? command = o["command"] switch
            {
                null => null,
                JsonValue v when v.ToString() == "*" => null,
                JsonArray a => a.Select(x => x?.ToString() ?? string.Empty).ToArray(),
                JsonValue v => [v.ToString()],
                _ => throw new InvalidOperationException($"{path}: entry {answers.Count + 1}: command must be a list or \"*\""),
            };
            answers.Add(new ExecAnswer(
                Str(o["namespace"]), Str(o["pod"]), Str(o["container"]), command,
                o["stdout"]?.ToString() ?? string.Empty, o["stderr"]?.ToString() ?? string.Empty,
                o["exitCode"] is null ? 0 : (int)o["exitCode"]!.GetValue<long>(), o["delayMs"] is null ? 0 : (int)o["delayMs"]!.GetValue<long>()));
        }

        return answers;
    }

    private static string Str(JsonNode? n) => n?.ToString() ?? "*";
}

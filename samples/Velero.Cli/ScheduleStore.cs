using Velero.Sdk.Model;

namespace Velero.Cli;

/// <summary>
/// Where direct mode keeps Schedules. Velero keeps them only as resources in the cluster, and a Velero bucket must hold nothing
/// but Velero's top-level folders (a Velero server marks a location with any other folder Unavailable), so with no server and
/// no writes to the cluster they live on this machine: one <c>velero.io/v1</c> Schedule JSON per file,
/// <c>$VELERO_CLI_HOME/schedules/&lt;namespace&gt;/&lt;name&gt;.json</c> (default <c>~/.config/velero-sdk</c>).
/// <c>backup create --from-schedule</c> and <c>restore create --from-schedule</c> read them; nothing runs them on a clock
/// (that is the server's job).
/// </summary>
internal sealed class ScheduleStore(string veleroNamespace)
{
    public static string Home =>
        Environment.GetEnvironmentVariable("VELERO_CLI_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "velero-sdk");

    public string Folder => Path.Combine(Home, "schedules", veleroNamespace);

    public bool Exists(string name) => File.Exists(PathOf(name));

    public V1Schedule? Get(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? VeleroJson.Deserialize<V1Schedule>(File.ReadAllText(path)) : null;
    }

    public IReadOnlyList<V1Schedule> List() =>
        Directory.Exists(Folder)
            ? [.. Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(f => VeleroJson.Deserialize<V1Schedule>(File.ReadAllText(f))!)]
            : [];

    public void Put(V1Schedule schedule)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(schedule.Metadata.Name);
        var temp = path + ".tmp";
        File.WriteAllText(temp, VeleroJson.Serialize(schedule, indented: true));
        File.Move(temp, path, overwrite: true);
    }

    public bool Delete(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private string PathOf(string name) =>
        name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.')
            ? Path.Combine(Folder, ".invalid-name")
            : Path.Combine(Folder, name + ".json");
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>The velero.io/v1 CRDs of the shared test data, paired with our model types.</summary>
internal static class VeleroCrds
{
    public sealed record Entry(string Plural, Type ResourceType, Type ListType);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("backups", typeof(V1Backup), typeof(V1BackupList)),
        new("restores", typeof(V1Restore), typeof(V1RestoreList)),
        new("schedules", typeof(V1Schedule), typeof(V1ScheduleList)),
        new("backupstoragelocations", typeof(V1BackupStorageLocation), typeof(V1BackupStorageLocationList)),
        new("volumesnapshotlocations", typeof(V1VolumeSnapshotLocation), typeof(V1VolumeSnapshotLocationList)),
        new("deletebackuprequests", typeof(V1DeleteBackupRequest), typeof(V1DeleteBackupRequestList)),
        new("downloadrequests", typeof(V1DownloadRequest), typeof(V1DownloadRequestList)),
        new("serverstatusrequests", typeof(V1ServerStatusRequest), typeof(V1ServerStatusRequestList)),
    ];

    public static TheoryData<string> Plurals()
    {
        var data = new TheoryData<string>();
        foreach (var e in All)
        {
            data.Add(e.Plural);
        }

        return data;
    }

    public static Entry Get(string plural) => All.Single(e => e.Plural == plural);

    public static V1CustomResourceDefinition Load(string plural)
    {
        var text = File.ReadAllText(TestData.Path("velero-crds", "v1", $"velero.io_{plural}.yaml"));
        return KubernetesYaml.Deserialize<V1CustomResourceDefinition>(text);
    }

    /// <summary>The openAPIV3Schema of the CRD's only version, as a JSON tree.</summary>
    public static JsonObject LoadSchema(string plural)
    {
        var crd = Load(plural);
        crd.Spec.Versions.Count.ShouldBe(1);
        var schema = crd.Spec.Versions[0].Schema.OpenAPIV3Schema;
        return JsonNode.Parse(KubernetesJson.Serialize(schema))!.AsObject();
    }
}

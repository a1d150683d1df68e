using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// How <see cref="VeleroJson"/> (with the settings of KubernetesClient's <see cref="KubernetesJson"/>) writes and
/// reads the model: the behaviours the rest of the SDK relies on.
/// </summary>
public class VeleroJsonTests
{
    [Fact]
    public void New_resource_writes_type_metadata_and_empty_metadata_and_spec_only()
    {
        VeleroJson.Serialize(new V1Backup())
            .ShouldBe("""{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{},"spec":{}}""");
        VeleroJson.Serialize(new V1ServerStatusRequestList())
            .ShouldBe("""{"apiVersion":"velero.io/v1","kind":"ServerStatusRequestList","metadata":{},"items":[]}""");
    }

    [Fact]
    public void Null_properties_are_omitted_and_empty_collections_are_kept()
    {
        var backup = new V1Backup
        {
            Spec = new V1BackupSpec { IncludedNamespaces = [], ExcludedNamespaces = null, SnapshotVolumes = false },
        };

        var spec = JsonNode.Parse(VeleroJson.Serialize(backup))!["spec"]!.AsObject();

        spec.ToJsonString().ShouldBe("""{"includedNamespaces":[],"snapshotVolumes":false}""");
    }

    [Fact]
    public void Trap_names_are_written_as_velero_spells_them()
    {
        var backup = new V1Backup { Spec = new V1BackupSpec { DataMover = "velero", CsiSnapshotTimeout = "10m0s" } };
        var restore = new V1Restore
        {
            Spec = new V1RestoreSpec
            {
                RestorePVs = true,
                Hooks = new V1RestoreHooks { Resources = [new() { Name = "h", PostHooks = [new() { Exec = new() { Command = ["true"] } }] }] },
            },
        };
        var download = new V1DownloadRequest { Status = new V1DownloadRequestStatus { DownloadURL = "https://example/x" } };

        VeleroJson.Serialize(backup).ShouldContain("\"datamover\":\"velero\"");
        VeleroJson.Serialize(backup).ShouldContain("\"csiSnapshotTimeout\":\"10m0s\"");
        VeleroJson.Serialize(restore).ShouldContain("\"restorePVs\":true");
        VeleroJson.Serialize(restore).ShouldContain("\"postHooks\":[{\"exec\":{\"command\":[\"true\"]}}]");
        VeleroJson.Serialize(download).ShouldContain("\"downloadURL\":\"https://example/x\"");
    }

    [Fact]
    public void CaCert_is_base64_on_the_wire()
    {
        var pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"u8.ToArray();
        var bsl = new V1BackupStorageLocation
        {
            Spec = new V1BackupStorageLocationSpec
            {
                Provider = "aws",
                ObjectStorage = new V1ObjectStorageLocation
                {
                    Bucket = "b",
                    CaCert = pem,
                    CaCertRef = new V1SecretKeySelector { Name = "ca", Key = "ca.crt" },
                },
            },
        };

        var json = VeleroJson.Serialize(bsl);

        var objectStorage = JsonNode.Parse(json)!["spec"]!["objectStorage"]!;
        objectStorage["caCert"]!.GetValue<string>().ShouldBe(Convert.ToBase64String(pem));
        objectStorage["caCertRef"]!.ToJsonString().ShouldBe("""{"key":"ca.crt","name":"ca"}""");
        VeleroJson.Deserialize<V1BackupStorageLocation>(json)!.Spec.ObjectStorage!.CaCert.ShouldBe(pem);
    }

    [Fact]
    public void Unknown_fields_at_every_level_survive_a_round_trip()
    {
        const string json = """
            {
              "apiVersion": "velero.io/v1",
              "kind": "Restore",
              "metadata": { "name": "r", "namespace": "velero" },
              "spec": {
                "backupName": "b",
                "newSpecField": { "a": [1, 2, 3] },
                "hooks": {
                  "resources": [
                    {
                      "name": "h",
                      "postHooks": [
                        {
                          "init": {
                            "initContainers": [
                              { "name": "c", "image": "busybox", "restartPolicy": "Always", "futureContainerField": true }
                            ],
                            "timeout": "1m0s"
                          },
                          "newHookKind": { "x": 1 }
                        }
                      ]
                    }
                  ]
                }
              },
              "status": { "phase": "Completed", "newStatusCounter": 7 },
              "newTopLevelField": "kept"
            }
            """;

        var restore = VeleroJson.Deserialize<V1Restore>(json)!;

        restore.AdditionalProperties!.Keys.ShouldBe(["newTopLevelField"]);
        restore.Spec.AdditionalProperties!.Keys.ShouldBe(["newSpecField"]);
        restore.Status!.AdditionalProperties!["newStatusCounter"].GetInt32().ShouldBe(7);
        var hook = restore.Spec.Hooks!.Resources![0].PostHooks![0];
        hook.AdditionalProperties!.Keys.ShouldBe(["newHookKind"]);
        hook.Init!.InitContainers![0].GetProperty("futureContainerField").GetBoolean().ShouldBeTrue();
        JsonAssert.Equal(JsonNode.Parse(json), JsonNode.Parse(VeleroJson.Serialize(restore)));
    }

    [Fact]
    public void Times_are_written_as_rfc3339_utc_with_second_precision()
    {
        var status = new V1BackupStatus
        {
            StartTimestamp = new DateTime(2026, 5, 20, 8, 0, 0, DateTimeKind.Utc),
            CompletionTimestamp = new DateTime(2026, 5, 20, 8, 0, 1, DateTimeKind.Utc).AddTicks(1234567),
        };

        var json = VeleroJson.Serialize(status);

        json.ShouldBe("""{"startTimestamp":"2026-05-20T08:00:00Z","completionTimestamp":"2026-05-20T08:00:01.123456Z"}""");
    }

    [Fact]
    public void Local_times_are_converted_to_utc_on_write()
    {
        var utc = new DateTime(2026, 5, 20, 8, 0, 0, DateTimeKind.Utc);

        var json = VeleroJson.Serialize(new V1ScheduleStatus { LastBackup = utc.ToLocalTime() });

        json.ShouldBe("""{"lastBackup":"2026-05-20T08:00:00Z"}""");
    }

    [Theory]
    [InlineData("2026-05-20T08:00:00Z", 0)]
    [InlineData("2026-05-20T08:00:00.5Z", 5_000_000)]
    [InlineData("2026-05-20T08:00:00.123456789Z", 1_234_567)]
    [InlineData("2026-05-20T10:00:00+02:00", 0)]
    public void Times_are_read_as_utc(string text, long extraTicks)
    {
        var status = VeleroJson.Deserialize<V1BackupStatus>($$"""{"expiration":"{{text}}"}""")!;

        status.Expiration!.Value.Kind.ShouldBe(DateTimeKind.Utc);
        status.Expiration.Value.ShouldBe(new DateTime(2026, 5, 20, 8, 0, 0, DateTimeKind.Utc).AddTicks(extraTicks));
    }

    [Fact]
    public void Explicit_nulls_are_read_as_absent()
    {
        var spec = VeleroJson.Deserialize<V1BackupSpec>("""{"includedNamespaces":null,"labelSelector":null,"ttl":"1h0m0s"}""")!;

        spec.IncludedNamespaces.ShouldBeNull();
        spec.LabelSelector.ShouldBeNull();
        spec.AdditionalProperties.ShouldBeNull();
        VeleroJson.Serialize(spec).ShouldBe("""{"ttl":"1h0m0s"}""");
    }

    [Fact]
    public void Stream_and_span_overloads_read_the_same_object()
    {
        var text = VeleroJson.Serialize(new V1DownloadRequest
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DownloadRequestSpec { Target = new V1DownloadTarget { Kind = DownloadTargetKind.BackupLog, Name = "b" } },
        });
        var bytes = Encoding.UTF8.GetBytes(text);

        using var stream = new MemoryStream(bytes);
        VeleroJson.Serialize(VeleroJson.Deserialize<V1DownloadRequest>(stream)!).ShouldBe(text);
        VeleroJson.Serialize(VeleroJson.Deserialize<V1DownloadRequest>(bytes.AsSpan())!).ShouldBe(text);
        VeleroJson.Serialize(VeleroJson.Deserialize<V1DownloadRequest>(text)!).ShouldBe(text);
        VeleroJson.Deserialize<V1DownloadRequest>("null").ShouldBeNull();
    }

    [Fact]
    public void Indented_output_uses_two_spaces_and_is_the_same_json()
    {
        var backup = new V1Backup { Metadata = new V1ObjectMeta { Name = "b" } };

        var indented = VeleroJson.Serialize(backup, indented: true);

        indented.ShouldBe("""
            {
              "apiVersion": "velero.io/v1",
              "kind": "Backup",
              "metadata": {
                "name": "b"
              },
              "spec": {}
            }
            """.ReplaceLineEndings("\n"));
        VeleroJson.Serialize(backup, indented: false).ShouldBe(VeleroJson.Serialize(backup));
        JsonAssert.Equal(VeleroJson.Serialize(backup), indented);
    }

    [Fact]
    public void Html_sensitive_characters_are_escaped_but_read_back_unchanged()
    {
        var meta = new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["k"] = "v1.21.2+vmware.1 <it's>" } };

        var json = VeleroJson.Serialize(new V1Backup { Metadata = meta });

        json.ShouldContain(@"v1.21.2\u002Bvmware.1 \u003Cit\u0027s\u003E");
        VeleroJson.Deserialize<V1Backup>(json)!.Metadata.Annotations["k"].ShouldBe("v1.21.2+vmware.1 <it's>");
    }

    [Fact]
    public void Invalid_json_throws_JsonException()
    {
        Should.Throw<JsonException>(() => VeleroJson.Deserialize<V1Backup>("""{"spec": {"ttl": 5}}"""));
        Should.Throw<JsonException>(() => VeleroJson.Deserialize<V1Backup>("{"));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Should.Throw<ArgumentNullException>(() => VeleroJson.Serialize(null!));
        Should.Throw<ArgumentNullException>(() => VeleroJson.Serialize(null!, indented: true));
        Should.Throw<ArgumentNullException>(() => VeleroJson.Deserialize<V1Backup>((string)null!));
        Should.Throw<ArgumentNullException>(() => VeleroJson.Deserialize<V1Backup>((Stream)null!));
    }
}

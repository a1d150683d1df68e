using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Installs or upgrades the velero.io/v1 CustomResourceDefinitions the hosted reconciler needs (Backup, Restore, Schedule,
/// BackupStorageLocation, VolumeSnapshotLocation, DeleteBackupRequest, DownloadRequest, ServerStatusRequest). Ours keep every
/// field (<c>x-kubernetes-preserve-unknown-fields</c>) and have no <c>/status</c> subresource, as Velero's; CRDs installed by
/// Velero itself (without our label) are left as they are.
/// </summary>
public static class VeleroCustomResourceDefinitions
{
    /// <summary>The label that marks CRDs this library manages.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The label value of CRDs this library manages.</summary>
    public const string ManagedByValue = "velero-sdk";

    /// <summary>The annotation holding the revision of our CRD definitions; a CRD with a lower revision is upgraded.</summary>
    public const string RevisionAnnotation = "velero-sdk.io/crd-revision";

    private const int Revision = 1;

    private static readonly (string Kind, string Plural, string? ShortName, bool PhaseColumn)[] Kinds =
    [
        ("Backup", "backups", null, true),
        ("Restore", "restores", null, true),
        ("Schedule", "schedules", null, true),
        ("BackupStorageLocation", "backupstoragelocations", "bsl", true),
        ("VolumeSnapshotLocation", "volumesnapshotlocations", "vsl", false),
        ("DeleteBackupRequest", "deletebackuprequests", null, true),
        ("DownloadRequest", "downloadrequests", null, true),
        ("ServerStatusRequest", "serverstatusrequests", "ssr", true),
    ];

    /// <summary>The names of the CRDs (<c>backups.velero.io</c>, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Kinds.Select(k => k.Plural + "." + VeleroConstants.Group)];

    /// <summary>
    /// Creates the CRDs the cluster lacks, upgrades ours of an older revision, leaves the others, and waits until each is
    /// Established. Returns what was done per CRD: <c>created</c>, <c>upgraded</c>, <c>unchanged</c> or <c>kept</c> (not ours).
    /// </summary>
    /// <exception cref="VeleroException">The API server refused a CRD or one did not become Established within a minute.</exception>
    public static async Task<IReadOnlyDictionary<string, string>> InstallAsync(IKubernetes client, CancellationToken cancellationToken = default) =>
        await InstallAsync(client, NullLogger.Instance, cancellationToken).ConfigureAwait(false);

    internal static async Task<IReadOnlyDictionary<string, string>> InstallAsync(IKubernetes client, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var api = new KubeApi(client, logger: logger);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in Kinds)
        {
            var crd = Definition(kind.Kind, kind.Plural, kind.ShortName, kind.PhaseColumn);
            var name = crd["metadata"]!["name"]!.GetValue<string>();
            var path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
            var existing = await api.TryGetAsync(path + "/" + name, cancellationToken: cancellationToken).ConfigureAwait(false);
            string action;
            if (existing is null)
            {
                await api.SendJsonAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(crd.ToJsonString()), cancellationToken: cancellationToken).ConfigureAwait(false);
                action = "created";
            }
            else
            {
                var current = JsonNode.Parse(existing.Value.Body)!;
                var ours = current["metadata"]?["labels"]?[ManagedByLabel]?.GetValue<string>() == ManagedByValue;
                var revision = int.TryParse(current["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>(), out var r) ? r : 0;
                if (!ours)
                {
                    action = "kept";
                }
                else if (revision < Revision)
                {
                    crd["metadata"]!["resourceVersion"] = current["metadata"]!["resourceVersion"]!.DeepClone();
                    await api.SendJsonAsync(HttpMethod.Put, path + "/" + name, Encoding.UTF8.GetBytes(crd.ToJsonString()), cancellationToken: cancellationToken).ConfigureAwait(false);
                    action = "upgraded";
                }
                else
                {
                    action = "unchanged";
                }
            }

            await WaitEstablishedAsync(api, path + "/" + name, cancellationToken).ConfigureAwait(false);
            result[name] = action;
            Log.CrdInstalled(logger, name, action);
        }

        return result;
    }

    private static async Task WaitEstablishedAsync(KubeApi api, string path, CancellationToken cancellationToken)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var body = await api.TryGetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            var established = body is { } b && (JsonNode.Parse(b.Body)!["status"]?["conditions"]?.AsArray() ?? [])
                .Any(c => c?["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True");
            if (established)
            {
                return;
            }

            if (waiting.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new VeleroException(VeleroErrorCode.ClusterFailure, $"CRD {path[(path.LastIndexOf('/') + 1)..]} did not become Established within a minute");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Our definition of one kind: structural, preserving every field, namespaced, no subresources.</summary>
    internal static JsonObject Definition(string kind, string plural, string? shortName, bool phaseColumn)
    {
        var open = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var version = new JsonObject
        {
            ["name"] = VeleroConstants.Version,
            ["served"] = true,
            ["storage"] = true,
            ["schema"] = new JsonObject
            {
                ["openAPIV3Schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = $"{kind} of Velero (velero.io/v1), reconciled by Velero.Sdk.",
                    ["properties"] = new JsonObject
                    {
                        ["apiVersion"] = new JsonObject { ["type"] = "string" },
                        ["kind"] = new JsonObject { ["type"] = "string" },
                        ["metadata"] = new JsonObject { ["type"] = "object" },
                        ["spec"] = open.DeepClone(),
                        ["status"] = open.DeepClone(),
                    },
                },
            },
        };
        if (phaseColumn)
        {
            version["additionalPrinterColumns"] = new JsonArray(
                new JsonObject { ["name"] = "Phase", ["type"] = "string", ["jsonPath"] = ".status.phase" },
                new JsonObject { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" });
        }

        var names = new JsonObject { ["kind"] = kind, ["listKind"] = kind + "List", ["plural"] = plural, ["singular"] = kind.ToLowerInvariant() };
        if (shortName is not null)
        {
            names["shortNames"] = new JsonArray(shortName);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = plural + "." + VeleroConstants.Group,
                ["labels"] = new JsonObject { ["component"] = "velero", [ManagedByLabel] = ManagedByValue },
                ["annotations"] = new JsonObject { [RevisionAnnotation] = Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = VeleroConstants.Group,
                ["names"] = names,
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(version),
            },
        };
    }
}

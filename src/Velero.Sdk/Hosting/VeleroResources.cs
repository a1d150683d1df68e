using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Velero.Sdk.Cluster;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// The velero.io/v1 resources of the server's namespace, read and written as Velero's controllers do: status is part of the
/// object (no <c>/status</c> subresource), so every status write is a JSON merge patch of the object.
/// </summary>
internal sealed class VeleroResources(KubeApi api, string ns)
{
    public KubeApi Api => api;

    public string Namespace => ns;

    public static string Plural<T>() => typeof(T).Name switch
    {
        nameof(V1Backup) => V1Backup.KubePluralName,
        nameof(V1Restore) => V1Restore.KubePluralName,
        nameof(V1Schedule) => V1Schedule.KubePluralName,
        nameof(V1BackupStorageLocation) => V1BackupStorageLocation.KubePluralName,
        nameof(V1VolumeSnapshotLocation) => V1VolumeSnapshotLocation.KubePluralName,
        nameof(V1DeleteBackupRequest) => V1DeleteBackupRequest.KubePluralName,
        nameof(V1DownloadRequest) => V1DownloadRequest.KubePluralName,
        nameof(V1ServerStatusRequest) => V1ServerStatusRequest.KubePluralName,
        var other => throw new ArgumentException($"{other} is not a velero.io/v1 kind"),
    };

    public string CollectionPath<T>() => $"/apis/{VeleroConstants.ApiVersion}/namespaces/{ns}/{Plural<T>()}";

    public string ItemPath<T>(string name) => CollectionPath<T>() + "/" + Uri.EscapeDataString(name);

    public async Task<(List<T> Items, string ResourceVersion)> ListAsync<T>(string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var path = CollectionPath<T>() + (labelSelector is null ? string.Empty : "?labelSelector=" + Uri.EscapeDataString(labelSelector));
        var body = await api.GetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = JsonNode.Parse(body)!.AsObject();
        var items = new List<T>();
        foreach (var item in list["items"]?.AsArray() ?? [])
        {
            items.Add(VeleroJson.Deserialize<T>(item!.ToJsonString())!);
        }

        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? string.Empty);
    }

    public async Task<T?> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : class
    {
        var answer = await api.TryGetAsync(ItemPath<T>(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer is { } a ? VeleroJson.Deserialize<T>(a.Body) : null;
    }

    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
    {
        var body = Encoding.UTF8.GetBytes(VeleroJson.Serialize(obj!));
        var answer = await api.SendJsonAsync(HttpMethod.Post, CollectionPath<T>(), body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return VeleroJson.Deserialize<T>(answer)!;
    }

    /// <summary>Creates the object; returns false when one of that name already exists.</summary>
    public async Task<bool> TryCreateAsync<T>(T obj, CancellationToken cancellationToken = default)
    {
        try
        {
            await CreateAsync(obj, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>A JSON merge patch of the object (status included); returns null when the object is gone.</summary>
    public async Task<T?> PatchAsync<T>(string name, JsonObject patch, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            var body = Encoding.UTF8.GetBytes(patch.ToJsonString());
            var answer = await api.SendJsonAsync(HttpMethod.Patch, ItemPath<T>(name), body, "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            return VeleroJson.Deserialize<T>(answer);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync<T>(string name, CancellationToken cancellationToken = default) =>
        api.DeleteAsync(ItemPath<T>(name), cancellationToken);

    /// <summary>Reads a key of a Secret of the namespace (credentials named by a location).</summary>
    public async Task<byte[]> GetSecretKeyAsync(V1SecretKeySelector selector, CancellationToken cancellationToken)
    {
        var answer = await api.TryGetAsync($"/api/v1/namespaces/{ns}/secrets/{Uri.EscapeDataString(selector.Name)}", cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new VeleroException(VeleroErrorCode.NotFound, $"secret {ns}/{selector.Name} not found");
        var secret = JsonNode.Parse(answer.Body)!;
        var value = secret["data"]?[selector.Key]?.GetValue<string>()
            ?? throw new VeleroException(VeleroErrorCode.NotFound, $"secret {ns}/{selector.Name} has no key {selector.Key}");
        return Convert.FromBase64String(value);
    }

    /// <summary>The names of the cluster's namespaces.</summary>
    public async Task<List<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        var body = await api.GetAsync("/api/v1/namespaces", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (JsonNode.Parse(body)!["items"]?.AsArray() ?? []).Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
    }

    public static JsonObject Status(params (string Key, JsonNode? Value)[] fields)
    {
        var status = new JsonObject();
        foreach (var (key, value) in fields)
        {
            status[key] = value;
        }

        return new JsonObject { ["status"] = status };
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

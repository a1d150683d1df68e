using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>The kind of change a watch reported.</summary>
internal enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One watch loop over a velero.io kind of the server's namespace, with a cache of the objects: lists, then watches from
/// the list's resourceVersion with bookmarks; relists when the server says 410 Gone (or the watch ends in an error) and
/// backs off with jitter after failures. Subscribers hear every change (and a synthetic Added per object after a relist).
/// </summary>
internal sealed class ResourceInformer<T>(VeleroResources resources, ILogger logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<ChangeType, T>> _handlers = [];

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task Synced => _synced.Task;

    /// <summary>The cached objects (a snapshot).</summary>
    public IReadOnlyList<T> Items => [.. _cache.Values];

    public T? Get(string name) => _cache.TryGetValue(name, out var value) ? value : null;

    public void Subscribe(Action<ChangeType, T> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await RelistAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
                while (!cancellationToken.IsCancellationRequested)
                {
                    resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (WatchExpiredException)
            {
                Log.WatchExpired(logger, VeleroResources.Plural<T>());
            }
            catch (Exception e) when (e is VeleroException or IOException or HttpRequestException or JsonException)
            {
                failures++;
                var delay = Retry.Backoff(failures);
                Log.WatchFailed(logger, VeleroResources.Plural<T>(), e.Message, delay);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = await resources.ListAsync<T>(cancellationToken: cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(item.Metadata.Name);
            _cache[item.Metadata.Name] = item;
        }

        foreach (var name in _cache.Keys.Where(n => !seen.Contains(n)).ToList())
        {
            if (_cache.TryRemove(name, out var gone))
            {
                Raise(ChangeType.Deleted, gone);
            }
        }

        _synced.TrySetResult();
        foreach (var item in items)
        {
            Raise(ChangeType.Added, item);
        }

        return resourceVersion;
    }

    private async Task<string> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var path = resources.CollectionPath<T>() + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=60&resourceVersion=" + Uri.EscapeDataString(resourceVersion);
        Stream stream;
        try
        {
            stream = await resources.Api.OpenStreamAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Gone)
        {
            throw new WatchExpiredException();
        }

        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var evt = JsonNode.Parse(line)!.AsObject();
                var type = evt["type"]?.GetValue<string>();
                var obj = evt["object"] as JsonObject;
                switch (type)
                {
                    case "BOOKMARK":
                        resourceVersion = obj?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? resourceVersion;
                        continue;
                    case "ERROR":
                        if (obj?["code"]?.GetValue<int>() == 410)
                        {
                            throw new WatchExpiredException();
                        }

                        throw new KubernetesApiException("watch of " + VeleroResources.Plural<T>() + " failed: " + obj?["message"]);
                }

                if (obj is null)
                {
                    continue;
                }

                var item = VeleroJson.Deserialize<T>(obj.ToJsonString())!;
                resourceVersion = item.Metadata.ResourceVersion ?? resourceVersion;
                if (type == "DELETED")
                {
                    _cache.TryRemove(item.Metadata.Name, out _);
                    Raise(ChangeType.Deleted, item);
                }
                else
                {
                    _cache[item.Metadata.Name] = item;
                    Raise(type == "ADDED" ? ChangeType.Added : ChangeType.Modified, item);
                }
            }
        }

        return resourceVersion;
    }

    private void Raise(ChangeType type, T item)
    {
        Action<ChangeType, T>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        foreach (var handler in handlers)
        {
            handler(type, item);
        }
    }

    /// <summary>
    /// Updates the cache with an object this host just patched, so the next reconcile sees the write before the watch brings
    /// it. Only an object still in the cache is updated, and never with an older version: an object whose deletion the watch
    /// has already reported stays gone.
    /// </summary>
    public void Observe(T item)
    {
        var name = item.Metadata.Name;
        while (_cache.TryGetValue(name, out var cached))
        {
            if (long.TryParse(cached.Metadata.ResourceVersion, out var had)
                && long.TryParse(item.Metadata.ResourceVersion, out var now)
                && now < had)
            {
                return;
            }

            if (_cache.TryUpdate(name, item, cached))
            {
                return;
            }
        }
    }

    /// <summary>Adds an object this host just created, unless the watch already brought it.</summary>
    public void ObserveCreated(T item) => _cache.TryAdd(item.Metadata.Name, item);

    private sealed class WatchExpiredException : Exception
    {
    }
}

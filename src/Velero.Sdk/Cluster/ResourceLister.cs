using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>Paginated, streaming lists of raw objects: the next page is fetched while the current one is consumed.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The page gate is a SemaphoreSlim whose wait handle is never asked for: it holds nothing to dispose, and a page released late (after its list) must still find it usable.")]
internal sealed class ResourceLister(KubeApi api, ILogger logger)
{
    /// <summary>
    /// Pooled pages alive at once, across this lister's lists: a page is not fetched while this many are still held (being
    /// read, queued or worked on), so the pages in memory do not depend on how many items a page holds or how far the
    /// workers lag behind, and the page pool is not made to drop and allocate large arrays.
    /// </summary>
    internal const int MaxPooledPages = 4;

    /// <summary>The first page of a type never seen asks for one item per this many bytes of the page budget.</summary>
    internal const int FirstPageItemBytes = 16 * 1024;

    // The average item size of each type listed so far (bytes and items, summed), for the first page of its next list.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<GroupResource, (long Bytes, long Items)> _sizes = new();
    private readonly SemaphoreSlim _pooledPages = new(MaxPooledPages, MaxPooledPages);

    /// <summary>Pooled pages now alive (fetched or being fetched, not yet released by every holder).</summary>
    internal int PooledPagesHeld => MaxPooledPages - _pooledPages.CurrentCount;

    /// <summary>
    /// Lists every object of <paramref name="resource"/> (in <paramref name="ns"/>, or across all namespaces), page by page.
    /// An expired continue token (410) starts the list again from the beginning; callers de-duplicate.
    /// </summary>
    public async IAsyncEnumerable<RawObject> ListAsync(ApiResourceInfo resource, string? ns, string? labelSelector, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in ListPagesAsync(resource, ns, labelSelector, pooled: false, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// <see cref="ListAsync"/> page by page. With <paramref name="pooled"/>, each page's items are slices of a pooled
    /// <see cref="Page.Buffer"/> that the caller releases once it and every holder of the items are done with them.
    /// </summary>
    public async IAsyncEnumerable<Page> ListPagesAsync(ApiResourceInfo resource, string? ns, string? labelSelector, bool pooled, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int limit = LimitFor(resource.GroupResource);
        string? token = null;
        var next = FetchAsync(resource, ns, labelSelector, limit, token, pooled, cancellationToken);
        while (true)
        {
            Page page;
            try
            {
                page = await next.ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Gone && token is not null)
            {
                Log.ContinueExpired(logger, resource.GroupResource.ToString());
                token = null;
                next = FetchAsync(resource, ns, labelSelector, limit, null, pooled, cancellationToken);
                continue;
            }

            token = page.Continue;
            RecordSize(resource.GroupResource, page);
            limit = LimitFor(resource.GroupResource);
            if (!string.IsNullOrEmpty(token))
            {
                next = FetchAsync(resource, ns, labelSelector, limit, token, pooled, cancellationToken);
            }

            yield return page;

            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The item limit of a list's next page: as many items of the type's average size seen so far (or of
    /// <see cref="FirstPageItemBytes"/>, before any) as fit in <see cref="KubernetesAccessOptions.PageBytes"/>, at least one
    /// and at most <see cref="KubernetesAccessOptions.PageSize"/>; <c>PageSize</c> alone without a byte budget.
    /// </summary>
    private int LimitFor(GroupResource groupResource)
    {
        var options = api.Options;
        if (options.PageSize <= 0 || options.PageBytes <= 0)
        {
            return options.PageSize;
        }

        long itemBytes = _sizes.TryGetValue(groupResource, out var seen) && seen.Items > 0 ? Math.Max(1, seen.Bytes / seen.Items) : FirstPageItemBytes;
        return (int)Math.Clamp(options.PageBytes / itemBytes, 1, options.PageSize);
    }

    /// <summary>Adds a page's bytes and items to its type's running average.</summary>
    private void RecordSize(GroupResource groupResource, Page page)
    {
        if (page.Items.Count > 0)
        {
            _sizes.AddOrUpdate(groupResource, (page.Bytes, page.Items.Count), (_, s) => (s.Bytes + page.Bytes, s.Items + page.Items.Count));
        }
    }

    private async Task<Page> FetchAsync(ApiResourceInfo r, string? ns, string? labelSelector, int limit, string? token, bool pooled, CancellationToken cancellationToken)
    {
        var path = ApiPaths.List(r, ns, labelSelector, limit, token);
        if (!pooled)
        {
            var body = await api.GetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ParsePage(body, r.ApiVersion, r.Kind);
        }

        await _pooledPages.WaitAsync(cancellationToken).ConfigureAwait(false);
        PageBuffer buffer;
        try
        {
            buffer = await api.GetPageAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pooledPages.Release();
            throw;
        }

        buffer.OnReturned(() => _pooledPages.Release());
        try
        {
            return ParsePage(buffer.Memory, r.ApiVersion, r.Kind) with { Buffer = buffer };
        }
        catch
        {
            buffer.Release();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Page ParsePage(ReadOnlyMemory<byte> body, string apiVersion, string kind)
    {
        var items = new List<RawObject>();
        string? cont = null;
        var reader = new Utf8JsonReader(body.Span);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException("a Kubernetes object must be a JSON object");
                    }

                    // One pass: the item is found and read together, not skipped over and then read again.
                    items.Add(RawObject.Parse(body, ref reader, apiVersion, kind));
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isContinue = reader.ValueTextEquals("continue"u8);
                    reader.Read();
                    if (isContinue && reader.TokenType == JsonTokenType.String)
                    {
                        cont = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new Page(items, cont) { Bytes = body.Length };
    }

    /// <summary>A list page: its items, the continue token, and (when pooled) the buffer the items are slices of.</summary>
    internal sealed record Page(List<RawObject> Items, string? Continue, PageBuffer? Buffer = null)
    {
        /// <summary>The page's size in bytes (the response body).</summary>
        public int Bytes { get; init; }
    }
}

using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>Paginated, streaming lists of raw objects: the next page is fetched while the current one is consumed.</summary>
internal sealed class ResourceLister(KubeApi api, ILogger logger)
{
    /// <summary>
    /// Lists every object of <paramref name="resource"/> (in <paramref name="ns"/>, or across all namespaces), page by page.
    /// An expired continue token (410) starts the list again from the beginning; callers de-duplicate.
    /// </summary>
    public async IAsyncEnumerable<RawObject> ListAsync(ApiResourceInfo resource, string? ns, string? labelSelector, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int limit = api.Options.PageSize;
        string? token = null;
        var next = FetchAsync(resource, ns, labelSelector, limit, token, cancellationToken);
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
                next = FetchAsync(resource, ns, labelSelector, limit, null, cancellationToken);
                continue;
            }

            token = page.Continue;
            if (!string.IsNullOrEmpty(token))
            {
                next = FetchAsync(resource, ns, labelSelector, limit, token, cancellationToken);
            }

            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }
        }
    }

    private async Task<Page> FetchAsync(ApiResourceInfo r, string? ns, string? labelSelector, int limit, string? token, CancellationToken cancellationToken)
    {
        var body = await api.GetAsync(ApiPaths.List(r, ns, labelSelector, limit, token), cancellationToken: cancellationToken).ConfigureAwait(false);
        return ParsePage(body, r.ApiVersion, r.Kind);
    }

    internal static Page ParsePage(byte[] body, string apiVersion, string kind)
    {
        var items = new List<RawObject>();
        string? cont = null;
        var reader = new Utf8JsonReader(body);
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
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    items.Add(RawObject.Parse(body.AsMemory(start, end - start), apiVersion, kind));
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

        return new Page(items, cont);
    }

    internal sealed record Page(List<RawObject> Items, string? Continue);
}

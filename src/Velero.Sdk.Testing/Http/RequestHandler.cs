using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Velero.Sdk.Testing.Discovery;
using Velero.Sdk.Testing.Storage;

namespace Velero.Sdk.Testing.Http;

/// <summary>Routes and answers every HTTP request of the server.</summary>
internal sealed class RequestHandler
{
    private const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static readonly byte[] Comma = ","u8.ToArray();

    private readonly ApiEngine _engine;
    private readonly KubernetesApiServerOptions _options;
    private readonly FaultInjector _faults;
    private readonly RequestCounters _counters;
    private readonly ExecHandlers _exec;
    private readonly CancellationToken _stopping;
    private readonly byte[] _version;

    public RequestHandler(ApiEngine engine, KubernetesApiServerOptions options, FaultInjector faults, RequestCounters counters, ExecHandlers exec, CancellationToken stopping)
    {
        _engine = engine;
        _options = options;
        _faults = faults;
        _counters = counters;
        _exec = exec;
        _stopping = stopping;
        var v = options.KubernetesVersion;
        _version = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["major"] = v.Major.ToString(CultureInfo.InvariantCulture),
            ["minor"] = v.Minor.ToString(CultureInfo.InvariantCulture),
            ["emulationMajor"] = v.Major.ToString(CultureInfo.InvariantCulture),
            ["emulationMinor"] = v.Minor.ToString(CultureInfo.InvariantCulture),
            ["gitVersion"] = $"v{v.Major}.{v.Minor}.{Math.Max(0, v.Build)}",
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        });
    }

    private ObjectStore Store => _engine.Store;

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            if (_options.BearerToken is { } token && ctx.Request.Headers.Authorization.ToString() != "Bearer " + token)
            {
                _counters.Increment("unauthorized", ctx.Request.Path);
                throw ApiException.Unauthorized();
            }

            await RouteAsync(ctx).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(ctx, e).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(ctx, ApiException.BadRequest($"the object provided is unrecognized or invalid: {e.Message}")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ConnectionResetException && ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await WriteErrorAsync(ctx, ApiException.Internal(e.Message)).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext ctx, ApiException e)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }

        if (e.RetryAfterSeconds is { } retry)
        {
            ctx.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(ctx, e.Code, JsonSerializer.SerializeToUtf8Bytes(e.ToStatus())).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int status, byte[] body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length + 1;
        var writer = ctx.Response.BodyWriter;
        writer.Write(body);
        writer.Write("\n"u8);
        await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task RouteAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        var snapshot = _engine.Registry.Current;

        if (segs.Length == 0)
        {
            throw ApiException.NoSuchResource();
        }

        switch (segs[0])
        {
            case "version" when segs.Length == 1:
                _counters.Increment("get", "version");
                await WriteJsonAsync(ctx, 200, _version).ConfigureAwait(false);
                return;
            case "healthz" or "livez" or "readyz":
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            case "api" when segs.Length == 1:
                _counters.Increment("get", "discovery");
                await Faults(ctx, "get", "discovery", null).ConfigureAwait(false);
                if (WantsAggregated(ctx))
                {
                    await WriteJsonAsync(ctx, 200, snapshot.AggregatedCore, AggregatedContentType).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(ctx, 200, ApiVersions(ctx)).ConfigureAwait(false);
                }

                return;
            case "apis" when segs.Length == 1:
                _counters.Increment("get", "discovery");
                await Faults(ctx, "get", "discovery", null).ConfigureAwait(false);
                await WriteJsonAsync(ctx, 200, WantsAggregated(ctx) ? snapshot.AggregatedApis : snapshot.GroupList, WantsAggregated(ctx) ? AggregatedContentType : "application/json").ConfigureAwait(false);
                return;
            case "api" when segs.Length == 2:
                {
                    _counters.Increment("get", "discovery");
                    var list = snapshot.ResourceListBytes(segs[1]) ?? throw ApiException.NoSuchResource();
                    await WriteJsonAsync(ctx, 200, list).ConfigureAwait(false);
                    return;
                }

            case "apis" when segs.Length == 2:
                {
                    _counters.Increment("get", "discovery");
                    var g = snapshot.FindGroup(segs[1]) ?? throw ApiException.NoSuchResource();
                    var o = ResourceRegistry.Snapshot.GroupJson(g);
                    var group = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
                    foreach (var (k, v) in o.ToList())
                    {
                        o.Remove(k);
                        group[k] = v;
                    }

                    await WriteJsonAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(group)).ConfigureAwait(false);
                    return;
                }

            case "apis" when segs.Length == 3:
                {
                    _counters.Increment("get", "discovery");
                    var list = snapshot.ResourceListBytes(segs[1] + "/" + segs[2]) ?? throw ApiException.NoSuchResource();
                    await WriteJsonAsync(ctx, 200, list).ConfigureAwait(false);
                    return;
                }

            case "api" or "apis":
                break;
            default:
                throw ApiException.NoSuchResource();
        }

        // Resource paths: /api/v1/... or /apis/{group}/{version}/...
        string group2;
        string version;
        int rest;
        if (segs[0] == "api")
        {
            group2 = string.Empty;
            version = segs[1];
            rest = 2;
        }
        else
        {
            group2 = segs[1];
            version = segs[2];
            rest = 3;
        }

        var r = segs[rest..];
        string ns = string.Empty;
        string plural;
        string? name = null;
        string? sub = null;
        if (r.Length >= 3 && r[0] == "namespaces" && !(group2.Length == 0 && r.Length == 3 && r[2] is "status" or "finalize"))
        {
            ns = r[1];
            plural = r[2];
            name = r.Length > 3 ? r[3] : null;
            sub = r.Length > 4 ? r[4] : null;
            if (r.Length > 5)
            {
                throw ApiException.NoSuchResource();
            }
        }
        else
        {
            plural = r[0];
            name = r.Length > 1 ? r[1] : null;
            sub = r.Length > 2 ? r[2] : null;
            if (r.Length > 3)
            {
                throw ApiException.NoSuchResource();
            }
        }

        var type = snapshot.Find(group2, version, plural) ?? throw ApiException.NoSuchResource();
        if (ns.Length > 0 && !type.Namespaced)
        {
            throw ApiException.NoSuchResource();
        }

        if (sub is not null && !type.Subresources.Any(s => s.Name == sub))
        {
            throw ApiException.NoSuchResource();
        }

        var query = ctx.Request.Query;
        var isWatch = query["watch"].ToString() is "true" or "1";
        var verb = (method, name, sub) switch
        {
            ("GET", null, _) => isWatch ? "watch" : "list",
            ("GET", _, "exec") or ("POST", _, "exec") => "exec",
            ("GET", _, _) => "get",
            ("POST", null, _) => "create",
            ("PUT", not null, _) => "update",
            ("PATCH", not null, _) => "patch",
            ("DELETE", null, _) => "deletecollection",
            ("DELETE", not null, _) => "delete",
            _ => string.Empty,
        };
        var resourceName = sub is null ? type.Plural : type.Plural + "/" + sub;
        var counted = type.Group.Length == 0 ? resourceName : type.Plural + "." + type.Group + (sub is null ? string.Empty : "/" + sub);
        _counters.Increment(verb.Length == 0 ? method.ToLowerInvariant() : verb, counted);
        if (verb.Length == 0)
        {
            throw ApiException.MethodNotAllowed();
        }

        var allowed = sub is null ? type.Supports(verb) : verb == "exec" || type.Subresources.First(s => s.Name == sub).Verbs.Contains(verb);
        if (!allowed)
        {
            throw ApiException.MethodNotAllowed();
        }

        await Faults(ctx, verb, resourceName, type.Group).ConfigureAwait(false);
        var dryRun = query["dryRun"].ToString() == "All";
        if (query.ContainsKey("dryRun") && !dryRun)
        {
            throw ApiException.BadRequest($"Invalid dry run value: {query["dryRun"]}");
        }

        switch (verb)
        {
            case "get":
                await GetAsync(ctx, type, ns, name!, sub).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(ctx, type, ns).ConfigureAwait(false);
                break;
            case "watch":
                await WatchAsync(ctx, type, ns).ConfigureAwait(false);
                break;
            case "create":
                {
                    var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                    var stored = _engine.Create(type, ns, body, dryRun);
                    await WriteJsonAsync(ctx, 201, Bytes(stored, type, item: false)).ConfigureAwait(false);
                    break;
                }

            case "update":
                {
                    var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                    var stored = _engine.Update(type, ns, name!, sub, body, dryRun);
                    AfterWrite(type, ns, dryRun);
                    await WriteJsonAsync(ctx, 200, Bytes(stored, type, item: false)).ConfigureAwait(false);
                    break;
                }

            case "patch":
                {
                    var bytes = await ReadBodyAsync(ctx).ConfigureAwait(false);
                    var stored = _engine.Patch(type, ns, name!, sub, ctx.Request.ContentType ?? string.Empty, bytes, dryRun, out var created);
                    AfterWrite(type, ns, dryRun);
                    await WriteJsonAsync(ctx, created ? 201 : 200, Bytes(stored, type, item: false)).ConfigureAwait(false);
                    break;
                }

            case "delete":
                await DeleteAsync(ctx, type, ns, name!, dryRun).ConfigureAwait(false);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(ctx, type, ns, dryRun).ConfigureAwait(false);
                break;
            case "exec":
                await ExecAsync(ctx, type, ns, name!).ConfigureAwait(false);
                break;
        }
    }

    private void AfterWrite(ResourceType type, string ns, bool dryRun)
    {
        if (!dryRun && type.Namespaced && ns.Length > 0)
        {
            _engine.MaybeFinalizeNamespace(ns);
        }
        else if (!dryRun && type.Group.Length == 0 && type.Plural == "namespaces")
        {
            // A namespace whose finalizers were cleared may now go.
        }
    }

    private static byte[] ApiVersions(HttpContext ctx)
    {
        var host = ctx.Request.Host.Value ?? "127.0.0.1";
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = host }),
        });
    }

    private static bool WantsAggregated(HttpContext ctx)
    {
        foreach (var accept in ctx.Request.Headers.Accept)
        {
            foreach (var part in (accept ?? string.Empty).Split(','))
            {
                var p = part.Replace(" ", string.Empty, StringComparison.Ordinal);
                if (p.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal) && p.Contains("v=v2", StringComparison.Ordinal)
                    && !p.Contains("v=v2beta1", StringComparison.Ordinal) && p.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task Faults(HttpContext ctx, string verb, string resource, string? group)
    {
        var rule = _faults.Match(verb, resource, group);
        if (rule is null)
        {
            return;
        }

        if (rule.Latency > TimeSpan.Zero)
        {
            await Task.Delay(rule.Latency, ctx.RequestAborted).ConfigureAwait(false);
        }

        switch (rule.StatusCode)
        {
            case 0:
                return;
            case 429:
                throw ApiException.TooManyRequests(rule.RetryAfterSeconds);
            case 500:
                throw ApiException.Internal("injected fault");
            case 503:
                throw ApiException.ServiceUnavailable("the server is currently unable to handle the request (injected fault)");
            case 504:
                throw new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request (injected fault)");
            default:
                throw new ApiException(rule.StatusCode, rule.StatusCode >= 500 ? "InternalError" : "BadRequest", $"injected fault {rule.StatusCode}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is { } length and >= 0 and <= 16 * 1024 * 1024)
        {
            // The common case: one exact-size array, no intermediate stream.
            var body = new byte[length];
            var read = 0;
            while (read < body.Length)
            {
                var n = await ctx.Request.Body.ReadAsync(body.AsMemory(read), ctx.RequestAborted).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == body.Length ? body : body[..read];
        }

        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        return ms.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var bytes = await ReadBodyAsync(ctx).ConfigureAwait(false);
        var media = (ctx.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        JsonNode? node;
        try
        {
            node = media is "application/yaml" or "application/x-yaml"
                ? Velero.Sdk.Patching.ManifestReader.ParseSingle(Encoding.UTF8.GetString(bytes))
                : JsonNode.Parse(bytes);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiException.BadRequest($"the object provided is unrecognized or invalid: {e.Message}");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the object provided is unrecognized or invalid: not a JSON object");
    }

    /// <summary>The bytes to send for an object served at the requested version of its resource.</summary>
    private static byte[] Bytes(StoredObject o, ResourceType type, bool item)
    {
        if (o.ApiVersion.Length == 0 || o.ApiVersion == type.GroupVersion || (item && !type.IsCustom))
        {
            return item ? o.ItemJson : o.Json;
        }

        // Served at another version of the same resource: only apiVersion differs (no schema conversion).
        var obj = o.Parse();
        obj["apiVersion"] = type.GroupVersion;
        return JsonSerializer.SerializeToUtf8Bytes(obj);
    }

    private static void WriteItem(IBufferWriter<byte> writer, StoredObject o, ResourceType type)
    {
        if (o.ApiVersion.Length == 0 || o.ApiVersion == type.GroupVersion || !type.IsCustom)
        {
            o.WriteItem(writer);
            return;
        }

        writer.Write(Bytes(o, type, item: true));
    }

    // ---------------------------------------------------------------- get, list

    private async Task GetAsync(HttpContext ctx, ResourceType type, string ns, string name, string? sub)
    {
        var table = TableConverter.Negotiate(ctx);
        var o = Store.Get(type.StorageKey, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
        if (table is not null)
        {
            var metadata = new JsonObject { ["resourceVersion"] = o.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
            await WriteJsonAsync(ctx, 200, TableConverter.Table(type, table, [o], metadata, withColumns: true, _engine.UtcNow(), s => Bytes(s, type, item: false))).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(ctx, 200, Bytes(o, type, item: false)).ConfigureAwait(false);
    }

    private static Func<StoredObject, bool>? Predicate(IQueryCollection query)
    {
        var label = Selectors.Label(query["labelSelector"].ToString());
        var field = Selectors.Field(query["fieldSelector"].ToString());
        if (label is null && field is null)
        {
            return null;
        }

        return o => (label is null || label(o.Labels)) && (field is null || field(o.Namespace, o.Name));
    }

    private async Task ListAsync(HttpContext ctx, ResourceType type, string ns)
    {
        var query = ctx.Request.Query;
        var table = TableConverter.Negotiate(ctx);
        var predicate = Predicate(query);
        var limit = int.MaxValue;
        if (query["limit"].ToString() is { Length: > 0 } l)
        {
            if (!long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiException.BadRequest($"invalid limit: {l}");
            }

            if (parsed > 0)
            {
                limit = (int)Math.Min(parsed, int.MaxValue);
            }
        }

        var rvParam = query["resourceVersion"].ToString();
        var rvMatch = query["resourceVersionMatch"].ToString();
        var cont = query["continue"].ToString();
        long? snapshotRv = null;
        string? startAfter = null;
        if (cont.Length > 0)
        {
            if (rvParam.Length > 0)
            {
                throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            (snapshotRv, startAfter) = DecodeContinue(cont, ns);
        }
        else if (rvParam.Length > 0 && rvParam != "0")
        {
            if (!long.TryParse(rvParam, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw ApiException.BadRequest($"invalid resource version: {rvParam}");
            }

            if (rvMatch == "Exact")
            {
                snapshotRv = rv;
            }
        }
        else if (rvMatch == "Exact")
        {
            throw ApiException.BadRequest("resourceVersionMatch: Invalid value: \"Exact\": resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
        }

        ListPage page;
        try
        {
            page = Store.List(type.StorageKey, type.Namespaced ? ns : null, startAfter, snapshotRv, limit, predicate);
        }
        catch (SnapshotExpiredException e)
        {
            if (cont.Length > 0)
            {
                // As etcd3 does: 410 with a token to continue inconsistently from the current state.
                var fresh = EncodeContinue(Store.CurrentResourceVersion, startAfter!, type.Namespaced ? ns : string.Empty);
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with an inconsistent list may provide less or more results than requested.")
                {
                    ListMetadata = new JsonObject { ["continue"] = fresh },
                };
            }

            throw ApiException.Expired($"too old resource version: {e.Requested} ({e.Oldest})");
        }

        if (table is not null)
        {
            var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
            if (page.ContinueStart is not null)
            {
                metadata["continue"] = EncodeContinue(page.ResourceVersion, page.ContinueStart, ns);
            }

            if (page.RemainingItemCount is { } remaining)
            {
                metadata["remainingItemCount"] = remaining;
            }

            await WriteJsonAsync(ctx, 200, TableConverter.Table(type, table, page.Items, metadata, withColumns: true, _engine.UtcNow(), s => Bytes(s, type, item: false))).ConfigureAwait(false);
            return;
        }

        await WriteListAsync(ctx, type, page, ns).ConfigureAwait(false);
    }

    private static async Task WriteListAsync(HttpContext ctx, ResourceType type, ListPage page, string ns)
    {
        var rv = page.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var cont = page.ContinueStart is null ? null : EncodeContinue(page.ResourceVersion, page.ContinueStart, ns);
        var head = new StringBuilder();
        if (type.IsCustom)
        {
            // Custom resource lists come out of an unstructured encoder: sorted keys, items with apiVersion/kind.
            head.Append("{\"apiVersion\":").Append(JsonSerializer.Serialize(type.GroupVersion)).Append(",\"items\":[");
        }
        else
        {
            head.Append("{\"kind\":").Append(JsonSerializer.Serialize(type.ListKind)).Append(",\"apiVersion\":").Append(JsonSerializer.Serialize(type.GroupVersion))
                .Append(",\"metadata\":{\"resourceVersion\":\"").Append(rv).Append('"');
            if (cont is not null)
            {
                head.Append(",\"continue\":").Append(JsonSerializer.Serialize(cont));
            }

            if (page.RemainingItemCount is { } rem)
            {
                head.Append(",\"remainingItemCount\":").Append(rem.ToString(CultureInfo.InvariantCulture));
            }

            head.Append("},\"items\":[");
        }

        string tail;
        if (type.IsCustom)
        {
            var t = new StringBuilder("],\"kind\":").Append(JsonSerializer.Serialize(type.ListKind)).Append(",\"metadata\":{\"continue\":")
                .Append(JsonSerializer.Serialize(cont ?? string.Empty));
            if (page.RemainingItemCount is { } rem)
            {
                t.Append(",\"remainingItemCount\":").Append(rem.ToString(CultureInfo.InvariantCulture));
            }

            t.Append(",\"resourceVersion\":\"").Append(rv).Append("\"}}\n");
            tail = t.ToString();
        }
        else
        {
            tail = "]}\n";
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var writer = ctx.Response.BodyWriter;
        writer.Write(Encoding.UTF8.GetBytes(head.ToString()));
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(Comma);
            }

            WriteItem(writer, page.Items[i], type);
            if ((i & 63) == 63)
            {
                await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.Write(Encoding.UTF8.GetBytes(tail));
        await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private static string EncodeContinue(long rv, string lastKey, string ns = "")
    {
        var start = ns.Length > 0 && lastKey.StartsWith(ns + "/", StringComparison.Ordinal) ? lastKey[(ns.Length + 1)..] : lastKey;
        var json = JsonSerializer.Serialize(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = start + "\u0000" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    private static (long Rv, string StartAfter) DecodeContinue(string token, string ns)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var o = JsonNode.Parse(Convert.FromBase64String(b64))!.AsObject();
            if ((string?)o["v"] != "meta.k8s.io/v1")
            {
                throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            var rv = (long)o["rv"]!;
            var start = (string)o["start"]!;
            if (rv <= 0 || !start.EndsWith('\u0000'))
            {
                throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            start = start[..^1];
            return (rv, ns.Length > 0 ? ns + "/" + start : start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest("continue key is not valid: " + e.Message);
        }
    }

    // ---------------------------------------------------------------- watch

    private async Task WatchAsync(HttpContext ctx, ResourceType type, string ns)
    {
        var query = ctx.Request.Query;
        var table = TableConverter.Negotiate(ctx);
        var columnsSent = false;
        var label = Selectors.Label(query["labelSelector"].ToString());
        var field = Selectors.Field(query["fieldSelector"].ToString());
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var sendInitial = query["sendInitialEvents"].ToString() is "true" or "1";
        var rvParam = query["resourceVersion"].ToString();
        TimeSpan? timeout = null;
        if (query["timeoutSeconds"].ToString() is { Length: > 0 } ts && int.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var secs) && secs > 0)
        {
            timeout = TimeSpan.FromSeconds(secs);
        }

        long? fromRv = null;
        if (rvParam.Length > 0 && rvParam != "0")
        {
            if (!long.TryParse(rvParam, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw ApiException.BadRequest($"invalid resource version: {rvParam}");
            }

            fromRv = rv;
        }

        if (sendInitial)
        {
            fromRv = null;
        }

        bool Matches(StoredObject? o) =>
            o is not null && (!type.Namespaced || ns.Length == 0 || o.Namespace == ns)
            && (label is null || label(o.Labels)) && (field is null || field(o.Namespace, o.Name));

        byte[] EventObject(StoredObject o)
        {
            if (table is null)
            {
                return Bytes(o, type, item: false);
            }

            // As kube-apiserver does, only the first event's table carries the column definitions.
            var metadata = new JsonObject { ["resourceVersion"] = o.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
            var bytes = TableConverter.Table(type, table, [o], metadata, withColumns: !columnsSent, _engine.UtcNow(), s => Bytes(s, type, item: false));
            columnsSent = true;
            return bytes;
        }

        using var watcher = new Watcher(type.StorageKey);
        IReadOnlyList<StoredObject> initial = [];
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        try
        {
            if (fromRv is null)
            {
                // No resourceVersion: the current state as ADDED events, then changes.
                initial = Store.AddWatcherWithSnapshot(watcher, type.Namespaced && ns.Length > 0 ? ns : null);
            }
            else
            {
                Store.AddWatcher(watcher, fromRv);
            }
        }
        catch (SnapshotExpiredException e)
        {
            var status = ApiException.Expired($"too old resource version: {e.Requested} ({e.Oldest})").ToStatus();
            await WriteEventAsync(ctx, "ERROR", JsonSerializer.SerializeToUtf8Bytes(status)).ConfigureAwait(false);
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, watcher.Dropped, _stopping);
        if (timeout is { } t)
        {
            cts.CancelAfter(t);
        }

        try
        {
            foreach (var o in initial)
            {
                if (Matches(o))
                {
                    await WriteEventAsync(ctx, "ADDED", EventObject(o)).ConfigureAwait(false);
                }
            }

            if (sendInitial && bookmarks)
            {
                await WriteEventAsync(ctx, "BOOKMARK", Bookmark(type, watcher.StartResourceVersion, initialEventsEnd: true)).ConfigureAwait(false);
            }

            await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
            var lastRv = watcher.StartResourceVersion;
            while (!cts.IsCancellationRequested)
            {
                WatchEvent? e;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
                {
                    if (bookmarks)
                    {
                        wait.CancelAfter(_options.WatchBookmarkInterval);
                    }

                    try
                    {
                        if (!await watcher.Events.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!cts.IsCancellationRequested)
                    {
                        await WriteEventAsync(ctx, "BOOKMARK", Bookmark(type, Math.Max(lastRv, Store.CurrentResourceVersion))).ConfigureAwait(false);
                        await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
                        continue;
                    }
                }

                while (watcher.Events.TryRead(out e))
                {
                    lastRv = e.ResourceVersion;
                    var now = e.Type == "DELETED" ? false : Matches(e.Object);
                    var before = Matches(e.Previous) || (e.Type == "DELETED" && Matches(e.Object));
                    string? kind = e.Type switch
                    {
                        "ADDED" => now ? "ADDED" : null,
                        "DELETED" => before ? "DELETED" : null,
                        _ => now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : null,
                    };
                    if (kind is not null)
                    {
                        await WriteEventAsync(ctx, kind, EventObject(e.Object)).ConfigureAwait(false);
                    }
                }

                await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Store.RemoveWatcher(watcher);
            if (watcher.Dropped.IsCancellationRequested)
            {
                ctx.Abort();
            }
        }
    }

    private static byte[] Bookmark(ResourceType type, long rv, bool initialEventsEnd = false)
    {
        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = metadata,
        });
    }

    private static async Task WriteEventAsync(HttpContext ctx, string type, byte[] obj)
    {
        var writer = ctx.Response.BodyWriter;
        writer.Write(Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":"));
        writer.Write(obj);
        writer.Write("}\n"u8);
        await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- delete

    private static async Task<JsonObject?> DeleteOptionsAsync(HttpContext ctx)
    {
        var bytes = await ReadBodyAsync(ctx).ConfigureAwait(false);
        JsonObject? options = null;
        if (bytes.Length > 0)
        {
            try
            {
                options = JsonNode.Parse(bytes) as JsonObject;
            }
            catch (JsonException e)
            {
                throw ApiException.BadRequest($"the object provided is unrecognized or invalid: {e.Message}");
            }
        }

        var q = ctx.Request.Query;
        if (q["propagationPolicy"].ToString() is { Length: > 0 } pp)
        {
            options ??= new JsonObject();
            options["propagationPolicy"] = pp;
        }

        if (options?["propagationPolicy"] is JsonValue p && (string?)p is { } policy && policy is not ("Orphan" or "Background" or "Foreground"))
        {
            throw new ApiException(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"", new JsonObject
            {
                ["group"] = "meta.k8s.io",
                ["kind"] = "DeleteOptions",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueNotSupported", ["message"] = $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"", ["field"] = "propagationPolicy" }),
            });
        }

        if (options?["dryRun"] is JsonArray dr && dr.Any(x => (string?)x == "All"))
        {
            options["__dryRun"] = true;
        }

        return options;
    }

    private async Task DeleteAsync(HttpContext ctx, ResourceType type, string ns, string name, bool dryRun)
    {
        var options = await DeleteOptionsAsync(ctx).ConfigureAwait(false);
        dryRun |= options?["__dryRun"] is not null;
        var result = _engine.Delete(type, ns, name, options, dryRun, out var immediately);
        var returnsObject = !immediately || (type.Group.Length == 0 && type.Plural is "pods" or "services");
        if (returnsObject)
        {
            await WriteJsonAsync(ctx, 200, Bytes(result, type, item: false)).ConfigureAwait(false);
            return;
        }

        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        details["uid"] = result.Uid;
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
        await WriteJsonAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(status)).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, ResourceType type, string ns, bool dryRun)
    {
        var options = await DeleteOptionsAsync(ctx).ConfigureAwait(false);
        dryRun |= options?["__dryRun"] is not null;
        var predicate = Predicate(ctx.Request.Query);
        var targets = Store.Snapshot(type.StorageKey, type.Namespaced && ns.Length > 0 ? ns : null).Where(o => predicate is null || predicate(o)).ToList();
        var results = new List<StoredObject>();
        foreach (var o in targets)
        {
            try
            {
                results.Add(_engine.Delete(type, o.Namespace, o.Name, options, dryRun, out _));
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }

        var page = new ListPage(results, Store.CurrentResourceVersion, null, null);
        await WriteListAsync(ctx, type, page, ns).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- exec

    private static readonly string[] ExecProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    private async Task ExecAsync(HttpContext ctx, ResourceType type, string ns, string name)
    {
        var pod = Store.Get(type.StorageKey, StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
        var query = ctx.Request.Query;
        var command = query["command"].Select(c => c ?? string.Empty).ToArray();
        if (command.Length == 0)
        {
            throw ApiException.BadRequest("you must specify at least 1 command");
        }

        var containers = pod.Parse()["spec"]?["containers"] is JsonArray cs ? cs.Select(c => (string?)c?["name"] ?? string.Empty).ToList() : [];
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }

        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("Upgrade request required");
        }

        var offered = ctx.WebSockets.WebSocketRequestedProtocols;
        var protocol = ExecProtocols.FirstOrDefault(p => offered.Contains(p))
            ?? throw ApiException.BadRequest("unable to upgrade connection: no supported subprotocol (v5.channel.k8s.io, v4.channel.k8s.io)");
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
        var request = new ExecRequest(ns, name, container, command);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);

        // Drain what the client sends (stdin, resize, close) so that the close handshake completes.
        var reader = DrainAsync(socket, cts.Token);
        var result = await _exec.RunAsync(request, cts.Token).ConfigureAwait(false);
        await SendChannelAsync(socket, 1, Encoding.UTF8.GetBytes(result.Stdout), cts.Token).ConfigureAwait(false);
        await SendChannelAsync(socket, 2, Encoding.UTF8.GetBytes(result.Stderr), cts.Token).ConfigureAwait(false);
        JsonObject status = result.ExitCode == 0
            ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
            : new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {result.ExitCode}",
                ["reason"] = "NonZeroExitCode",
                ["details"] = new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = result.ExitCode.ToString(CultureInfo.InvariantCulture) }),
                },
            };
        var statusBytes = protocol is "v4.channel.k8s.io" or "v5.channel.k8s.io"
            ? JsonSerializer.SerializeToUtf8Bytes(status)
            : Encoding.UTF8.GetBytes(result.ExitCode == 0 ? string.Empty : (string)status["message"]!);
        await SendChannelAsync(socket, 3, statusBytes, cts.Token).ConfigureAwait(false);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cts.Token).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            await reader.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private static async Task DrainAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var r = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private static async Task SendChannelAsync(WebSocket socket, byte channel, byte[] data, CancellationToken ct)
    {
        if (data.Length == 0 && channel != 3)
        {
            return;
        }

        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame, 1);
        await socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
    }
}

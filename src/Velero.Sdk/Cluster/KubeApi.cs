using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Velero.Sdk.Diagnostics;

namespace Velero.Sdk.Cluster;

/// <summary>
/// Raw JSON access to the Kubernetes API through KubernetesClient's configured HTTP pipeline and credentials
/// (kubeconfig, in-cluster, exec plugins): bytes in, bytes out, so unknown fields are never lost. Adds client-side
/// QPS/burst limits and retries with backoff that honour <c>Retry-After</c> on 429 and 5xx answers.
/// </summary>
internal sealed class KubeApi
{
    private static readonly HashSet<HttpStatusCode> Retryable =
    [
        HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    private readonly global::k8s.Kubernetes _client;
    private readonly RequestRateLimiter _limiter;
    private readonly KubernetesAccessOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public KubeApi(IKubernetes client, KubernetesAccessOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        _client = client as global::k8s.Kubernetes
            ?? throw new ArgumentException("Velero.Sdk needs a k8s.Kubernetes client (made from a KubernetesClientConfiguration)", nameof(client));
        _options = options ?? new KubernetesAccessOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _limiter = new RequestRateLimiter(_options.Qps, _options.Burst, _time);
    }

    /// <summary>The KubernetesClient client (for typed calls such as exec).</summary>
    public IKubernetes Client => _client;

    public KubernetesAccessOptions Options => _options;

    /// <summary>
    /// The array a list page of unannounced length is first read into: the page byte budget and half again (pages are sized
    /// from an average, so some run over), or 1 MiB without a budget.
    /// </summary>
    private int ExpectedPageLength => _options.PageBytes > 0 ? (int)Math.Min((long)_options.PageBytes * 3 / 2, 1 << 26) : 1 << 20;

    /// <summary>GETs a path and returns the body; throws <see cref="KubernetesApiException"/> for error answers.</summary>
    public async Task<byte[]> GetAsync(string path, string? accept = null, CancellationToken cancellationToken = default)
    {
        var (_, body, _, _) = await SendAsync(HttpMethod.Get, path, null, null, accept, cancellationToken).ConfigureAwait(false);
        return body;
    }

    /// <summary>GETs a path and returns the body in a pooled buffer (the caller releases it); throws <see cref="KubernetesApiException"/> for error answers.</summary>
    public async Task<PageBuffer> GetPageAsync(string path, CancellationToken cancellationToken = default)
    {
        var (_, _, _, page) = await SendAsync(HttpMethod.Get, path, null, null, null, cancellationToken, pooled: true).ConfigureAwait(false);
        return page!;
    }

    /// <summary>GETs a path; returns null on 404 and the body with its content type otherwise.</summary>
    public async Task<(byte[] Body, string? ContentType)?> TryGetAsync(string path, string? accept = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var (_, body, type, _) = await SendAsync(HttpMethod.Get, path, null, null, accept, cancellationToken).ConfigureAwait(false);
            return (body, type);
        }
        catch (KubernetesApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Sends a request with a JSON body (create, update, patch) and returns the answer's body.</summary>
    public async Task<byte[]> SendJsonAsync(HttpMethod method, string path, ReadOnlyMemory<byte> body, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        var (_, answer, _, _) = await SendAsync(method, path, body, contentType, null, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary><see cref="SendJsonAsync"/> for a caller that does not need the answer: a successful answer's body is read and dropped.</summary>
    public Task SendJsonDroppingAnswerAsync(HttpMethod method, string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        SendAsync(method, path, body, "application/json", null, cancellationToken, discard: true);

    /// <summary>Sends a DELETE; a missing object is not an error.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, path, null, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// Opens a streaming GET (a watch): returns the body stream once the headers are in; error answers throw
    /// <see cref="KubernetesApiException"/> (410 Gone among them). Not retried: watch loops relist and back off themselves.
    /// </summary>
    public async Task<Stream> OpenStreamAsync(string path, CancellationToken cancellationToken = default)
    {
        await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, path.TrimStart('/')));
        request.Headers.Accept.ParseAdd("application/json");
        if (_client.Credentials is not null)
        {
            await _client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"request GET {path} failed: {e.Message}", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var bytes = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                throw ToException(response.StatusCode, bytes, HttpMethod.Get, path);
            }
        }

        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A response body that releases its response when disposed.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Archive.ReadStreamBase
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private async Task<(HttpStatusCode Status, byte[] Body, string? ContentType, PageBuffer? Page)> SendAsync(
        HttpMethod method, string path, ReadOnlyMemory<byte>? body, string? contentType, string? accept, CancellationToken cancellationToken, bool pooled = false, bool discard = false)
    {
        int attempt = 0;
        while (true)
        {
            attempt++;
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, new Uri(_client.BaseUri, path.TrimStart('/')));
            request.Headers.Accept.ParseAdd(accept ?? "application/json");
            if (body is { } b)
            {
                request.Content = new ReadOnlyMemoryContent(b);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
            }

            if (_client.Credentials is not null)
            {
                await _client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }

            HttpResponseMessage response;
            try
            {
                response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < _options.MaxAttempts)
            {
                var delay = Backoff(attempt, null);
                Log.RequestRetry(_logger, method.Method, path, e.Message, attempt, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new KubernetesApiException($"request {method} {path} failed after {attempt} attempts: {e.Message}", e);
            }

            using (response)
            {
                byte[] bytes = [];
                PageBuffer? page = null;
                try
                {
                    if (discard && response.IsSuccessStatusCode)
                    {
                        await DrainAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                    else if (pooled && response.IsSuccessStatusCode)
                    {
                        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                        await using (stream.ConfigureAwait(false))
                        {
                            page = await PageBuffer.ReadAsync(stream, response.Content.Headers.ContentLength, ExpectedPageLength, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        bytes = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException && attempt < _options.MaxAttempts)
                {
                    var delay = Backoff(attempt, null);
                    Log.RequestRetry(_logger, method.Method, path, e.Message, attempt, delay);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    return (response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString(), page);
                }

                if (Retryable.Contains(response.StatusCode) && attempt < _options.MaxAttempts)
                {
                    var delay = Backoff(attempt, RetryAfter(response));
                    Log.RequestRetry(_logger, method.Method, path, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), attempt, delay);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw ToException(response.StatusCode, bytes, method, path);
            }
        }
    }

    /// <summary>Reads a body to its end into a pooled scratch buffer (so the connection can be reused) and drops it.</summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);
            try
            {
                while (await stream.ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>Reads a body straight into one array of the announced length (no growing buffers for large list pages).</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is not { } length || length > int.MaxValue)
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var bytes = new byte[length];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return bytes;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } ra)
        {
            return ra > _options.MaxRetryDelay ? _options.MaxRetryDelay : ra;
        }

        var exp = _options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exp, _options.MaxRetryDelay.TotalMilliseconds);
        var jitter = 0.5 + (Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var ra = response.Headers.RetryAfter;
        var now = _time.GetUtcNow();
        if (ra?.Delta is { } d)
        {
            return d;
        }

        if (ra?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static KubernetesApiException ToException(HttpStatusCode status, byte[] body, HttpMethod method, string path)
    {
        string reason = status.ToString();
        string message = $"{method} {path} answered {(int)status}";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                {
                    reason = r.GetString()!;
                }

                if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    message = m.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            if (body.Length > 0)
            {
                message = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
            }
        }

        return new KubernetesApiException(status, reason, message, path);
    }
}

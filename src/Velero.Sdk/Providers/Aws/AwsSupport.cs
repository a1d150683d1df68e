using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Velero.Sdk.Providers.Aws;

/// <summary>Config parsing, credentials and TLS shared by the AWS providers.</summary>
internal static class AwsSupport
{
    /// <summary>Config keys Velero injects or that velero-plugin-for-aws accepts and ignores.</summary>
    public static readonly string[] IgnoredKeys = ["bucket", "prefix", "signatureVersion", "enableSharedConfig"];

    public static void CheckKeys(IReadOnlyDictionary<string, string> config, IEnumerable<string> known, string what)
    {
        var unknown = config.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal) && !IgnoredKeys.Contains(k, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw Invalid($"{what} config has unsupported keys: {string.Join(", ", unknown)}");
        }
    }

    public static string? Get(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Go's strconv.ParseBool, as the plugin parses its booleans.</summary>
    public static bool GetBool(IReadOnlyDictionary<string, string> config, string key)
    {
        var value = Get(config, key);
        return value switch
        {
            null => false,
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            _ => throw Invalid($"could not parse {key} (expected bool)"),
        };
    }

    public static Uri? GetUrl(IReadOnlyDictionary<string, string> config, string key)
    {
        var value = Get(config, key);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid($"Invalid s3 url {value}, URL must be valid according to https://golang.org/pkg/net/url/#Parse and start with http:// or https://");
        }

        return uri;
    }

    public static VeleroException Invalid(string message) => new(VeleroErrorCode.Invalid, message);

    /// <summary>Explicit credentials, else the profile of a credentials file, else the SDK's default chain (resolved when first used).</summary>
    public static AWSCredentials ResolveCredentials(AWSCredentials? explicitCredentials, string? credentialsFile, string? profile)
    {
        if (explicitCredentials is not null)
        {
            return explicitCredentials;
        }

        if (credentialsFile is null && profile is null)
        {
            return new DefaultChainCredentials();
        }

        var file = credentialsFile ?? Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
        var chain = file is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(file);
        var name = profile ?? "default";
        if (!chain.TryGetAWSCredentials(name, out var credentials))
        {
            // The file's path and the profile's name are not secret; the file's content is never read into a message.
            throw Invalid($"AWS profile \"{name}\" not found" + (file is null ? " in the default shared credentials files" : $" in credentials file {file}"));
        }

        return credentials;
    }

    /// <summary>The secret parts of <paramref name="credentials"/>, to scrub from messages; empty when they cannot be resolved.</summary>
    public static async Task<IReadOnlyList<string>> SecretsAsync(AWSCredentials credentials)
    {
        try
        {
            var immutable = await credentials.GetCredentialsAsync().ConfigureAwait(false);
            return new[] { immutable.AccessKey, immutable.SecretKey, immutable.Token }.Where(s => !string.IsNullOrEmpty(s)).ToList();
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or InvalidOperationException or IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// A message that is safe to show: every secret replaced by <c>***</c>. AWS error messages can quote a request's
    /// signing material (e.g. SignatureDoesNotMatch quotes the string to sign); this makes sure no key leaks through them.
    /// </summary>
    public static string Scrub(string message, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= 4)
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>An HTTP client factory for a CA bundle or insecure-skip-verify; <c>null</c> when neither is set.</summary>
    public static HttpClientFactory? TlsFactory(string? caCertificatePem, bool insecureSkipVerify)
    {
        if (!insecureSkipVerify && string.IsNullOrWhiteSpace(caCertificatePem))
        {
            return null;
        }

        X509Certificate2Collection? extraRoots = null;
        if (!string.IsNullOrWhiteSpace(caCertificatePem))
        {
            extraRoots = [];
            try
            {
                extraRoots.ImportFromPem(caCertificatePem);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new VeleroException(VeleroErrorCode.Invalid, $"caCert is not a valid PEM certificate bundle: {e.Message}", e);
            }

            if (extraRoots.Count == 0)
            {
                throw Invalid("caCert holds no PEM certificate");
            }
        }

        return new TlsHttpClientFactory(extraRoots, insecureSkipVerify);
    }

    /// <summary>Credentials resolved through the AWS SDK's default chain on first use.</summary>
    private sealed class DefaultChainCredentials : AWSCredentials
    {
        private readonly Lazy<AWSCredentials> _resolved = new(() => DefaultAWSCredentialsIdentityResolver.GetCredentials(), LazyThreadSafetyMode.ExecutionAndPublication);

        public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

        public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();
    }

    private sealed class TlsHttpClientFactory(X509Certificate2Collection? extraRoots, bool insecureSkipVerify) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
#pragma warning disable CA2000 // the HttpClient owns and disposes the handler
            var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            };
            return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) =>
            $"velero-tls:{insecureSkipVerify}:{extraRoots?.Count ?? 0}:{string.Join(',', extraRoots?.Select(c => c.Thumbprint) ?? [])}";

        private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (insecureSkipVerify || errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (extraRoots is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }

            // The system's roots did not vouch for the certificate: try again with the CA bundle as extra roots.
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            return custom.Build(leaf);
        }
    }
}

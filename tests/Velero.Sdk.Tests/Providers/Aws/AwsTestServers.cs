using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Providers.Aws;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>The S3 configurations the AWS tests run against; each names its server and checksum mode.</summary>
public enum S3Server
{
    /// <summary>moto from Debian trixie, with <c>checksumAlgorithm: ""</c> (trixie's moto does not decode aws-chunked trailers).</summary>
    MotoTrixieNoChecksum,

    /// <summary>moto from Debian sid, with the AWS SDK's default checksum path (CRC32 trailers on aws-chunked bodies).</summary>
    MotoSidDefaultChecksum,

    /// <summary>s3rver, an S3-compatible store, with <c>checksumAlgorithm: ""</c>.</summary>
    S3rverNoChecksum,
}

/// <summary>
/// The emulators started by <c>eng/test-servers.sh start</c>: their endpoints come from the environment variables it writes to
/// <c>.test-servers/env</c> (eng/test.sh exports them), or from that file. A missing server fails the test, saying what is missing.
/// </summary>
internal static class AwsTestServers
{
    public const string MotoTrixieVariable = "VELERO_TEST_MOTO_TRIXIE";
    public const string MotoSidVariable = "VELERO_TEST_MOTO_SID";
    public const string S3rverVariable = "VELERO_TEST_S3RVER";
    public const string S3rverTlsVariable = "VELERO_TEST_S3RVER_TLS";
    public const string S3rverTlsCaVariable = "VELERO_TEST_S3RVER_TLS_CA";
    public const string Region = "us-east-1";
    public const string Zone = "us-east-1a";

    private static readonly Lazy<Dictionary<string, string>> EnvFile = new(ReadEnvFile);
    private static int _bucketCounter;

    /// <summary>moto does not check credentials; these are only signed with.</summary>
    public static AWSCredentials MotoCredentials { get; } = new BasicAWSCredentials("testing", "testing");

    /// <summary>s3rver checks signatures against its fixed key pair.</summary>
    public static AWSCredentials S3rverCredentials { get; } = new BasicAWSCredentials("S3RVER", "S3RVER");

    public static Uri Endpoint(S3Server server) => Endpoint(server switch
    {
        S3Server.MotoTrixieNoChecksum => MotoTrixieVariable,
        S3Server.MotoSidDefaultChecksum => MotoSidVariable,
        _ => S3rverVariable,
    });

    public static Uri Ec2Endpoint => Endpoint(MotoTrixieVariable);

    /// <summary>s3rver over HTTPS, with a certificate signed by a test CA that no system trusts.</summary>
    public static Uri S3rverTlsEndpoint => Endpoint(S3rverTlsVariable);

    /// <summary>The PEM of the test CA that signed the TLS s3rver's certificate.</summary>
    public static string S3rverTlsCaPem => File.ReadAllText(Value(S3rverTlsCaVariable));

    public static AWSCredentials Credentials(S3Server server) => server == S3Server.S3rverNoChecksum ? S3rverCredentials : MotoCredentials;

    /// <summary>The BackupStorageLocation config of <paramref name="server"/>, as a user would write it.</summary>
    public static Dictionary<string, string> Config(S3Server server)
    {
        var config = new Dictionary<string, string>
        {
            ["region"] = Region,
            ["s3Url"] = Endpoint(server).ToString(),
            ["s3ForcePathStyle"] = "true",
        };
        if (server != S3Server.MotoSidDefaultChecksum)
        {
            config["checksumAlgorithm"] = string.Empty;
        }

        return config;
    }

    /// <summary>Creates a new, empty bucket on <paramref name="server"/> and a store over it.</summary>
    public static async Task<S3ObjectStore> NewStoreAsync(S3Server server, Action<S3ObjectStoreOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var bucket = await NewBucketAsync(server);
        var options = S3ObjectStore.ParseConfig(Config(server), bucket);
        options.Credentials = Credentials(server);
        options.LoggerFactory = loggerFactory;
        options.CommonPrefixesFromKeys = server == S3Server.S3rverNoChecksum; // s3rver's delimiter listings miss deep prefixes
        configure?.Invoke(options);
        return new S3ObjectStore(options);
    }

    public static async Task<string> NewBucketAsync(S3Server server)
    {
        var bucket = $"velero-test-{Environment.ProcessId}-{Interlocked.Increment(ref _bucketCounter)}-{Guid.NewGuid():N}"[..40].TrimEnd('-');
        using var s3 = RawS3(server);
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>A plain AWS SDK client for checking what the server holds, independent of the store under test.</summary>
    public static AmazonS3Client RawS3(S3Server server) => new(Credentials(server), new AmazonS3Config
    {
        ServiceURL = Endpoint(server).ToString(),
        AuthenticationRegion = Region,
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static AmazonEC2Client RawEc2() => new(MotoCredentials, new AmazonEC2Config { ServiceURL = Ec2Endpoint.ToString(), AuthenticationRegion = Region });

    private static Uri Endpoint(string variable) => new(Value(variable));

    private static string Value(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            EnvFile.Value.TryGetValue(variable, out value);
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException(
                $"The test server {variable} is missing: run 'bash eng/test-servers.sh start' (eng/test.sh does) so that it installs and starts " +
                "moto (trixie and sid) and s3rver and writes their endpoints to .test-servers/env.");
        }

        return value;
    }

    private static Dictionary<string, string> ReadEnvFile()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Velero.Sdk.sln")))
            {
                continue;
            }

            var file = Path.Combine(dir.FullName, ".test-servers", "env");
            if (File.Exists(file))
            {
                foreach (var line in File.ReadAllLines(file))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        values[line[..eq]] = line[(eq + 1)..];
                    }
                }
            }

            break;
        }

        return values;
    }
}

using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Benchmarks;

/// <summary>
/// The backup hot path: every item goes through <see cref="BackupArchiveWriter"/> (twice: flat and preferred-version
/// paths). Throughput in MB/s of item JSON = <see cref="JsonMegabytes"/> / mean time. Not run in CI.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    private const int ItemCount = 10_000;

    private byte[][] _items = [];
    private byte[] _archive = [];

    [Params(CompressionLevel.Fastest, CompressionLevel.Optimal)]
    public CompressionLevel Level { get; set; }

    /// <summary>Megabytes of JSON written per operation.</summary>
    public double JsonMegabytes => _items.Sum(i => (long)i.Length) / 1_000_000.0;

    [GlobalSetup]
    public void Setup()
    {
        // Pods of about 3 KB as the API server returns them (managedFields included), each slightly different.
        _items = Enumerable.Range(0, ItemCount).Select(i => Encoding.UTF8.GetBytes(Pod(i))).ToArray();
        using var buffer = new MemoryStream();
        using (var writer = new BackupArchiveWriter(buffer, new BackupArchiveWriterOptions { LeaveOpen = true, CompressionLevel = Level }))
        {
            for (var i = 0; i < _items.Length; i++)
            {
                writer.WriteItemAsync("pods", $"ns-{i % 100}", $"pod-{i}", "v1", true, _items[i]).GetAwaiter().GetResult();
            }
        }

        _archive = buffer.ToArray();
        Console.WriteLine($"// {JsonMegabytes:0.0} MB of JSON per operation; archive {_archive.Length / 1_000_000.0:0.0} MB at {Level}");
    }

    [Benchmark(Description = "Write 10k pods, one caller")]
    public async Task WriteSequential()
    {
        await using var writer = new BackupArchiveWriter(Stream.Null, new BackupArchiveWriterOptions { CompressionLevel = Level });
        for (var i = 0; i < _items.Length; i++)
        {
            await writer.WriteItemAsync("pods", $"ns-{i % 100}", $"pod-{i}", "v1", true, _items[i]);
        }
    }

    [Benchmark(Description = "Write 10k pods, 8 concurrent callers")]
    public async Task WriteConcurrent()
    {
        await using var writer = new BackupArchiveWriter(Stream.Null, new BackupArchiveWriterOptions { CompressionLevel = Level });
        await Parallel.ForEachAsync(
            Enumerable.Range(0, _items.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => await writer.WriteItemAsync("pods", $"ns-{i % 100}", $"pod-{i}", "v1", true, _items[i], ct));
    }

    [Benchmark(Description = "Validate, index and read back 10k pods")]
    public async Task<long> OpenAndReadAll()
    {
        await using var reader = await BackupArchiveReader.OpenAsync(new MemoryStream(_archive));
        long total = 0;
        foreach (var item in reader.GetItems("pods"))
        {
            total += (await reader.ReadItemAsync(item)).Length;
        }

        return total;
    }

    private const string PodTemplate = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2024-05-06T07:08:09Z","generateName":"web-7c5b9d-","labels":{"app":"web","pod-template-hash":"7c5b9d","tier":"frontend"},"managedFields":[{"apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{},"f:tier":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"@0@\"}":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":8080,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{".":{},"f:limits":{".":{},"f:memory":{}},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}},"manager":"kube-controller-manager","operation":"Update","time":"2024-05-06T07:08:09Z"}],"name":"web-7c5b9d-@1@","namespace":"ns-@2@","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web-7c5b9d","uid":"@3@"}],"resourceVersion":"@4@","uid":"@5@"},"spec":{"containers":[{"image":"registry.example.com/web:1.@6@.3","imagePullPolicy":"IfNotPresent","name":"web","ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{"limits":{"memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","volumeMounts":[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-@7@","readOnly":true}]}],"dnsPolicy":"ClusterFirst","enableServiceLinks":true,"nodeName":"node-@8@","preemptionPolicy":"PreemptLowerPriority","priority":0,"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"serviceAccount":"default","serviceAccountName":"default","terminationGracePeriodSeconds":30},"status":{"conditions":[{"lastProbeTime":null,"lastTransitionTime":"2024-05-06T07:08:10Z","status":"True","type":"Initialized"},{"lastProbeTime":null,"lastTransitionTime":"2024-05-06T07:08:14Z","status":"True","type":"Ready"}],"containerStatuses":[{"containerID":"containerd://@9@","image":"registry.example.com/web:1.@10@.3","imageID":"registry.example.com/web@sha256:@11@@12@","lastState":{},"name":"web","ready":true,"restartCount":0,"started":true,"state":{"running":{"startedAt":"2024-05-06T07:08:13Z"}}}],"hostIP":"10.0.@13@.@14@","phase":"Running","podIP":"10.244.@15@.@16@","qosClass":"Burstable","startTime":"2024-05-06T07:08:10Z"}}
        """;

    private static string Pod(int i)
    {
        var json = PodTemplate;
        json = json.Replace("@0@", Guid(i, 1).ToString(), StringComparison.Ordinal);
        json = json.Replace("@1@", (i).ToString("x6", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@2@", (i % 100).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@3@", Guid(i, 1).ToString(), StringComparison.Ordinal);
        json = json.Replace("@4@", (1000000 + (i * 7)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@5@", Guid(i, 2).ToString(), StringComparison.Ordinal);
        json = json.Replace("@6@", (i % 17).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@7@", (i % 1000).ToString("x3", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@8@", (i % 13).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@9@", Guid(i, 3).ToString("N"), StringComparison.Ordinal);
        json = json.Replace("@10@", (i % 17).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@11@", Guid(i, 4).ToString("N"), StringComparison.Ordinal);
        json = json.Replace("@12@", Guid(i, 5).ToString("N"), StringComparison.Ordinal);
        json = json.Replace("@13@", (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@14@", (i % 200).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@15@", (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        json = json.Replace("@16@", (i % 199).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return json;
    }

    private static Guid Guid(int i, int salt)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, (i * 7919) + salt);
        BitConverter.TryWriteBytes(bytes[4..], i ^ (salt * 104729));
        BitConverter.TryWriteBytes(bytes[8..], (long)i * salt * 2654435761);
        return new Guid(bytes);
    }
}

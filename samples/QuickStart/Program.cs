// Velero.Sdk quick start: backs up a small application from an embedded Kubernetes API server (or a real cluster with
// --kubeconfig <path>) into a Velero-layout bucket in ./velero-data, deletes its namespace (embedded cluster only), and
// restores it into a new namespace by mapping, printing progress and a summary of both halves. --storage <folder> picks
// another bucket folder.
using System.Diagnostics;
using k8s;
using Velero.Sdk;
using Velero.Sdk.Backup;
using Velero.Sdk.Restore;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;

string? kubeconfig = args.SkipWhile(a => a != "--kubeconfig").Skip(1).FirstOrDefault();
var bucket = Path.GetFullPath(args.SkipWhile(a => a != "--storage").Skip(1).FirstOrDefault() ?? "velero-data");

KubernetesApiServer? embedded = null;
KubernetesClientConfiguration config;
if (kubeconfig is null)
{
    embedded = await KubernetesApiServer.StartAsync();
    await embedded.SeedYamlAsync(ShopApp.Manifest);
    config = embedded.CreateClientConfiguration();
    Console.WriteLine($"embedded cluster at {embedded.BaseAddress} seeded with namespace 'shop'");
}
else
{
    config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
    Console.WriteLine($"cluster from {kubeconfig}");
}

try
{
    using var velero = new VeleroClientBuilder()
        .UseKubernetes(config)
        .UseObjectStore(new FileSystemObjectStore(bucket))
        .Build();

    var name = "shop-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
    var request = new BackupBuilder(name).IncludeNamespaces("shop").WithTtl(TimeSpan.FromDays(7)).Build();
    var watch = Stopwatch.StartNew();
    var result = await velero.BackupAsync(request, new Progress<BackupProgress>(p =>
        Console.WriteLine($"  {p.Phase}: {p.ItemsBackedUp}/{p.TotalItems} items{(p.CurrentResource is null ? string.Empty : " (" + p.CurrentResource + ")")}")));

    Console.WriteLine();
    Console.WriteLine($"backup {result.Name}: {result.Phase} in {watch.Elapsed.TotalSeconds:F1} s, {result.ItemsBackedUp} items, {result.Errors.Count} errors, {result.Warnings.Count} warnings");
    foreach (var (resource, count) in result.ItemsPerResource)
    {
        Console.WriteLine($"  {resource,-50} {count,5}");
    }

    foreach (var e in result.Errors.All().Concat(result.Warnings.All()))
    {
        Console.WriteLine("  ! " + e);
    }

    Console.WriteLine($"stored in {Path.Combine(bucket, "backups", result.Name)}");
    if (!result.Succeeded)
    {
        return 1;
    }

    // The disaster: on the embedded cluster the namespace is deleted (a real cluster is left alone).
    using var kube = new Kubernetes(config);
    if (embedded is not null)
    {
        await kube.CoreV1.DeleteNamespaceAsync("shop");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await kube.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == "shop") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Console.WriteLine();
        Console.WriteLine("namespace 'shop' deleted");
    }

    // The recovery, into a new namespace.
    var restore = new RestoreBuilder(result.Name).MapNamespace("shop", "shop-restored").Build();
    Console.WriteLine($"restoring {result.Name} as {restore.Name}: shop -> shop-restored");
    watch.Restart();
    var restored = await velero.RestoreAsync(restore, new Progress<RestoreProgress>(p =>
        Console.WriteLine($"  {p.Phase}: {p.ItemsRestored}/{p.TotalItems} items{(p.CurrentResource is null ? string.Empty : " (" + p.CurrentResource + ")")}")));

    Console.WriteLine();
    Console.WriteLine($"restore {restored.Name}: {restored.Phase} in {watch.Elapsed.TotalSeconds:F1} s, {restored.ItemsRestored} items created or updated, {restored.Errors.Count} errors, {restored.Warnings.Count} warnings");
    foreach (var group in restored.Items.GroupBy(i => $"{i.ApiVersion}/{i.Kind} ({i.Action.ToString().ToLowerInvariant()})").OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  {group.Key,-50} {group.Count(),5}");
    }

    foreach (var e in restored.Errors.All().Concat(restored.Warnings.All()))
    {
        Console.WriteLine("  ! " + e);
    }

    var pods = await kube.CoreV1.ListNamespacedPodAsync("shop-restored");
    Console.WriteLine($"namespace 'shop-restored' now has {pods.Items.Count} pod(s): {string.Join(", ", pods.Items.Select(p => p.Metadata.Name))}");
    Console.WriteLine($"restore results in {Path.Combine(bucket, "restores", restored.Name)}");
    return restored.Succeeded ? 0 : 1;
}
finally
{
    if (embedded is not null)
    {
        await embedded.DisposeAsync();
    }
}

using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Velero.Sdk.Testing.Tests;

/// <summary>KubernetesClient 21.0.8's typed calls against the server.</summary>
public sealed class KubernetesClientTests
{
    private static V1Pod Pod(string name, string ns, Dictionary<string, string>? labels = null, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PodSpec { Containers = (containers.Length == 0 ? ["main"] : containers).Select(c => new V1Container { Name = c, Image = "busybox" }).ToList() },
    };

    [Fact]
    public async Task Namespaces_and_pods_round_trip_with_label_selectors_and_errors()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());

        var ns = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "apps" } });
        ns.Status.Phase.ShouldBe("Active");
        ns.Metadata.Labels["kubernetes.io/metadata.name"].ShouldBe("apps");

        await client.CoreV1.CreateNamespacedPodAsync(Pod("web-1", "apps", new() { ["app"] = "web" }), "apps");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("web-2", "apps", new() { ["app"] = "web" }), "apps");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("db-1", "apps", new() { ["app"] = "db" }), "apps");

        var web = await client.CoreV1.ListNamespacedPodAsync("apps", labelSelector: "app=web");
        web.Items.Select(p => p.Metadata.Name).ShouldBe(["web-1", "web-2"]);
        var all = await client.CoreV1.ListPodForAllNamespacesAsync();
        all.Items.Count.ShouldBe(3);
        var byName = await client.CoreV1.ListNamespacedPodAsync("apps", fieldSelector: "metadata.name=db-1");
        byName.Items.ShouldHaveSingleItem().Metadata.Name.ShouldBe("db-1");

        var e = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("nope", "apps"));
        e.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var status = JsonSerializer.Deserialize<V1Status>(e.Response.Content)!;
        status.Reason.ShouldBe("NotFound");
        status.Message.ShouldBe("pods \"nope\" not found");

        var dup = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(Pod("web-1", "apps"), "apps"));
        dup.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonSerializer.Deserialize<V1Status>(dup.Response.Content)!.Reason.ShouldBe("AlreadyExists");

        var noNs = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(Pod("x", "missing"), "missing"));
        noNs.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonSerializer.Deserialize<V1Status>(noNs.Response.Content)!.Message.ShouldBe("namespaces \"missing\" not found");
    }

    [Fact]
    public async Task Deployment_update_detects_resource_version_conflicts()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] } },
            },
        }, "default");
        created.Metadata.Generation.ShouldBe(1);

        var stale = created.Metadata.ResourceVersion;
        created.Spec.Replicas = 3;
        var updated = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default");
        updated.Spec.Replicas.ShouldBe(3);
        updated.Metadata.Generation.ShouldBe(2);
        long.Parse(updated.Metadata.ResourceVersion).ShouldBeGreaterThan(long.Parse(stale));

        created.Metadata.ResourceVersion = stale;
        created.Spec.Replicas = 4;
        var e = await Should.ThrowAsync<HttpOperationException>(() => client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default"));
        e.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonSerializer.Deserialize<V1Status>(e.Response.Content)!.Message
            .ShouldBe("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");

        // Status is a subresource: the main resource ignores status, /status changes only status.
        updated.Status = new V1DeploymentStatus { Replicas = 3, ReadyReplicas = 3 };
        var ignored = await client.AppsV1.ReplaceNamespacedDeploymentAsync(updated, "web", "default");
        ignored.Status?.Replicas.ShouldBeNull();
        ignored.Status = new V1DeploymentStatus { Replicas = 3, ReadyReplicas = 2 };
        var withStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(ignored, "web", "default");
        withStatus.Status.ReadyReplicas.ShouldBe(2);
        withStatus.Metadata.Generation.ShouldBe(2);

        var list = await new GenericClient(client, "apps", "v1", "deployments").ListNamespacedAsync<V1DeploymentList>("default");
        list.Items.ShouldHaveSingleItem().Spec.Replicas.ShouldBe(3);
    }

    [Fact]
    public async Task Crd_and_custom_objects()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(TestPaths.Data("k8s-manifests", "velero-testdata", "enable_api_group_versions", "case-a-source.yaml")));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var established = await Json.Eventually(async () =>
        {
            var c = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("rockbands.music.example.io");
            return c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true ? c : null;
        }, "the CRD to be Established");
        established.Status.AcceptedNames.Plural.ShouldBe("rockbands");

        var band = new Dictionary<string, object>
        {
            ["apiVersion"] = "music.example.io/v1",
            ["kind"] = "RockBand",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "beatles" },
            ["spec"] = new Dictionary<string, object> { ["genre"] = "60s rock", ["numberComponents"] = 4, ["unknownField"] = new[] { 1, 2 } },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(band, "music.example.io", "v1", "default", "rockbands");
        var got = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("music.example.io", "v1", "default", "rockbands", "beatles");
        got.GetProperty("spec").GetProperty("unknownField").GetArrayLength().ShouldBe(2);
        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync("music.example.io", "v1", "default", "rockbands");
        list.GetProperty("items").EnumerateArray().Single().GetProperty("kind").GetString().ShouldBe("RockBand");

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("rockbands.music.example.io");
        var e = await Should.ThrowAsync<HttpOperationException>(() => client.CustomObjects.ListNamespacedCustomObjectAsync("music.example.io", "v1", "default", "rockbands"));
        e.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Leader_election_over_leases()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());
        var config = new LeaderElectionConfig(new LeaseLock(client, "default", "velero", "replica-a"))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        using var elector = new LeaderElector(config);
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => leading.TrySetResult();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = elector.RunUntilLeadershipLostAsync(cts.Token);
        await leading.Task.WaitAsync(cts.Token);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("velero", "default");
        lease.Spec.HolderIdentity.ShouldBe("replica-a");
        elector.IsLeader().ShouldBeTrue();
        await cts.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task Exec_is_answered_by_registered_handlers()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());
        await client.CoreV1.CreateNamespacedPodAsync(Pod("db", "default", null, "postgres", "sidecar"), "default");
        server.Exec.Add("default", "db", "postgres", ["/bin/sh", "-c", "pg_dump"], new ExecResult("dumped\n", "warning\n", 0));
        server.Exec.Add(null, null, null, ["false"], new ExecResult(string.Empty, "failed\n", 3));
        var seen = new List<string>();
        server.Exec.Executed += (r, res) => seen.Add($"{r.Pod}/{r.Container}:{string.Join(' ', r.Command)}->{res.ExitCode}");

        string? stdout = null;
        string? stderr = null;
        var code = await client.NamespacedPodExecAsync("db", "default", "postgres", ["/bin/sh", "-c", "pg_dump"], false, async (_, o, err) =>
        {
            stdout = await new StreamReader(o).ReadToEndAsync();
            stderr = await new StreamReader(err).ReadToEndAsync();
        }, CancellationToken.None);
        code.ShouldBe(0);
        stdout.ShouldBe("dumped\n");
        stderr.ShouldBe("warning\n");

        var failed = await client.NamespacedPodExecAsync("db", "default", "sidecar", ["false"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        failed.ShouldBe(3);
        var unanswered = await client.NamespacedPodExecAsync("db", "default", "sidecar", ["true"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        unanswered.ShouldBe(126);
        seen.ShouldBe(["db/postgres:/bin/sh -c pg_dump->0", "db/sidecar:false->3", "db/sidecar:true->126"]);
    }

    [Fact]
    public async Task Watch_streams_added_modified_deleted()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new Kubernetes(server.CreateClientConfiguration());
        var events = System.Threading.Channels.Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watchTask = Task.Run(async () =>
        {
            await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                await events.Writer.WriteAsync((type, cm));
            }
        });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c1" }, Data = new Dictionary<string, string> { ["k"] = "v1" } }, "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"v2\"}}", V1Patch.PatchType.MergePatch), "c1", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("c1", "default");

        var seen = new List<(WatchEventType, string)>();
        while (seen.Count < 3)
        {
            var (t, cm) = await events.Reader.ReadAsync(cts.Token);
            seen.Add((t, cm.Data["k"]));
        }

        seen.ShouldBe([(WatchEventType.Added, "v1"), (WatchEventType.Modified, "v2"), (WatchEventType.Deleted, "v2")]);
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => watchTask);
    }
}

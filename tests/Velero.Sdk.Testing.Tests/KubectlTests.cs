using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Tests;

/// <summary>The real kubectl 1.32 drives the server; its real output is checked.</summary>
public sealed class KubectlTests
{
    private static string Manifest(params string[] parts) => TestPaths.Data(["k8s-manifests", .. parts]);

    [Fact]
    public async Task Api_resources_lists_the_recorded_builtins_and_a_registered_crd()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        var output = await kubectl.OkAsync("api-resources");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
        lines.ShouldContain(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(new[] { "pods", "po", "v1", "true", "Pod" }));
        lines.ShouldContain(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(new[] { "deployments", "deploy", "apps/v1", "true", "Deployment" }));
        lines.ShouldContain(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(new[] { "namespaces", "ns", "v1", "false", "Namespace" }));
        lines.ShouldNotContain(l => l.Contains("rockbands", StringComparison.Ordinal));

        (await kubectl.OkAsync("create", "--validate=false", "-f", Manifest("velero-testdata", "enable_api_group_versions", "case-a-source.yaml")))
            .ShouldContain("customresourcedefinition.apiextensions.k8s.io/rockbands.music.example.io created");

        // A fresh cache directory sees the new group.
        var after = await new Kubectl(f.Server).OkAsync("api-resources", "--api-group=music.example.io");
        after.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["rockbands", "music.example.io/v1", "true", "RockBand"]);
    }

    [Fact]
    public async Task Create_f_of_the_manifests_then_get_A_lists_them()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        var created = await kubectl.OkAsync("create", "--validate=false", "-f", Manifest("velero-examples", "nginx-app_base.yaml"));
        created.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "namespace/nginx-example created",
            "deployment.apps/nginx-deployment created",
            "service/my-nginx created",
        ]);

        var guestbook = await kubectl.OkAsync("create", "--validate=false", "-n", "default", "-f", Manifest("kubernetes-examples", "web_guestbook_all-in-one_guestbook-all-in-one.yaml"));
        guestbook.ShouldContain("deployment.apps/redis-master created");
        guestbook.ShouldContain("service/frontend created");

        var all = await kubectl.OkAsync("get", "deployments", "-A");
        var rows = all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        rows[0].ShouldBe(["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
        rows.Skip(1).Select(r => r[0] + "/" + r[1]).ShouldBe(["default/frontend", "default/redis-master", "default/redis-replica", "nginx-example/nginx-deployment"], ignoreOrder: true);

        // No controller runs: nothing is ready, the desired count is spec.replicas.
        rows.Single(r => r[1] == "frontend")[2..5].ShouldBe(["0/3", "0", "0"]);
        rows.Single(r => r[1] == "nginx-deployment")[2..5].ShouldBe(["0/2", "0", "0"]);

        var again = await kubectl.RunAsync("create", "--validate=false", "-f", Manifest("velero-examples", "nginx-app_base.yaml"));
        again.Exit.ShouldNotBe(0);
        again.Stderr.ShouldContain("Error from server (AlreadyExists)");
        again.Stderr.ShouldContain("namespaces \"nginx-example\" already exists");
    }

    [Fact]
    public async Task Get_A_shows_seeded_pods_and_says_no_resources_when_empty()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        (await kubectl.RunAsync("get", "pods", "-A")).Stderr.ShouldContain("No resources found");
        await f.Server.SeedAsync(TestPaths.Data("k8s-objects", "recorded-apiserver-v1.36", "extracted", "pod-list.kube-system.json"));
        var rows = (await kubectl.OkAsync("get", "pods", "-A")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        rows.Length.ShouldBeGreaterThan(5);
        rows.Skip(1).ShouldAllBe(r => r.StartsWith("kube-system ", StringComparison.Ordinal));
        var etcd = rows.Single(r => r.Contains("etcd-v1.36-control-plane", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        etcd[2..5].ShouldBe(["1/1", "Running", "0"]);
        etcd[5].ShouldMatch("^[0-9]+d$"); // the recorded pods are months old

        // -o wide shows the priority-1 columns the server sends along.
        var wide = (await kubectl.OkAsync("get", "pods", "-n", "kube-system", "-o", "wide")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        wide[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldBe(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
        var etcdWide = wide.Single(r => r.StartsWith("etcd-", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        etcdWide[5..].ShouldBe(["172.18.0.3", "v1.36-control-plane", "<none>", "<none>"]);

        // --sort-by makes kubectl ask for includeObject=Object.
        var sorted = (await kubectl.OkAsync("get", "pods", "-n", "kube-system", "--sort-by=.metadata.name", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split(' ')[0]).ToList();
        sorted.ShouldBe(sorted.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Crd_then_its_custom_resources_with_get_o_json()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        var dir = Manifest("velero-testdata", "enable_api_group_versions");
        await kubectl.OkAsync("create", "--validate=false", "-f", Path.Combine(dir, "case-a-source.yaml"));
        (await kubectl.OkAsync("create", "--validate=false", "-f", Path.Combine(dir, "music_v1_rockband.yaml")))
            .Trim().ShouldBe("rockband.music.example.io/beatles created");

        var json = JsonNode.Parse(await kubectl.OkAsync("get", "rockband", "beatles", "-o", "json"))!;
        json["apiVersion"]!.ToString().ShouldBe("music.example.io/v1");
        json["kind"]!.ToString().ShouldBe("RockBand");
        json["metadata"]!["namespace"]!.ToString().ShouldBe("default");
        json["spec"]!["genre"]!.ToString().ShouldBe("60s rock");
        ((int)json["spec"]!["numberComponents"]!).ShouldBe(4);
        json["metadata"]!["uid"]!.ToString().Length.ShouldBe(36);

        var crd = JsonNode.Parse(await kubectl.OkAsync("get", "crd", "rockbands.music.example.io", "-o", "json"))!;
        crd["status"]!["conditions"]!.AsArray().ShouldContain(c => (string)c!["type"]! == "Established" && (string)c["status"]! == "True");

        (await kubectl.OkAsync("delete", "crd", "rockbands.music.example.io")).Trim()
            .ShouldBe("customresourcedefinition.apiextensions.k8s.io \"rockbands.music.example.io\" deleted");
        var gone = await new Kubectl(f.Server).RunAsync("get", "rockbands");
        gone.Exit.ShouldNotBe(0);
        gone.Stderr.ShouldContain("the server doesn't have a resource type \"rockbands\"");
    }

    [Fact]
    public async Task Label_patch_and_delete()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        await kubectl.OkAsync("create", "--validate=false", "-f", Manifest("velero-examples", "nginx-app_base.yaml"));

        (await kubectl.OkAsync("label", "deployment", "nginx-deployment", "-n", "nginx-example", "tier=web")).Trim()
            .ShouldBe("deployment.apps/nginx-deployment labeled");
        (await kubectl.OkAsync("patch", "deployment", "nginx-deployment", "-n", "nginx-example", "--type", "merge", "-p", "{\"spec\":{\"replicas\":5}}")).Trim()
            .ShouldBe("deployment.apps/nginx-deployment patched");
        (await kubectl.OkAsync("patch", "deployment", "nginx-deployment", "-n", "nginx-example", "--type", "merge", "-p", "{\"spec\":{\"replicas\":5}}")).Trim()
            .ShouldBe("deployment.apps/nginx-deployment patched (no change)");

        var d = JsonNode.Parse(await kubectl.OkAsync("get", "deployment", "nginx-deployment", "-n", "nginx-example", "-o", "json"))!;
        d["metadata"]!["labels"]!["tier"]!.ToString().ShouldBe("web");
        d["metadata"]!["labels"]!["app"]!.ToString().ShouldBe("nginx");
        ((int)d["spec"]!["replicas"]!).ShouldBe(5);
        ((int)d["metadata"]!["generation"]!).ShouldBe(2);

        (await kubectl.OkAsync("get", "deployments", "-n", "nginx-example", "-l", "tier=web", "-o", "name")).Trim()
            .ShouldBe("deployment.apps/nginx-deployment");

        (await kubectl.OkAsync("delete", "deployment", "nginx-deployment", "-n", "nginx-example")).Trim()
            .ShouldBe("deployment.apps \"nginx-deployment\" deleted");
        var missing = await kubectl.RunAsync("get", "deployment", "nginx-deployment", "-n", "nginx-example");
        missing.Stderr.Trim().ShouldBe("Error from server (NotFound): deployments.apps \"nginx-deployment\" not found");

        (await kubectl.OkAsync("delete", "namespace", "nginx-example")).Trim().ShouldBe("namespace \"nginx-example\" deleted");
        (await f.GetAsync("api/v1/namespaces/nginx-example/services/my-nginx")).Code.ShouldBe(404);

        // kubectl itself looks the namespace up when a get finds nothing in it.
        (await kubectl.RunAsync("get", "service", "my-nginx", "-n", "nginx-example")).Stderr.Trim()
            .ShouldBe("Error from server (NotFound): namespaces \"nginx-example\" not found");
        (await kubectl.RunAsync("get", "namespace", "nginx-example")).Stderr.Trim()
            .ShouldBe("Error from server (NotFound): namespaces \"nginx-example\" not found");
    }

    [Fact]
    public async Task Get_watch_prints_the_objects_created_while_it_runs()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        await f.Server.SeedYamlAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first, namespace: default}\ndata: {a: b}\n");
        using var watch = kubectl.Start("get", "configmaps", "--watch", "-n", "default");
        var lines = new List<string>();
        async Task WaitForLine(string prefix)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var line = await watch.StandardOutput.ReadLineAsync(cts.Token)
                    ?? throw new InvalidOperationException("kubectl get --watch ended: " + await watch.StandardError.ReadToEndAsync());
                lines.Add(line);
            }
        }

        await WaitForLine("first ");
        // The list and the watch events are server-side Tables: a ConfigMap's columns are NAME DATA AGE.
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "DATA", "AGE"]);
        lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2].ShouldBe(["first", "1"]);

        (await f.PostAsync("api/v1/namespaces/default/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"second\"},\"data\":{\"x\":\"y\",\"z\":\"w\"}}")).Code.ShouldBe(201);
        await WaitForLine("second ");
        var watchedLines = lines;
        watchedLines.Last().Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2].ShouldBe(["second", "2"]);
        watchedLines.Count(l => l.StartsWith("NAME ", StringComparison.Ordinal)).ShouldBe(1);
        watch.Kill(entireProcessTree: true);
        await watch.WaitForExitAsync();
    }
}

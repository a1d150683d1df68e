using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Testing.Tests;

/// <summary>The defaults a real server fills in on create, update and patch; seeding stores objects as written.</summary>
public sealed class DefaultingTests
{
    private static JsonArray Recording(string file) =>
        JsonNode.Parse(File.ReadAllText(TestPaths.Data("k8s-objects", "recorded-apiserver-v1.36", file)))!.AsArray();

    [Fact]
    public async Task Deployment_create_and_patches_answer_the_recorded_spec_byte_for_byte()
    {
        await using var f = await ServerFixture.StartAsync();
        var entries = Recording("patch-deployment.json");
        var compared = 0;
        foreach (var entry in entries)
        {
            var method = (string)entry!["request_method"]!;
            if (method is not ("POST" or "PATCH"))
            {
                continue;
            }

            var url = ((string)entry["request_url"]!).TrimStart('/');
            var body = (string)entry["request_body"]!;
            var (code, answer) = method == "POST"
                ? await f.PostAsync(url, body)
                : await f.PatchAsync(url, body, (string)entry["request_content_type"]!);
            code.ShouldBe((int)entry["response_status_code"]!);
            var expected = JsonNode.Parse((string)entry["response_body"]!)!;

            // The defaults, in the order the Go structs give them (replicas, selector, template, strategy, revisionHistoryLimit, progressDeadlineSeconds).
            answer!["spec"]!.ToJsonString().ShouldBe(expected["spec"]!.ToJsonString(), $"{method} {url}");
            answer["status"]!.ToJsonString().ShouldBe(method == "POST" ? "{}" : answer["status"]!.ToJsonString());
            compared++;
        }

        compared.ShouldBe(4);
    }

    [Fact]
    public async Task Pod_defaults_and_qos_class()
    {
        await using var f = await ServerFixture.StartAsync();
        using var client = new Kubernetes(f.Server.CreateClientConfiguration());
        var pod = await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "p" },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "app",
                            Image = "nginx:1.27",
                            Ports = [new V1ContainerPort { ContainerPort = 80 }],
                            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") } },
                            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/", Port = 80 } },
                        },
                        new V1Container { Name = "side", Image = "busybox", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") } } },
                    ],
                    Volumes = [new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource { Name = "cfg" } }],
                },
            },
            "default");

        pod.Spec.RestartPolicy.ShouldBe("Always");
        pod.Spec.DnsPolicy.ShouldBe("ClusterFirst");
        pod.Spec.TerminationGracePeriodSeconds.ShouldBe(30);
        pod.Spec.SchedulerName.ShouldBe("default-scheduler");
        pod.Spec.EnableServiceLinks.ShouldBe(true);
        pod.Spec.SecurityContext.ShouldNotBeNull();
        pod.Spec.Volumes[0].ConfigMap.DefaultMode.ShouldBe(420);
        var app = pod.Spec.Containers[0];
        app.ImagePullPolicy.ShouldBe("IfNotPresent");
        app.TerminationMessagePath.ShouldBe("/dev/termination-log");
        app.TerminationMessagePolicy.ShouldBe("File");
        app.Ports[0].Protocol.ShouldBe("TCP");
        app.ReadinessProbe.TimeoutSeconds.ShouldBe(1);
        app.ReadinessProbe.PeriodSeconds.ShouldBe(10);
        app.ReadinessProbe.SuccessThreshold.ShouldBe(1);
        app.ReadinessProbe.FailureThreshold.ShouldBe(3);
        app.ReadinessProbe.HttpGet.Scheme.ShouldBe("HTTP");
        app.Resources.Requests["memory"].ToString().ShouldBe("1Gi"); // requests default to limits
        pod.Spec.Containers[1].ImagePullPolicy.ShouldBe("Always"); // untagged image
        pod.Status.Phase.ShouldBe("Pending");
        pod.Status.QosClass.ShouldBe("Guaranteed");

        var raw = (await f.GetAsync("api/v1/namespaces/default/pods/p")).Body!;
        raw["spec"]!["containers"]![1]!.AsObject().Select(p => p.Key).ShouldBe(
            ["name", "image", "resources", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy"]);
        raw["spec"]!.AsObject().Select(p => p.Key).ShouldBe(
            ["volumes", "containers", "restartPolicy", "terminationGracePeriodSeconds", "dnsPolicy", "securityContext", "schedulerName", "enableServiceLinks"]);

        var (_, plain) = await f.PostAsync("api/v1/namespaces/default/pods", """{"metadata":{"name":"q"},"spec":{"containers":[{"name":"a","image":"busybox:latest"}]}}""");
        plain!["status"]!["qosClass"]!.ToString().ShouldBe("BestEffort");
        plain["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString().ShouldBe("Always");
        var (_, burstable) = await f.PostAsync("api/v1/namespaces/default/pods", """{"metadata":{"name":"r"},"spec":{"containers":[{"name":"a","image":"busybox@sha256:abc","resources":{"requests":{"cpu":"100m"}}}]}}""");
        burstable!["status"]!["qosClass"]!.ToString().ShouldBe("Burstable");
        burstable["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString().ShouldBe("IfNotPresent");

        // Explicit values are kept.
        var (_, custom) = await f.PostAsync("api/v1/namespaces/default/pods", """{"metadata":{"name":"s"},"spec":{"restartPolicy":"Never","dnsPolicy":"Default","containers":[{"name":"a","image":"x","imagePullPolicy":"Never"}]}}""");
        custom!["spec"]!["restartPolicy"]!.ToString().ShouldBe("Never");
        custom["spec"]!["dnsPolicy"]!.ToString().ShouldBe("Default");
        custom["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString().ShouldBe("Never");
    }

    [Fact]
    public async Task Service_defaults_allocate_a_cluster_ip_and_node_ports()
    {
        await using var f = await ServerFixture.StartAsync();
        var (code, svc) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""");
        code.ShouldBe(201);
        var spec = svc!["spec"]!;
        spec["type"]!.ToString().ShouldBe("ClusterIP");
        spec["sessionAffinity"]!.ToString().ShouldBe("None");
        spec["internalTrafficPolicy"]!.ToString().ShouldBe("Cluster");
        spec["ipFamilies"]!.ToJsonString().ShouldBe("""["IPv4"]""");
        spec["ipFamilyPolicy"]!.ToString().ShouldBe("SingleStack");
        spec["ports"]![0]!.ToJsonString().ShouldBe("""{"protocol":"TCP","port":80,"targetPort":80}""");
        var ip = IPAddress.Parse(spec["clusterIP"]!.ToString()).GetAddressBytes();
        (ip[0], ip[1] & 0xF0).ShouldBe(((byte)10, 96)); // in 10.96.0.0/12
        spec["clusterIPs"]!.ToJsonString().ShouldBe($"[\"{spec["clusterIP"]}\"]");
        spec.AsObject().Select(p => p.Key).ShouldBe(["ports", "selector", "clusterIP", "clusterIPs", "type", "sessionAffinity", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"]);
        svc["status"]!.ToJsonString().ShouldBe("""{"loadBalancer":{}}""");

        // kubectl shows the allocated address.
        var row = (await new Kubectl(f.Server).OkAsync("get", "service", "web", "--no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        row[..5].ShouldBe(["web", "ClusterIP", spec["clusterIP"]!.ToString(), "<none>", "80/TCP"]);

        // An update that leaves clusterIP out keeps the allocated one (as kubectl replace does).
        var (upd, updated) = await f.PutAsync("api/v1/namespaces/default/services/web", """{"metadata":{"name":"web"},"spec":{"selector":{"app":"web2"},"ports":[{"port":80}]}}""");
        upd.ShouldBe(200);
        updated!["spec"]!["clusterIP"]!.ToString().ShouldBe(spec["clusterIP"]!.ToString());

        var (npCode, np) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"name":"http","port":80,"targetPort":"http"},{"name":"pinned","port":81,"nodePort":30081}]}}""");
        npCode.ShouldBe(201);
        var allocated = (long)np!["spec"]!["ports"]![0]!["nodePort"]!;
        allocated.ShouldBeInRange(30000, 32767);
        ((long)np["spec"]!["ports"]![1]!["nodePort"]!).ShouldBe(30081);
        np["spec"]!["ports"]![0]!["targetPort"]!.ToString().ShouldBe("http");
        np["spec"]!["externalTrafficPolicy"]!.ToString().ShouldBe("Cluster");
        np["spec"]!["ports"]![0]!.AsObject().Select(p => p.Key).ShouldBe(["name", "protocol", "port", "targetPort", "nodePort"]);

        // A node port another service holds is refused as the real allocator refuses it.
        var (dupCode, dup) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"np2"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30081}]}}""");
        dupCode.ShouldBe(422);
        dup!["reason"]!.ToString().ShouldBe("Invalid");
        dup["message"]!.ToString().ShouldBe("Service \"np2\" is invalid: spec.ports[0].nodePort: Invalid value: 30081: provided port is already allocated");
        dup["details"]!["causes"]!.ToJsonString().ShouldBe("""[{"reason":"FieldValueInvalid","message":"Invalid value: 30081: provided port is already allocated","field":"spec.ports[0].nodePort"}]""");
        var (rangeCode, range) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"np3"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":80}]}}""");
        rangeCode.ShouldBe(422);
        range!["message"]!.ToString().ShouldBe("Service \"np3\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767");

        // A cluster IP in use, or outside the service CIDR, is refused too.
        var taken = spec["clusterIP"]!.ToString();
        var (ipCode, ipErr) = await f.PostAsync("api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"same\"},\"spec\":{\"clusterIP\":\"" + taken + "\",\"ports\":[{\"port\":80}]}}");
        ipCode.ShouldBe(422);
        ipErr!["message"]!.ToString().ShouldBe($"Service \"same\" is invalid: spec.clusterIPs: Invalid value: []string{{\"{taken}\"}}: failed to allocate IP {taken}: provided IP is already allocated");

        // Once the holder is gone, its node port is free again.
        (await f.DeleteAsync("api/v1/namespaces/default/services/np")).Code.ShouldBe(200);
        (await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"np2"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30081}]}}""")).Code.ShouldBe(201);

        // A service updated with the port and IP it holds itself keeps them (only other holders count).
        var (keepCode, kept) = await f.PatchAsync("api/v1/namespaces/default/services/np2", """{"metadata":{"labels":{"tier":"web"}},"spec":{"ports":[{"port":80,"nodePort":30081}]}}""", "application/merge-patch+json");
        keepCode.ShouldBe(200);
        ((long)kept!["spec"]!["ports"]![0]!["nodePort"]!).ShouldBe(30081);

        var (lbCode, lb) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":443,"protocol":"TCP"}]}}""");
        lbCode.ShouldBe(201);
        lb!["spec"]!["allocateLoadBalancerNodePorts"]!.GetValue<bool>().ShouldBeTrue();
        ((long)lb["spec"]!["ports"]![0]!["nodePort"]!).ShouldBeInRange(30000, 32767);
        ((long)lb["spec"]!["sessionAffinityConfig"]!["clientIP"]!["timeoutSeconds"]!).ShouldBe(10800);

        var (hlCode, headless) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"db"},"spec":{"clusterIP":"None","ports":[{"port":5432}]}}""");
        hlCode.ShouldBe(201);
        headless!["spec"]!["clusterIPs"]!.ToJsonString().ShouldBe("""["None"]""");
        var (enCode, external) = await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"example.com"}}""");
        enCode.ShouldBe(201);
        external!["spec"]!.AsObject().ContainsKey("clusterIP").ShouldBeFalse();
        external["spec"]!.AsObject().ContainsKey("internalTrafficPolicy").ShouldBeFalse();

        // Dry run allocates (and answers) without holding anything.
        var (dryCode, dry) = await f.PostAsync("api/v1/namespaces/default/services?dryRun=All", """{"metadata":{"name":"dry"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30500}]}}""");
        dryCode.ShouldBe(201);
        ((long)dry!["spec"]!["ports"]![0]!["nodePort"]!).ShouldBe(30500);
        (await f.PostAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"real"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30500}]}}""")).Code.ShouldBe(201);
    }

    [Fact]
    public async Task Pvc_secret_and_configmap_defaults_and_kubectl_create()
    {
        await using var f = await ServerFixture.StartAsync();
        var (_, pvc) = await f.PostAsync("api/v1/namespaces/default/persistentvolumeclaims", """{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        pvc!["spec"]!["volumeMode"]!.ToString().ShouldBe("Filesystem");
        pvc["status"]!.ToJsonString().ShouldBe("""{"phase":"Pending"}""");

        var (_, secret) = await f.PostAsync("api/v1/namespaces/default/secrets", """{"metadata":{"name":"s"},"stringData":{"user":"admin"},"data":{"x":"eQ=="}}""");
        secret!["type"]!.ToString().ShouldBe("Opaque");
        secret["data"]!.ToJsonString().ShouldBe("""{"user":"YWRtaW4=","x":"eQ=="}"""); // a Go map: sorted keys
        secret.AsObject().ContainsKey("stringData").ShouldBeFalse();

        var (_, cm) = await f.PostAsync("api/v1/namespaces/default/configmaps", """{"metadata":{"name":"c"},"data":{"a":"b"}}""");
        cm!.AsObject().Select(p => p.Key).ShouldBe(["kind", "apiVersion", "metadata", "data"]);

        // kubectl create of a manifest without defaults gets them too.
        await new Kubectl(f.Server).OkAsync("create", "--validate=false", "-f", TestPaths.Data("k8s-manifests", "velero-examples", "nginx-app_with-pv.yaml"));
        var deployment = (await f.GetAsync("apis/apps/v1/namespaces/nginx-example/deployments/nginx-deployment")).Body!;
        deployment["spec"]!["strategy"]!.ToJsonString().ShouldBe("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""");
        ((int)deployment["spec"]!["revisionHistoryLimit"]!).ShouldBe(10);
        ((int)deployment["spec"]!["progressDeadlineSeconds"]!).ShouldBe(600);
        deployment["spec"]!["template"]!["spec"]!["restartPolicy"]!.ToString().ShouldBe("Always");
        deployment["spec"]!["template"]!["spec"]!.AsObject().ContainsKey("enableServiceLinks").ShouldBeFalse(); // a template is not a pod
        var claim = (await f.GetAsync("api/v1/namespaces/nginx-example/persistentvolumeclaims/nginx-logs")).Body!;
        claim["spec"]!["volumeMode"]!.ToString().ShouldBe("Filesystem");
    }

    [Fact]
    public async Task A_patch_that_removes_a_defaulted_field_gets_it_back_and_seeds_are_not_defaulted()
    {
        await using var f = await ServerFixture.StartAsync();
        (await f.PostAsync("apis/apps/v1/namespaces/default/deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i:1"}]}}}}""")).Code.ShouldBe(201);
        var (code, patched) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", """{"spec":{"revisionHistoryLimit":null,"replicas":4}}""", "application/merge-patch+json");
        code.ShouldBe(200);
        ((int)patched!["spec"]!["revisionHistoryLimit"]!).ShouldBe(10);
        ((int)patched["spec"]!["replicas"]!).ShouldBe(4);
        ((int)patched["metadata"]!["generation"]!).ShouldBe(2);

        // Re-defaulting alone is no change: the same patch again keeps the resourceVersion.
        var (_, again) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", """{"spec":{"revisionHistoryLimit":null,"replicas":4}}""", "application/merge-patch+json");
        again!["metadata"]!["resourceVersion"]!.ToString().ShouldBe(patched["metadata"]!["resourceVersion"]!.ToString());

        await f.Server.SeedYamlAsync("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: seeded, namespace: default}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: seeded, namespace: default}\nspec: {ports: [{port: 80}]}\n");
        var seeded = (await f.GetAsync("apis/apps/v1/namespaces/default/deployments/seeded")).Body!;
        seeded["spec"]!.AsObject().Select(p => p.Key).ShouldBe(["selector", "template"]);
        var seededSvc = (await f.GetAsync("api/v1/namespaces/default/services/seeded")).Body!;
        seededSvc["spec"]!.ToJsonString().ShouldBe("""{"ports":[{"port":80}]}""");

        // A seeded object behaves as if it had its defaults: they are not a spec change, and adding them alone is no write.
        var before = (string)seeded["metadata"]!["resourceVersion"]!;
        var (_, same) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/seeded", """{"spec":{"replicas":1}}""", "application/merge-patch+json");
        ((string)same!["metadata"]!["resourceVersion"]!).ShouldBe(before);
        var (_, labelled) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/seeded", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        ((string)labelled!["metadata"]!["resourceVersion"]!).ShouldNotBe(before);
        ((int)labelled["metadata"]!["generation"]!).ShouldBe(1);
        ((int)labelled["spec"]!["revisionHistoryLimit"]!).ShouldBe(10);
    }

    [Fact]
    public async Task Maps_come_back_with_sorted_keys_as_go_writes_them()
    {
        await using var f = await ServerFixture.StartAsync();
        var (_, cm) = await f.PostAsync("api/v1/namespaces/default/configmaps", """{"metadata":{"name":"c","labels":{"z":"1","a":"2"},"annotations":{"y":"1","b":"2"}},"data":{"zeta":"1","alpha":"2"}}""");
        cm!["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"a":"2","z":"1"}""");
        cm["metadata"]!["annotations"]!.ToJsonString().ShouldBe("""{"b":"2","y":"1"}""");
        cm["data"]!.ToJsonString().ShouldBe("""{"alpha":"2","zeta":"1"}""");

        // A custom resource is an unstructured map: every level is sorted, spec before status.
        await f.Server.SeedAsync(TestPaths.Data("k8s-manifests", "velero-testdata", "enable_api_group_versions", "case-a-source.yaml"));
        var (code, rb) = await f.PostAsync("apis/music.example.io/v1/namespaces/default/rockbands", """{"kind":"RockBand","apiVersion":"music.example.io/v1","spec":{"numberComponents":4,"leadSinger":"x","genre":"rock"},"metadata":{"name":"b","labels":{"z":"1","a":"2"}}}""");
        code.ShouldBe(201);
        rb!.AsObject().Select(p => p.Key).ShouldBe(["apiVersion", "kind", "metadata", "spec"]);
        rb["spec"]!.ToJsonString().ShouldBe("""{"genre":"rock","leadSinger":"x","numberComponents":4}""");
        rb["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"a":"2","z":"1"}""");
    }

    [Fact]
    public async Task Job_create_answers_the_recorded_defaults_selector_and_labels()
    {
        await using var f = await ServerFixture.StartAsync();
        var entry = Recording("job-create.json")[0]!;
        var (code, job) = await f.PostAsync(((string)entry["request_url"]!).TrimStart('/'), (string)entry["request_body"]!);
        code.ShouldBe(201);
        var recorded = JsonNode.Parse((string)entry["response_body"]!)!;
        var recordedUid = (string)recorded["metadata"]!["uid"]!;
        var uid = (string)job!["metadata"]!["uid"]!;
        JsonNode Ours(JsonNode n) => JsonNode.Parse(n.ToJsonString().Replace(recordedUid, uid, StringComparison.Ordinal))!;
        job["spec"]!.ToJsonString().ShouldBe(Ours(recorded["spec"]!).ToJsonString());
        job["metadata"]!["labels"]!.ToJsonString().ShouldBe(Ours(recorded["metadata"]!["labels"]!).ToJsonString());
        job["status"]!.ToJsonString().ShouldBe("{}");

        // A manual selector is left alone; job labels already given are kept.
        var (manualCode, manual) = await f.PostAsync("apis/batch/v1/namespaces/default/jobs", """{"metadata":{"name":"m","labels":{"team":"a"}},"spec":{"manualSelector":true,"selector":{"matchLabels":{"app":"m"}},"template":{"metadata":{"labels":{"app":"m"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox:1"}]}}}}""");
        manualCode.ShouldBe(201);
        manual!["spec"]!["selector"]!.ToJsonString().ShouldBe("""{"matchLabels":{"app":"m"}}""");
        manual["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"app":"m"}""");
        manual["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"team":"a"}""");
    }
}

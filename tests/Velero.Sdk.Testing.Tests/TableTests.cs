using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Velero.Sdk.Testing.Http;

namespace Velero.Sdk.Testing.Tests;

/// <summary>Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>), checked through kubectl 1.32 and raw HTTP.</summary>
public sealed partial class TableTests
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static string Ago(TimeSpan t) => DateTimeOffset.UtcNow.Subtract(t).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    /// <summary>kubectl's table output, one array of cells per line (columns are separated by at least two spaces).</summary>
    private static List<string[]> Rows(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ColumnGap().Split(l.Trim())).ToList();

    private static async Task<JsonObject> GetTableAsync(ServerFixture f, string path, string accept = TableAccept)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Accept.ParseAdd(accept);
        using var resp = await f.Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        ((int)resp.StatusCode).ShouldBe(200, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Kubectl_get_prints_the_real_columns_of_core_kinds()
    {
        await using var f = await ServerFixture.StartAsync();
        var hours = Ago(TimeSpan.FromHours(3).Add(TimeSpan.FromSeconds(5)));
        await f.Server.SeedYamlAsync($$$"""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop, creationTimestamp: "{{{hours}}}"}
            spec:
              type: NodePort
              clusterIP: 10.96.0.10
              clusterIPs: [10.96.0.10]
              selector: {app: web, tier: front}
              ports:
              - {port: 80, nodePort: 30080, protocol: TCP}
              - {port: 443, protocol: TCP}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: lb, namespace: shop, creationTimestamp: "{{{hours}}}"}
            spec: {type: LoadBalancer, clusterIPs: [10.96.0.11], ports: [{port: 53, nodePort: 31053, protocol: UDP}]}
            status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop, creationTimestamp: "{{{hours}}}"}
            data: {a: "1", b: "2"}
            binaryData: {c: AAE=}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tls, namespace: shop, creationTimestamp: "{{{hours}}}"}
            type: kubernetes.io/tls
            data: {tls.crt: AA==, tls.key: AA==}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: shop, creationTimestamp: "{{{hours}}}"}
            secrets: [{name: builder-token}]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: shop, creationTimestamp: "{{{hours}}}"}
            spec: {accessModes: [ReadWriteOnce], storageClassName: standard, volumeName: pv-data, volumeMode: Filesystem, resources: {requests: {storage: 5Gi} } }
            status: {phase: Bound, accessModes: [ReadWriteOnce], capacity: {storage: 5Gi}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: pv-data, creationTimestamp: "{{{hours}}}"}
            spec:
              capacity: {storage: 5Gi}
              accessModes: [ReadWriteMany, ReadWriteOnce]
              persistentVolumeReclaimPolicy: Retain
              storageClassName: standard
              claimRef: {namespace: shop, name: data}
              hostPath: {path: /data}
            status: {phase: Bound}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop, creationTimestamp: "{{{hours}}}"}
            spec:
              replicas: 3
              selector: {matchLabels: {app: api}, matchExpressions: [{key: tier, operator: In, values: [back, api]}]}
              template:
                metadata: {labels: {app: api, tier: back}}
                spec: {containers: [{name: api, image: "example.com/api:1"}, {name: sidecar, image: "example.com/proxy:2"}]}
            status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node-1, creationTimestamp: "{{{hours}}}", labels: {node-role.kubernetes.io/control-plane: ""}}
            spec: {unschedulable: true}
            status:
              conditions: [{type: Ready, status: "True"}]
              addresses: [{type: InternalIP, address: 172.18.0.2}]
              nodeInfo: {kubeletVersion: v1.32.5, osImage: Debian GNU/Linux 12 (bookworm), kernelVersion: 6.1.0, containerRuntimeVersion: "containerd://1.7.0"}
            """);
        var kubectl = new Kubectl(f.Server);

        var svc = Rows(await kubectl.OkAsync("get", "services", "-n", "shop", "-o", "wide"));
        svc[0].ShouldBe(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
        svc.Single(r => r[0] == "web").ShouldBe(["web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,443/TCP", "3h", "app=web,tier=front"]);
        svc.Single(r => r[0] == "lb").ShouldBe(["lb", "LoadBalancer", "10.96.0.11", "203.0.113.7", "53:31053/UDP", "3h", "<none>"]);

        Rows(await kubectl.OkAsync("get", "configmaps", "settings", "-n", "shop")).ShouldBe([["NAME", "DATA", "AGE"], ["settings", "3", "3h"]]);
        Rows(await kubectl.OkAsync("get", "secrets", "-n", "shop")).ShouldBe([["NAME", "TYPE", "DATA", "AGE"], ["tls", "kubernetes.io/tls", "2", "3h"]]);
        Rows(await kubectl.OkAsync("get", "serviceaccounts", "-n", "shop")).ShouldBe([["NAME", "SECRETS", "AGE"], ["builder", "1", "3h"]]);
        Rows(await kubectl.OkAsync("get", "pvc", "-n", "shop", "-o", "wide")).ShouldBe([
            ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE"],
            ["data", "Bound", "pv-data", "5Gi", "RWO", "standard", "<unset>", "3h", "Filesystem"],
        ]);
        var pv = Rows(await kubectl.OkAsync("get", "pv"));
        pv[0].ShouldBe(["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"]);
        pv[1].ShouldBe(["pv-data", "5Gi", "RWO,RWX", "Retain", "Bound", "shop/data", "standard", "<unset>", "3h"]); // REASON is empty
        var deploy = Rows(await kubectl.OkAsync("get", "deployments", "-n", "shop", "-o", "wide"));
        deploy[0].ShouldBe(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
        deploy[1].ShouldBe(["api", "2/3", "3", "2", "3h", "api,sidecar", "example.com/api:1,example.com/proxy:2", "app=api,tier in (api,back)"]);
        var ns = Rows(await kubectl.OkAsync("get", "namespaces", "shop"));
        ns[0].ShouldBe(["NAME", "STATUS", "AGE"]);
        ns[1][..2].ShouldBe(["shop", "Active"]);
        ns[1][2].ShouldMatch("^[0-9]+s$"); // created by the seed a moment ago
        Rows(await kubectl.OkAsync("get", "nodes", "-o", "wide")).ShouldBe([
            ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            ["node-1", "Ready,SchedulingDisabled", "control-plane", "3h", "v1.32.5", "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.0"],
        ]);

        // -A adds kubectl's own NAMESPACE column, taken from the rows' PartialObjectMetadata.
        Rows(await kubectl.OkAsync("get", "configmaps", "-A", "--field-selector", "metadata.name=settings"))
            .ShouldBe([["NAMESPACE", "NAME", "DATA", "AGE"], ["shop", "settings", "3", "3h"]]);

        // A kind without a printer of its own gets the default table convertor's columns.
        await f.Server.SeedYamlAsync("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: shop, creationTimestamp: \"2026-01-02T03:04:05Z\"}\nrules: []\n");
        Rows(await kubectl.OkAsync("get", "roles", "-n", "shop")).ShouldBe([["NAME", "CREATED AT"], ["reader", "2026-01-02T03:04:05Z"]]);
    }

    [Fact]
    public async Task Kubectl_get_pods_shows_status_restarts_and_readiness_as_kubernetes_computes_them()
    {
        await using var f = await ServerFixture.StartAsync();
        var created = Ago(TimeSpan.FromMinutes(30));
        var finished = Ago(TimeSpan.FromMinutes(12).Add(TimeSpan.FromSeconds(2)));
        await f.Server.SeedYamlAsync($$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: crashing, namespace: app, creationTimestamp: "{{{created}}}"}
            spec: {containers: [{name: main, image: busybox}]}
            status:
              phase: Running
              containerStatuses:
              - name: main
                ready: false
                restartCount: 3
                state: {waiting: {reason: CrashLoopBackOff}}
                lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "{{{finished}}}"}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: done, namespace: app, creationTimestamp: "{{{created}}}"}
            spec: {containers: [{name: main, image: busybox}]}
            status:
              phase: Succeeded
              containerStatuses: [{name: main, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed} } }]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: going, namespace: app, creationTimestamp: "{{{created}}}", deletionTimestamp: "{{{created}}}", finalizers: [example.com/hold]}
            spec: {containers: [{name: main, image: busybox}, {name: side, image: busybox}]}
            status:
              phase: Running
              containerStatuses:
              - {name: main, ready: true, restartCount: 0, state: {running: {} } }
              - {name: side, ready: true, restartCount: 0, state: {running: {} } }
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: starting, namespace: app, creationTimestamp: "{{{created}}}"}
            spec:
              initContainers: [{name: migrate, image: busybox}, {name: warm, image: busybox}]
              containers: [{name: main, image: busybox}]
            status:
              phase: Pending
              initContainerStatuses:
              - {name: migrate, ready: false, restartCount: 0, state: {running: {} } }
              - {name: warm, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing} } }
            """);
        var rows = Rows(await new Kubectl(f.Server).OkAsync("get", "pods", "-n", "app"));
        rows[0].ShouldBe(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        rows.Single(r => r[0] == "crashing").ShouldBe(["crashing", "0/1", "CrashLoopBackOff", "3 (12m ago)", "30m"]);
        rows.Single(r => r[0] == "done").ShouldBe(["done", "0/1", "Completed", "0", "30m"]);
        rows.Single(r => r[0] == "going").ShouldBe(["going", "2/2", "Terminating", "0", "30m"]);
        rows.Single(r => r[0] == "starting").ShouldBe(["starting", "0/1", "Init:0/2", "0", "30m"]);

        // A finished pod's row carries the Completed condition, as the real printer sets it.
        var table = await GetTableAsync(f, "api/v1/namespaces/app/pods/done");
        table["rows"]![0]!["conditions"]!.ToJsonString().ShouldBe("""[{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}]""");
    }

    [Fact]
    public async Task Kubectl_get_events_and_ingresses()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Server.SeedYamlAsync($$$"""
            apiVersion: v1
            kind: Event
            metadata: {name: web-1.17a, namespace: app, creationTimestamp: "{{{Ago(TimeSpan.FromMinutes(40))}}}"}
            involvedObject: {kind: Pod, name: web-1, namespace: app}
            reason: BackOff
            type: Warning
            message: "Back-off restarting failed container  "
            source: {component: kubelet, host: node-1}
            firstTimestamp: "{{{Ago(TimeSpan.FromMinutes(40))}}}"
            lastTimestamp: "{{{Ago(TimeSpan.FromMinutes(12).Add(TimeSpan.FromSeconds(2)))}}}"
            count: 7
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: app, creationTimestamp: "{{{Ago(TimeSpan.FromMinutes(40))}}}"}
            spec:
              ingressClassName: nginx
              tls: [{hosts: [a.example.com]}]
              rules: [{host: a.example.com}, {host: b.example.com}]
            status: {loadBalancer: {ingress: [{ip: 203.0.113.9}]}}
            """);
        var kubectl = new Kubectl(f.Server);
        Rows(await kubectl.OkAsync("get", "events", "-n", "app")).ShouldBe([
            ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            ["12m", "Warning", "BackOff", "pod/web-1", "Back-off restarting failed container"],
        ]);
        Rows(await kubectl.OkAsync("get", "events", "-n", "app", "-o", "wide")).ShouldBe([
            ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
            ["12m", "Warning", "BackOff", "pod/web-1", "kubelet, node-1", "Back-off restarting failed container", "40m", "7", "web-1.17a"], // SUBOBJECT is empty
        ]);
        Rows(await kubectl.OkAsync("get", "ingresses", "-n", "app")).ShouldBe([
            ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
            ["web", "nginx", "a.example.com,b.example.com", "203.0.113.9", "80, 443", "40m"],
        ]);
    }

    [Fact]
    public async Task Crd_printer_columns_and_the_default_columns_of_custom_resources()
    {
        await using var f = await ServerFixture.StartAsync();
        var kubectl = new Kubectl(f.Server);
        await kubectl.OkAsync("create", "--validate=false", "-f", TestPaths.Data("velero-crds", "v1", "velero.io_backupstoragelocations.yaml"));
        await f.Server.SeedYamlAsync($$$"""
            apiVersion: velero.io/v1
            kind: BackupStorageLocation
            metadata: {name: default, namespace: velero, creationTimestamp: "{{{Ago(TimeSpan.FromHours(50))}}}"}
            spec: {provider: aws, default: true, objectStorage: {bucket: backups}}
            status: {phase: Available, lastValidationTime: "{{{Ago(TimeSpan.FromSeconds(12 * 60 + 2))}}}"}
            ---
            apiVersion: velero.io/v1
            kind: BackupStorageLocation
            metadata: {name: secondary, namespace: velero, creationTimestamp: "{{{Ago(TimeSpan.FromHours(50))}}}"}
            spec: {provider: aws, objectStorage: {bucket: other}}
            """);
        var bsl = (await kubectl.OkAsync("get", "backupstoragelocations", "-n", "velero")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Rows(bsl[0])[0].ShouldBe(["NAME", "PHASE", "LAST VALIDATED", "AGE", "DEFAULT"]);
        Rows(bsl[1])[0].ShouldBe(["default", "Available", "12m", "2d2h", "true"]);
        Rows(bsl[2])[0].ShouldBe(["secondary", "2d2h"]); // missing values print as empty cells

        // Without additionalPrinterColumns a custom resource gets Age; the CRDs themselves get Created At.
        var dir = TestPaths.Data("k8s-manifests", "velero-testdata", "enable_api_group_versions");
        await kubectl.OkAsync("create", "--validate=false", "-f", Path.Combine(dir, "case-a-source.yaml"));
        await kubectl.OkAsync("create", "--validate=false", "-f", Path.Combine(dir, "music_v1_rockband.yaml"));
        var bands = Rows(await kubectl.OkAsync("get", "rockbands"));
        bands[0].ShouldBe(["NAME", "AGE"]);
        bands[1][0].ShouldBe("beatles");
        bands[1][1].ShouldMatch("^[0-9]+s$");
        var crds = Rows(await kubectl.OkAsync("get", "crd"));
        crds[0].ShouldBe(["NAME", "CREATED AT"]);
        crds.Skip(1).Select(r => r[0]).ShouldBe(["backupstoragelocations.velero.io", "rockbands.music.example.io"]);
        crds[1][1].ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
    }

    [Fact]
    public async Task Table_rows_carry_partial_metadata_the_object_or_nothing_as_includeObject_asks()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Server.SeedYamlAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default, labels: {x: z}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: default}\n");

        var table = await GetTableAsync(f, "api/v1/namespaces/default/configmaps");
        table["kind"]!.ToString().ShouldBe("Table");
        table["apiVersion"]!.ToString().ShouldBe("meta.k8s.io/v1");
        table["metadata"]!["resourceVersion"]!.ToString().ShouldBe(f.Server.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        var columns = table["columnDefinitions"]!.AsArray();
        columns.Select(c => (string)c!["name"]!).ShouldBe(["Name", "Data", "Age"]);
        columns[0]!.ToJsonString().ShouldStartWith("""{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.""");
        ((int)columns[0]!["priority"]!).ShouldBe(0);
        var row = table["rows"]![0]!;
        row["cells"]![0]!.ToString().ShouldBe("a");
        ((long)row["cells"]![1]!).ShouldBe(1); // Data is an integer cell
        row["object"]!["kind"]!.ToString().ShouldBe("PartialObjectMetadata");
        row["object"]!["apiVersion"]!.ToString().ShouldBe("meta.k8s.io/v1");
        row["object"]!["metadata"]!["labels"]!["x"]!.ToString().ShouldBe("z");
        row["object"]!.AsObject().ContainsKey("data").ShouldBeFalse();

        var full = await GetTableAsync(f, "api/v1/namespaces/default/configmaps?includeObject=Object");
        full["rows"]![0]!["object"]!["kind"]!.ToString().ShouldBe("ConfigMap");
        full["rows"]![0]!["object"]!["data"]!["k"]!.ToString().ShouldBe("v");

        var none = await GetTableAsync(f, "api/v1/namespaces/default/configmaps?includeObject=None");
        none["rows"]![0]!.AsObject().ContainsKey("object").ShouldBeTrue();
        none["rows"]![0]!["object"].ShouldBeNull();

        // The v1beta1 Table when only that one is acceptable; plain JSON when JSON comes first.
        (await GetTableAsync(f, "api/v1/namespaces/default/configmaps/a", "application/json;as=Table;v=v1beta1;g=meta.k8s.io"))["apiVersion"]!.ToString().ShouldBe("meta.k8s.io/v1beta1");
        (await GetTableAsync(f, "api/v1/namespaces/default/configmaps/a", "application/json, application/json;as=Table;v=v1;g=meta.k8s.io"))["kind"]!.ToString().ShouldBe("ConfigMap");

        // A paged table carries the list's continue token.
        var page = await GetTableAsync(f, "api/v1/namespaces/default/configmaps?limit=1");
        page["rows"]!.AsArray().Count.ShouldBe(1);
        page["metadata"]!["continue"]!.ToString().ShouldNotBeEmpty();
        ((long)page["metadata"]!["remainingItemCount"]!).ShouldBe(1);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps?includeObject=All");
        bad.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var resp = await f.Http.SendAsync(bad);
        ((int)resp.StatusCode).ShouldBe(400);
        var status = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
        status["reason"]!.ToString().ShouldBe("BadRequest");
        status["message"]!.ToString().ShouldBe("unrecognized includeObject value: \"All\"");
    }

    [Fact]
    public async Task A_watch_asking_for_tables_gets_one_row_tables_with_the_columns_once()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Server.SeedYamlAsync("apiVersion: v1\nkind: Namespace\nmetadata: {name: w}\n");
        using var req = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/w/secrets?watch=true&timeoutSeconds=30");
        req.Headers.Accept.ParseAdd(TableAccept);
        using var resp = await f.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        (await f.PostAsync("api/v1/namespaces/w/secrets", """{"metadata":{"name":"s1"},"stringData":{"a":"b"},"data":{"x":"eQ=="}}""")).Code.ShouldBe(201);
        (await f.PostAsync("api/v1/namespaces/w/secrets", """{"metadata":{"name":"s2"},"type":"Opaque"}""")).Code.ShouldBe(201);
        var first = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        var second = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        first["type"]!.ToString().ShouldBe("ADDED");
        first["object"]!["kind"]!.ToString().ShouldBe("Table");
        first["object"]!["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!).ShouldBe(["Name", "Type", "Data", "Age"]);
        first["object"]!["rows"]![0]!["cells"]![0]!.ToString().ShouldBe("s1");
        second["object"]!["columnDefinitions"].ShouldBeNull();
        second["object"]!["rows"]![0]!["cells"]![0]!.ToString().ShouldBe("s2");
        second["object"]!["metadata"]!["resourceVersion"]!.ToString().ShouldBe(second["object"]!["rows"]![0]!["object"]!["metadata"]!["resourceVersion"]!.ToString());
    }

    [Theory]
    [InlineData(1, "1s")]
    [InlineData(70, "70s")]
    [InlineData(190, "3m10s")]
    [InlineData(300, "5m")]
    [InlineData(70 * 60, "70m")]
    [InlineData(4 * 3600, "4h")]
    [InlineData(4 * 3600 + 90 * 60 / 3, "4h30m")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData((8 * 24 + 2) * 3600, "8d")]
    [InlineData(367 * 24 * 3600, "367d")]
    [InlineData((365 * 2 * 24 + 25) * 3600L, "2y1d")]
    [InlineData((365 * 8 * 24 + 2) * 3600L, "8y")]
    [InlineData(-1, "0s")]
    [InlineData(-5, "<invalid>")]
    public void Human_durations_match_kubernetes(long seconds, string expected) =>
        TableConverter.HumanDuration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData(".spec.replicas", "3")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"False\"")]
    [InlineData(".status.conditions[?(@.type=='Synced')].reason", "\"Ok\"")]
    [InlineData(".status.conditions[1].type", "\"Synced\"")]
    [InlineData(".status.conditions[*].type", "\"Ready\"")]
    [InlineData(".metadata.annotations['example.com/owner']", "\"team-a\"")]
    [InlineData("{.metadata.name}", "\"x\"")]
    [InlineData(".spec.missing", null)]
    [InlineData(".status.conditions[5].type", null)]
    public void Printer_column_json_paths(string path, string? expected)
    {
        var obj = JsonNode.Parse("""
            {"metadata":{"name":"x","annotations":{"example.com/owner":"team-a"}},"spec":{"replicas":3},
             "status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Synced","status":"True","reason":"Ok"}]}}
            """)!;
        JsonPathSubset.First(obj, path)?.ToJsonString().ShouldBe(expected);
        if (expected is null)
        {
            JsonPathSubset.First(obj, path).ShouldBeNull();
        }
    }
}

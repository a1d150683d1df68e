using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Tests;

/// <summary>API conventions over plain HTTP: paging, watch, errors, finalizers, namespaces, dry run, test hooks.</summary>
public sealed class ApiSemanticsTests
{
    private static string Cm(string name, string? ns = null, string labels = "{}") =>
        $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"{(ns is null ? string.Empty : $",\"namespace\":\"{ns}\"")},\"labels\":{labels}}},\"data\":{{\"k\":\"v\"}}}}";

    [Fact]
    public async Task Paging_gives_stable_pages_at_the_first_page_resource_version()
    {
        await using var f = await ServerFixture.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            (await f.PostAsync("api/v1/namespaces/default/configmaps", Cm($"cm-{i}"))).Code.ShouldBe(201);
        }

        var (_, page1) = await f.GetAsync("api/v1/namespaces/default/configmaps?limit=3");
        page1!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ShouldBe(["cm-0", "cm-1", "cm-2"]);
        page1["items"]![0]!.AsObject().ContainsKey("kind").ShouldBeFalse();
        ((long)page1["metadata"]!["remainingItemCount"]!).ShouldBe(4);
        var token = (string)page1["metadata"]!["continue"]!;

        // Changes after the first page do not show in later pages of the same list.
        (await f.DeleteAsync("api/v1/namespaces/default/configmaps/cm-4")).Code.ShouldBe(200);
        (await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("cm-3a"))).Code.ShouldBe(201);
        var (_, page2) = await f.GetAsync("api/v1/namespaces/default/configmaps?limit=3&continue=" + token);
        page2!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ShouldBe(["cm-3", "cm-4", "cm-5"]);
        page2["metadata"]!["resourceVersion"]!.ToString().ShouldBe(page1["metadata"]!["resourceVersion"]!.ToString());
        var (_, page3) = await f.GetAsync("api/v1/namespaces/default/configmaps?limit=3&continue=" + (string)page2["metadata"]!["continue"]!);
        page3!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ShouldBe(["cm-6"]);
        page3["metadata"]!.AsObject().ContainsKey("continue").ShouldBeFalse();

        // After a compaction the token has expired: 410 with a token to continue inconsistently.
        f.Server.CompactHistory();
        var (code, status) = await f.GetAsync("api/v1/namespaces/default/configmaps?limit=3&continue=" + token);
        code.ShouldBe(410);
        status!["reason"]!.ToString().ShouldBe("Expired");
        status["message"]!.ToString().ShouldStartWith("The provided continue parameter is too old to display a consistent list result.");
        var (code2, rest) = await f.GetAsync("api/v1/namespaces/default/configmaps?limit=10&continue=" + (string)status["metadata"]!["continue"]!);
        code2.ShouldBe(200);
        rest!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ShouldBe(["cm-3", "cm-3a", "cm-5", "cm-6"]);

        (await f.GetAsync("api/v1/namespaces/default/configmaps?continue=garbage")).Code.ShouldBe(400);
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_gets_a_410_error_event()
    {
        await using var f = await ServerFixture.StartAsync();
        var (_, created) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("a"));
        var rv = (string)created!["metadata"]!["resourceVersion"]!;
        (await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("b"))).Code.ShouldBe(201);
        f.Server.CompactHistory();
        using var resp = await f.Http.GetAsync($"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead);
        resp.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        var line = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        line["type"]!.ToString().ShouldBe("ERROR");
        line["object"]!["code"]!.GetValue<int>().ShouldBe(410);
        line["object"]!["reason"]!.ToString().ShouldBe("Expired");
        line["object"]!["message"]!.ToString().ShouldStartWith($"too old resource version: {rv} (");

        // watch=false is a plain list.
        var (_, list) = await f.GetAsync("api/v1/namespaces/default/configmaps?watch=false");
        list!["kind"]!.ToString().ShouldBe("ConfigMapList");
    }

    [Fact]
    public async Task Watch_replays_from_a_resource_version_filters_by_label_and_sends_bookmarks()
    {
        await using var f = await ServerFixture.StartAsync(new KubernetesApiServerOptions { WatchBookmarkInterval = TimeSpan.FromMilliseconds(200) });
        var (_, first) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("a", labels: "{\"app\":\"x\"}"));
        (await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("b", labels: "{\"app\":\"y\"}"))).Code.ShouldBe(201);
        (await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("c", labels: "{\"app\":\"x\"}"))).Code.ShouldBe(201);
        var from = (string)first!["metadata"]!["resourceVersion"]!;
        using var resp = await f.Http.GetAsync($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={from}&labelSelector=app%3Dx&allowWatchBookmarks=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        async Task<JsonNode> Next(bool bookmark)
        {
            while (true)
            {
                var e = JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!)!;
                if ((e["type"]!.ToString() == "BOOKMARK") == bookmark)
                {
                    return e;
                }
            }
        }

        var e1 = await Next(bookmark: false);
        e1["type"]!.ToString().ShouldBe("ADDED");
        e1["object"]!["metadata"]!["name"]!.ToString().ShouldBe("c");
        e1["object"]!["kind"]!.ToString().ShouldBe("ConfigMap");

        // A label change that leaves the selector is a DELETED for this watch.
        (await f.PatchAsync("api/v1/namespaces/default/configmaps/c", "{\"metadata\":{\"labels\":{\"app\":\"z\"}}}", "application/merge-patch+json")).Code.ShouldBe(200);
        var e2 = await Next(bookmark: false);
        e2["type"]!.ToString().ShouldBe("DELETED");
        var e3 = await Next(bookmark: true);
        while (e3["object"]!["metadata"]!["resourceVersion"]!.ToString() != f.Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            e3 = await Next(bookmark: true);
        }

        e3["object"]!["kind"]!.ToString().ShouldBe("ConfigMap");
        e3["object"]!["metadata"]!["resourceVersion"]!.ToString().ShouldBe(f.Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dropped_watch_connections_end_the_stream()
    {
        await using var f = await ServerFixture.StartAsync();
        using var resp = await f.Http.GetAsync("api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        var read = reader.ReadLineAsync();
        await Json.Eventually(() => Task.FromResult<object?>(f.Server.Faults.DropWatchConnections() > 0 ? new object() : null), "a watch to drop");
        var ended = await Should.ThrowAsync<Exception>(async () =>
        {
            var line = await read.WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null)
            {
                throw new EndOfStreamException();
            }
        });
        ended.ShouldNotBeOfType<TimeoutException>();
    }

    [Fact]
    public async Task Errors_are_status_objects_with_reason_and_code()
    {
        await using var f = await ServerFixture.StartAsync();
        var (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("Bad_Name"));
        code.ShouldBe(422);
        s!["kind"]!.ToString().ShouldBe("Status");
        s["reason"]!.ToString().ShouldBe("Invalid");
        s["message"]!.ToString().ShouldStartWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of");
        s["details"]!["causes"]![0]!["reason"]!.ToString().ShouldBe("FieldValueInvalid");
        s["details"]!["causes"]![0]!["field"]!.ToString().ShouldBe("metadata.name");

        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("x", ns: "other"));
        code.ShouldBe(400);
        s!["reason"]!.ToString().ShouldBe("BadRequest");
        s["message"]!.ToString().ShouldBe("the namespace of the provided object does not match the namespace sent on the request");

        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"5\"}}");
        code.ShouldBe(400);
        s!["message"]!.ToString().ShouldBe("resourceVersion should not be set on objects to be created");

        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}");
        code.ShouldBe(422);
        s!["message"]!.ToString().ShouldBe("ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");

        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", "{not json");
        code.ShouldBe(400);
        s!["reason"]!.ToString().ShouldBe("BadRequest");

        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps/x", Cm("x"));
        code.ShouldBe(405);
        s!["reason"]!.ToString().ShouldBe("MethodNotAllowed");

        (code, s) = await f.GetAsync("apis/apps/v1/namespaces/default/deployments/nope");
        code.ShouldBe(404);
        s!["message"]!.ToString().ShouldBe("deployments.apps \"nope\" not found");
        s["details"]!["group"]!.ToString().ShouldBe("apps");
        s["details"]!["kind"]!.ToString().ShouldBe("deployments");

        (code, s) = await f.GetAsync("api/v1/namespaces/default/widgets");
        code.ShouldBe(404);
        s!["message"]!.ToString().ShouldBe("the server could not find the requested resource");

        (code, s) = await f.GetAsync("api/v1/pods?fieldSelector=spec.nodeName%3Dx");
        code.ShouldBe(400);
        s!["message"]!.ToString().ShouldBe("field label not supported: spec.nodeName");

        (code, s) = await f.PatchAsync("api/v1/namespaces/default/configmaps/none", "{}", "application/merge-patch+json");
        code.ShouldBe(404);
        (code, s) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("p"));
        (code, s) = await f.PatchAsync("api/v1/namespaces/default/configmaps/p", "{}", "text/plain");
        code.ShouldBe(415);
        s!["reason"]!.ToString().ShouldBe("UnsupportedMediaType");
    }

    [Fact]
    public async Task Generate_name_uid_timestamps_and_dry_run()
    {
        await using var f = await ServerFixture.StartAsync(new KubernetesApiServerOptions { RandomSeed = 1 });
        var (code, dry) = await f.PostAsync("api/v1/namespaces/default/configmaps?dryRun=All", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"}}");
        code.ShouldBe(201);
        var name = (string)dry!["metadata"]!["name"]!;
        name.ShouldMatch("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$");
        dry["metadata"]!.AsObject().ContainsKey("resourceVersion").ShouldBeFalse();
        (await f.GetAsync("api/v1/namespaces/default/configmaps/" + name)).Code.ShouldBe(404);

        var (_, real) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("real"));
        real!["metadata"]!["uid"]!.ToString().Length.ShouldBe(36);
        real["metadata"]!["creationTimestamp"]!.ToString().ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        var rv = real["metadata"]!["resourceVersion"]!.ToString();

        (code, _) = await f.PatchAsync("api/v1/namespaces/default/configmaps/real?dryRun=All", "{\"data\":{\"k\":\"changed\"}}", "application/merge-patch+json");
        code.ShouldBe(200);
        (code, _) = await f.DeleteAsync("api/v1/namespaces/default/configmaps/real?dryRun=All");
        code.ShouldBe(200);
        var (_, after) = await f.GetAsync("api/v1/namespaces/default/configmaps/real");
        after!["data"]!["k"]!.ToString().ShouldBe("v");
        after["metadata"]!["resourceVersion"]!.ToString().ShouldBe(rv);
    }

    [Fact]
    public async Task Finalizers_hold_deletion_until_cleared()
    {
        await using var f = await ServerFixture.StartAsync();
        (await f.PostAsync("api/v1/namespaces/default/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}")).Code.ShouldBe(201);
        var (code, deleting) = await f.DeleteAsync("api/v1/namespaces/default/configmaps/held");
        code.ShouldBe(200);
        deleting!["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        var (_, still) = await f.GetAsync("api/v1/namespaces/default/configmaps/held");
        still!["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        (await f.PatchAsync("api/v1/namespaces/default/configmaps/held", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json")).Code.ShouldBe(200);
        (await f.GetAsync("api/v1/namespaces/default/configmaps/held")).Code.ShouldBe(404);
    }

    [Fact]
    public async Task Namespace_deletion_terminates_removes_content_then_goes()
    {
        await using var f = await ServerFixture.StartAsync();
        (await f.PostAsync("api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"}}")).Code.ShouldBe(201);
        (await f.PostAsync("api/v1/namespaces/team/configmaps", Cm("plain"))).Code.ShouldBe(201);
        (await f.PostAsync("api/v1/namespaces/team/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}")).Code.ShouldBe(201);

        var (code, ns) = await f.DeleteAsync("api/v1/namespaces/team");
        code.ShouldBe(200);
        ns!["status"]!["phase"]!.ToString().ShouldBe("Terminating");
        (await f.GetAsync("api/v1/namespaces/team/configmaps/plain")).Code.ShouldBe(404);
        var (_, held) = await f.GetAsync("api/v1/namespaces/team/configmaps/held");
        held!["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        var (_, terminating) = await f.GetAsync("api/v1/namespaces/team");
        terminating!["status"]!["phase"]!.ToString().ShouldBe("Terminating");

        var (forbidden, status) = await f.PostAsync("api/v1/namespaces/team/configmaps", Cm("late"));
        forbidden.ShouldBe(403);
        status!["message"]!.ToString().ShouldBe("configmaps \"late\" is forbidden: unable to create new content in namespace team because it is being terminated");

        (await f.PatchAsync("api/v1/namespaces/team/configmaps/held", "{\"metadata\":{\"finalizers\":[]}}", "application/merge-patch+json")).Code.ShouldBe(200);
        (await f.GetAsync("api/v1/namespaces/team")).Code.ShouldBe(404);
    }

    [Fact]
    public async Task Bearer_token_is_required_when_configured()
    {
        await using var f = await ServerFixture.StartAsync(new KubernetesApiServerOptions { BearerToken = "s3cret" });
        var (code, s) = await f.GetAsync("api/v1/namespaces");
        code.ShouldBe(401);
        s!["reason"]!.ToString().ShouldBe("Unauthorized");
        f.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        (await f.GetAsync("api/v1/namespaces")).Code.ShouldBe(200);
        using var client = new k8s.Kubernetes(f.Server.CreateClientConfiguration());
        (await k8s.CoreV1OperationsExtensions.ListNamespaceAsync(client.CoreV1)).Items.Count.ShouldBe(4);
    }

    [Fact]
    public async Task Faults_and_request_counters()
    {
        await using var f = await ServerFixture.StartAsync();
        var rule = f.Server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", StatusCode = 429, RetryAfterSeconds = 7, MaxCount = 1 });
        using (var resp = await f.Http.GetAsync("api/v1/namespaces/default/configmaps"))
        {
            ((int)resp.StatusCode).ShouldBe(429);
            resp.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
            var s = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
            s["reason"]!.ToString().ShouldBe("TooManyRequests");
            s["details"]!["retryAfterSeconds"]!.GetValue<int>().ShouldBe(7);
        }

        (await f.GetAsync("api/v1/namespaces/default/configmaps")).Code.ShouldBe(200);
        f.Server.Faults.Remove(rule);
        f.Server.Faults.Add(new FaultRule { Verb = "create", StatusCode = 503 });
        var (code, status) = await f.PostAsync("api/v1/namespaces/default/configmaps", Cm("x"));
        code.ShouldBe(503);
        status!["reason"]!.ToString().ShouldBe("ServiceUnavailable");
        f.Server.Faults.Clear();
        f.Server.Faults.Add(new FaultRule { Resource = "deployments.apps", StatusCode = 500 });
        (await f.GetAsync("apis/apps/v1/deployments")).Code.ShouldBe(500);
        (await f.GetAsync("api/v1/pods")).Code.ShouldBe(200);

        f.Server.RequestCounters.Get("list", "configmaps").ShouldBe(2);
        f.Server.RequestCounters.Get("create", "configmaps").ShouldBe(1);
        f.Server.RequestCounters.Get("list", "deployments.apps").ShouldBe(1);
        f.Server.RequestCounters.Get("list").ShouldBe(4);
    }

    [Fact]
    public async Task Seeding_stores_objects_as_written_and_creates_namespaces()
    {
        await using var f = await ServerFixture.StartAsync();
        var n = await f.Server.SeedYamlAsync("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              namespace: seeded
              finalizers: [example.com/keep]
              deletionTimestamp: "2024-01-01T00:00:00Z"
              uid: 11111111-2222-3333-4444-555555555555
            spec:
              containers: [{name: c, image: busybox}]
            status:
              phase: Running
            ---
            apiVersion: music.example.io/v1
            kind: RockBand
            metadata: {name: beatles, namespace: seeded}
            spec: {numberComponents: 4, x-unknown: true}
            """ + "\n---\n" + File.ReadAllText(TestPaths.Data("k8s-manifests", "velero-testdata", "enable_api_group_versions", "case-a-source.yaml")));
        n.ShouldBe(3);
        var (_, pod) = await f.GetAsync("api/v1/namespaces/seeded/pods/p");
        pod!["status"]!["phase"]!.ToString().ShouldBe("Running");
        pod["metadata"]!["uid"]!.ToString().ShouldBe("11111111-2222-3333-4444-555555555555");
        pod["metadata"]!["deletionTimestamp"]!.ToString().ShouldBe("2024-01-01T00:00:00Z");
        (await f.GetAsync("api/v1/namespaces/seeded")).Code.ShouldBe(200);
        var (_, band) = await f.GetAsync("apis/music.example.io/v1/namespaces/seeded/rockbands/beatles");
        band!["spec"]!["x-unknown"]!.GetValue<bool>().ShouldBeTrue();

        var e = await Should.ThrowAsync<InvalidOperationException>(() => f.Server.SeedYamlAsync("apiVersion: nope/v1\nkind: Thing\nmetadata: {name: t}\n"));
        e.Message.ShouldContain("nope/v1, Kind=Thing t");
    }
}

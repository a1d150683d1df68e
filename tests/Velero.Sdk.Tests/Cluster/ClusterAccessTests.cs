using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Velero.Sdk.Cluster;

namespace Velero.Sdk.Tests.Cluster;

public class ClusterAccessTests
{
    [Fact]
    public async Task Qps_limit_lets_a_burst_through_then_spaces_requests()
    {
        var time = new FakeTimeProvider();
        var limiter = new RequestRateLimiter(qps: 4, burst: 2, time);
        await limiter.WaitAsync(CancellationToken.None);
        await limiter.WaitAsync(CancellationToken.None);
        var third = limiter.WaitAsync(CancellationToken.None);
        third.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(200));
        third.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(60));
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        new RequestRateLimiter(0, 0, time).Unlimited.ShouldBeTrue();
    }

    [Fact]
    public async Task An_expired_continue_token_lists_again_from_the_start()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        await server.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"pages"}}""")!);
        for (int i = 0; i < 5; i++)
        {
            await server.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"cm-{i}", ["namespace"] = "pages" } });
        }

        using var client = new k8s.Kubernetes(server.CreateClientConfiguration());
        var api = new KubeApi(client, new KubernetesAccessOptions { PageSize = 2 });
        var info = await ClusterDiscovery.DiscoverAsync(api, NullLogger.Instance, CancellationToken.None);
        info.Discovery.TryResolve("configmaps", out var configmaps).ShouldBeTrue();
        var seen = new List<string>();
        await foreach (var item in new ResourceLister(api, NullLogger.Instance).ListAsync(configmaps, "pages", null))
        {
            seen.Add(item.Name);
            if (seen.Count == 1)
            {
                // A write, then a compaction: the continue token of the page after next is too old (410 Expired).
                await server.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "other", ["namespace"] = "default" } });
                server.CompactHistory();
            }
        }

        seen.Distinct().Order().ShouldBe(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"]);
        seen.Count.ShouldBeGreaterThan(5); // the list started again
        server.RequestCounters.Get("list", "configmaps").ShouldBeGreaterThan(3);
    }

    [Theory]
    [InlineData(64 * 1024, 500, new[] { 4, 6, 6, 6, 6, 6, 6 })] // 16 KiB an item for the first page, then ~10.3 KB
    [InlineData(64 * 1024, 5, new[] { 4, 5, 5, 5, 5, 5, 5, 5, 1 })] // PageSize still caps a page
    [InlineData(0, 500, new[] { 40 })] // off: PageSize items a page
    [InlineData(1, 500, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 })] // at least one item a page
    public async Task List_pages_are_held_to_a_byte_budget_as_well_as_an_item_count(int pageBytes, int pageSize, int[] expected)
    {
        await using var server = await KubernetesApiServer.StartAsync();
        await server.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"big"}}""")!);
        for (int i = 0; i < 40; i++)
        {
            await server.SeedAsync(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"cm-{i:D2}", ["namespace"] = "big" },
                ["data"] = new JsonObject { ["blob"] = new string((char)('a' + (i % 26)), 10_000) },
            });
        }

        using var client = new k8s.Kubernetes(server.CreateClientConfiguration());
        var api = new KubeApi(client, new KubernetesAccessOptions { PageSize = pageSize, PageBytes = pageBytes });
        var info = await ClusterDiscovery.DiscoverAsync(api, NullLogger.Instance, CancellationToken.None);
        info.Discovery.TryResolve("configmaps", out var configmaps).ShouldBeTrue();
        var lister = new ResourceLister(api, NullLogger.Instance);
        var pages = new List<(int Items, int Bytes)>();
        var names = new List<string>();
        await foreach (var page in lister.ListPagesAsync(configmaps, "big", null, pooled: true))
        {
            pages.Add((page.Items.Count, page.Bytes));
            names.AddRange(page.Items.Select(i => i.Name));
            page.Buffer!.Release();
        }

        names.ShouldBe(Enumerable.Range(0, 40).Select(i => $"cm-{i:D2}"), "every item once, in order");
        pages.Select(p => p.Items).ShouldBe(expected);
        if (pageBytes >= 64 * 1024)
        {
            pages.ShouldAllBe(p => p.Bytes <= pageBytes, "no page over the budget when items are alike");
        }

        // A second list of the same type starts from the size seen: its first page is full-sized already.
        var again = new List<int>();
        await foreach (var page in lister.ListPagesAsync(configmaps, "big", null, pooled: false))
        {
            again.Add(page.Items.Count);
        }

        again[0].ShouldBe(pageBytes <= 0 ? 40 : Math.Min(pageSize, expected.Length > 1 ? expected[1] : expected[0]));
    }

    [Fact]
    public async Task A_lister_fetches_no_pooled_page_while_its_limit_of_pages_is_held()
    {
        var (server, client, lister, configmaps) = await ConfigMapListerAsync("held", 8, new KubernetesAccessOptions { PageSize = 1 }); // one item a page
        await using var _ = server;
        using var __ = client;
        long lists = server.RequestCounters.Get("list", "configmaps");

        // Pages taken and not released: the lister asks for no page beyond its limit.
        var held = new List<ResourceLister.Page>();
        await using var pages = lister.ListPagesAsync(configmaps, "held", null, pooled: true).GetAsyncEnumerator();
        for (int i = 0; i < ResourceLister.MaxPooledPages; i++)
        {
            (await pages.MoveNextAsync()).ShouldBeTrue();
            held.Add(pages.Current);
        }

        var next = pages.MoveNextAsync().AsTask();
        await Task.Delay(300);
        next.IsCompleted.ShouldBeFalse("the next page waits for a held one");
        lister.PooledPagesHeld.ShouldBe(ResourceLister.MaxPooledPages);
        (server.RequestCounters.Get("list", "configmaps") - lists).ShouldBe(ResourceLister.MaxPooledPages, "no request for the page beyond the limit");

        // Releasing one lets the list go on; released as they come, every page arrives.
        held[0].Buffer!.Release();
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        held.Add(pages.Current);
        foreach (var page in held.Skip(1))
        {
            page.Buffer!.Release();
        }

        while (await pages.MoveNextAsync())
        {
            held.Add(pages.Current);
            pages.Current.Buffer!.Release();
        }

        held.SelectMany(p => p.Items).Select(i => i.Name).ShouldBe(Enumerable.Range(0, 8).Select(i => $"cm-{i}"));
        lister.PooledPagesHeld.ShouldBe(0, "every page released gave its place back");
    }

    [Fact]
    public async Task A_page_fetch_that_fails_gives_its_place_back()
    {
        var (server, client, lister, configmaps) = await ConfigMapListerAsync("failing", 3, new KubernetesAccessOptions { PageSize = 1, MaxAttempts = 1 });
        await using var _ = server;
        using var __ = client;

        // More failed fetches than the lister's limit of pages: a place kept by any of them would stop the list below.
        var fault = server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", StatusCode = 500, MaxCount = ResourceLister.MaxPooledPages + 1 });
        for (int i = 0; i <= ResourceLister.MaxPooledPages; i++)
        {
            var attempt = Task.Run(async () =>
            {
                await foreach (var page in lister.ListPagesAsync(configmaps, "failing", null, pooled: true))
                {
                    page.Buffer!.Release();
                }
            });
            await Should.ThrowAsync<KubernetesApiException>(() => attempt.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        lister.PooledPagesHeld.ShouldBe(0);
        server.Faults.Remove(fault);
        var names = new List<string>();
        var listing = Task.Run(async () =>
        {
            await foreach (var page in lister.ListPagesAsync(configmaps, "failing", null, pooled: true))
            {
                names.AddRange(page.Items.Select(i => i.Name));
                page.Buffer!.Release();
            }
        });
        await listing.WaitAsync(TimeSpan.FromSeconds(30));
        names.ShouldBe(["cm-0", "cm-1", "cm-2"]);
        lister.PooledPagesHeld.ShouldBe(0);
    }

    /// <summary>A server with <paramref name="count"/> configmaps <c>cm-0</c>, <c>cm-1</c>, ... in <paramref name="ns"/>, and a lister over it.</summary>
    private static async Task<(KubernetesApiServer Server, k8s.Kubernetes Client, ResourceLister Lister, Velero.Sdk.Filtering.ApiResourceInfo ConfigMaps)> ConfigMapListerAsync(
        string ns, int count, KubernetesAccessOptions options)
    {
        var server = await KubernetesApiServer.StartAsync();
        await server.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        for (int i = 0; i < count; i++)
        {
            await server.SeedAsync(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"cm-{i}", ["namespace"] = ns },
            });
        }

        var client = new k8s.Kubernetes(server.CreateClientConfiguration());
        var api = new KubeApi(client, options);
        var info = await ClusterDiscovery.DiscoverAsync(api, NullLogger.Instance, CancellationToken.None);
        info.Discovery.TryResolve("configmaps", out var configmaps).ShouldBeTrue();
        return (server, client, new ResourceLister(api, NullLogger.Instance), configmaps);
    }

    [Fact]
    public async Task Discovery_prefers_aggregated_documents_and_orders_extensions_last()
    {
        await using var server = await KubernetesApiServer.StartAsync();
        using var client = new k8s.Kubernetes(server.CreateClientConfiguration());
        var info = await ClusterDiscovery.DiscoverAsync(new KubeApi(client), NullLogger.Instance, CancellationToken.None);
        info.GitVersion.ShouldBe("v1.32.0");
        info.Major.ShouldBe("1");
        info.Discovery.Resources[0].Group.ShouldBe(string.Empty);
        info.Discovery.TryResolve("deploy", out var d).ShouldBeTrue();
        d.ApiVersion.ShouldBe("apps/v1");
        info.Discovery.Resources.ShouldNotContain(r => r.Version.Contains("alpha", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"a","namespace":"n","labels":{"x":"1"}},"data":{}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n","labels":{"x":"1"}},"data":{}}""")]
    [InlineData("""{}""", """{"apiVersion":"v1","kind":"ConfigMap"}""")]
    [InlineData("""{"kind":"ConfigMap","metadata":{"name":"b"}}""", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}""")]
    public void List_items_get_apiVersion_and_kind_and_keep_everything_else(string item, string expected)
    {
        var raw = RawObject.Parse(System.Text.Encoding.UTF8.GetBytes(item), "v1", "ConfigMap");
        JsonAssert.Equal(JsonNode.Parse(expected), JsonNode.Parse(raw.Json.Span));
    }
    [Theory]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"true","app":"x"}}}""", true)]
    [InlineData("""{"metadata":{"name":"a","labels":{"app":"x","velero.io\/exclude-from-backup":"true"}}}""", true)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"false"}}}""", false)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":true}}}""", false)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"True"}}}""", false)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"true","velero.io/exclude-from-backup":"no"}}}""", false)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"no","velero.io/exclude-from-backup":"true"}}}""", true)]
    [InlineData("""{"metadata":{"name":"a","labels":{"velero.io/exclude-from-backup":"true","velero.io/exclude-from-backup":{"x":1}}}}""", true)]
    [InlineData("""{"metadata":{"name":"a","annotations":{"velero.io/exclude-from-backup":"true"}}}""", false)]
    [InlineData("""{"metadata":{"name":"a","labels":null}}""", false)]
    [InlineData("""{"metadata":{"name":"a"}}""", false)]
    public void The_exclude_label_is_read_as_the_labels_map_would_give_it(string item, bool excluded)
    {
        var raw = RawObject.Parse(System.Text.Encoding.UTF8.GetBytes(item), "v1", "ConfigMap");

        raw.ExcludedFromBackup.ShouldBe(excluded);
        var fromMap = raw.Labels is { } l && l.TryGetValue("velero.io/exclude-from-backup", out var v) && v == "true";
        fromMap.ShouldBe(excluded, "the flag and the labels map agree");
    }

    [Fact]
    public void Labels_are_read_on_first_use_from_the_item_bytes()
    {
        var raw = RawObject.Parse("""{"metadata":{"labels":{"app":"shop","tier":"web","n":1,"esc\u0061ped":"v\"q"},"name":"a"},"spec":{"labels":{"not":"these"}}}"""u8, "v1", "Pod");

        raw.Labels.ShouldNotBeNull();
        raw.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).ShouldBe(
            [new("app", "shop"), new("escaped", "v\"q"), new("tier", "web")]);
        raw.Labels.ShouldBeSameAs(raw.Labels, "read once");
        RawObject.Parse("""{"metadata":{"name":"b"}}"""u8, "v1", "Pod").Labels.ShouldBeNull();
    }

    [Fact]
    public void A_recorded_list_page_is_read_in_one_pass_each_item_its_own_bytes()
    {
        var page = File.ReadAllBytes(TestData.Path("k8s-objects", "recorded-apiserver-v1.36", "extracted", "pod-list.kube-system.json"));
        var items = JsonNode.Parse(page)!["items"]!.AsArray();

        var parsed = ResourceLister.ParsePage(page, "v1", "Pod");

        parsed.Items.Count.ShouldBe(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var raw = parsed.Items[i];
            var item = items[i]!.AsObject();
            JsonAssert.Equal(item, JsonNode.Parse(raw.Source.Span));
            raw.Source.Span[0].ShouldBe((byte)'{');
            raw.Source.Span[^1].ShouldBe((byte)'}', "the item's bytes end at its closing brace");
            raw.Name.ShouldBe(item["metadata"]!["name"]!.GetValue<string>());
            raw.Namespace.ShouldBe("kube-system");
            JsonAssert.Equal(item["spec"], JsonNode.Parse(raw.Spec));
            raw.Labels!.OrderBy(kv => kv.Key, StringComparer.Ordinal).ShouldBe(
                item["metadata"]!["labels"]!.AsObject().Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value!.GetValue<string>())).OrderBy(kv => kv.Key, StringComparer.Ordinal));
            JsonAssert.Equal(JsonNode.Parse(
                $$"""{"apiVersion":"v1","kind":"Pod",{{item.ToJsonString()[1..]}}"""), JsonNode.Parse(raw.Json.Span));
            Actions.BuiltIn.PodRelatedItems.Of(raw).ShouldBe(Actions.BuiltIn.PodRelatedItems.Of(item), $"pod {raw.Name}");
        }
    }

    [Fact]
    public void List_items_are_cut_exactly_whatever_the_white_space_and_a_non_object_item_is_refused()
    {
        const string first = """{"metadata":{"name":"a","annotations":{"k":"v"}},"spec":{"x":[1,{"y":"}"}]},"status":{"s":1}}""";
        const string second = """{ "apiVersion" : "v1", "kind":"Pod", "spec" : null, "metadata" : { "name" : "b", "namespace" : "ns" } }""";
        var page = System.Text.Encoding.UTF8.GetBytes("""{"kind":"PodList","items":[ """ + first + " ,\n  " + second + "\t" + """],"metadata":{"continue":"next"}}""");

        var parsed = ResourceLister.ParsePage(page, "v1", "Pod");

        parsed.Continue.ShouldBe("next");
        parsed.Items.Select(i => System.Text.Encoding.UTF8.GetString(i.Source.Span)).ShouldBe([first, second]);
        System.Text.Encoding.UTF8.GetString(parsed.Items[0].Spec).ShouldBe("""{"x":[1,{"y":"}"}]}""");
        parsed.Items[0].Annotations.ShouldBe(new Dictionary<string, string> { ["k"] = "v" });
        parsed.Items[1].Spec.IsEmpty.ShouldBeTrue("a null spec is no spec");
        parsed.Items[1].Namespace.ShouldBe("ns");
        Actions.BuiltIn.PodRelatedItems.Of(parsed.Items[1]).ShouldBeEmpty();
        System.Text.Encoding.UTF8.GetString(parsed.Items[1].Json.Span).ShouldBe(second, "an item with apiVersion and kind is kept as it came");

        Should.Throw<System.Text.Json.JsonException>(() => ResourceLister.ParsePage("""{"items":[{"metadata":{"name":"a"}},null]}"""u8.ToArray(), "v1", "Pod"))
            .Message.ShouldContain("must be a JSON object");
    }

    [Fact]
    public void A_pods_claims_and_priority_class_come_from_its_spec_alone()
    {
        const string pod = """
            {"metadata":{"name":"p","namespace":"shop","annotations":{"spec":"{\"volumes\":[]}"}},
             "status":{"volumes":[{"persistentVolumeClaim":{"claimName":"not-this"}}]},
             "spec":{"priorityClassName":"high","volumes":[{"name":"a","persistentVolumeClaim":{"claimName":"data"}},{"name":"b","emptyDir":{}},
                     {"name":"c","persistentVolumeClaim":{"claimName":"logs","readOnly":true}}]}}
            """;
        var raw = RawObject.Parse(System.Text.Encoding.UTF8.GetBytes(pod), "v1", "Pod");

        var related = Actions.BuiltIn.PodRelatedItems.Of(raw);

        related.Select(r => $"{r.GroupResource}/{r.Namespace}/{r.Name}").ShouldBe(
            ["priorityclasses.scheduling.k8s.io//high", "persistentvolumeclaims/shop/data", "persistentvolumeclaims/shop/logs"]);
        related.ShouldBe(Actions.BuiltIn.PodRelatedItems.Of(JsonNode.Parse(pod)!.AsObject()));
        Actions.BuiltIn.PodRelatedItems.Of(raw).ShouldBeSameAs(related, "read once, kept on the item for the second action");
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"c","env":[{"name":"x","value":"claimName"}]}]}}""", "")]
    [InlineData("""{"metadata":{"name":"p","namespace":"n"},"spec":{"priority\u0043lassName":"escaped","volumes":[{"persistent\u0056olumeClaim":{"claim\u004eame":"e"}}]}}""", "priorityclasses.scheduling.k8s.io//escaped persistentvolumeclaims/n/e")]
    [InlineData("""{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"args":["\"priorityClassName\""]}]}}""", "")]
    [InlineData("""{"metadata":{"name":"p","namespace":"n"},"spec":{"priorityClassName":"","volumes":[{"persistentVolumeClaim":{"claimName":""}},{"persistentVolumeClaim":null}]}}""", "")]
    [InlineData("""{"metadata":{"name":"p","namespace":"n"},"spec":{"volumes":[{"persistentVolumeClaim":{"claimName":"a"}}],"priorityClassName":"last"}}""", "priorityclasses.scheduling.k8s.io//last persistentvolumeclaims/n/a")]
    public void A_pods_related_items_read_raw_match_the_document_reading(string pod, string expected)
    {
        var related = Actions.BuiltIn.PodRelatedItems.Of(RawObject.Parse(System.Text.Encoding.UTF8.GetBytes(pod), "v1", "Pod"));

        string.Join(' ', related.Select(r => $"{r.GroupResource}/{r.Namespace}/{r.Name}")).ShouldBe(expected);
        related.ShouldBe(Actions.BuiltIn.PodRelatedItems.Of(JsonNode.Parse(pod)!.AsObject()));
    }
}

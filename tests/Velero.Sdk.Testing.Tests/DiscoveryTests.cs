using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Tests;

/// <summary>The server's discovery documents compared field by field with the recorded ones.</summary>
public sealed class DiscoveryTests
{
    private static JsonNode Load(params string[] parts) => JsonNode.Parse(File.ReadAllText(TestPaths.Data(["discovery", .. parts])))!;

    private static async Task<(string ContentType, JsonNode Body)> GetAsync(ServerFixture f, string path, string? accept = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            req.Headers.Accept.ParseAdd(accept);
        }

        using var resp = await f.Http.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        return (resp.Content.Headers.ContentType!.ToString(), JsonNode.Parse(await resp.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Legacy_group_list_equals_the_recorded_v1_32_list()
    {
        await using var f = await ServerFixture.StartAsync();
        var recorded = JsonNode.Parse((string)Load("k8s-openapi-replays", "apis.v1-32.api_versions-list.json")[0]!["response_body"]!)!;
        var (_, served) = await GetAsync(f, "apis");
        JsonNode.DeepEquals(served, recorded).ShouldBeTrue(served.ToJsonString());
    }

    [Fact]
    public async Task Aggregated_discovery_equals_the_recorded_document_for_the_served_group_versions()
    {
        await using var f = await ServerFixture.StartAsync();
        const string accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        var (contentType, served) = await GetAsync(f, "apis", accept);
        contentType.Replace(" ", string.Empty, StringComparison.Ordinal).ShouldBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        served["kind"]!.ToString().ShouldBe("APIGroupDiscoveryList");

        var v132 = JsonNode.Parse((string)Load("k8s-openapi-replays", "apis.v1-32.api_versions-list.json")[0]!["response_body"]!)!["groups"]!.AsArray()
            .ToDictionary(g => (string)g!["name"]!, g => g!["versions"]!.AsArray().Select(v => (string)v!["version"]!).ToHashSet());
        var recorded = Load("kubernetes-api-discovery", "aggregated_v2.json")["items"]!.AsArray()
            .Where(g => v132.ContainsKey((string)g!["metadata"]!["name"]!)).ToList();
        var servedItems = served["items"]!.AsArray();
        servedItems.Select(g => (string)g!["metadata"]!["name"]!).ShouldBe(recorded.Select(g => (string)g!["metadata"]!["name"]!), ignoreOrder: true);
        foreach (var rg in recorded)
        {
            var name = (string)rg!["metadata"]!["name"]!;
            var sg = servedItems.Single(g => (string)g!["metadata"]!["name"]! == name)!;
            var expectedVersions = rg["versions"]!.AsArray().Where(v => v132[name].Contains((string)v!["version"]!)).ToList();
            var servedVersions = sg["versions"]!.AsArray();
            servedVersions.Select(v => (string)v!["version"]!).ShouldBe(expectedVersions.Select(v => (string)v!["version"]!), name);
            for (var i = 0; i < expectedVersions.Count; i++)
            {
                JsonNode.DeepEquals(servedVersions[i], expectedVersions[i]).ShouldBeTrue($"{name}/{expectedVersions[i]!["version"]}: served {servedVersions[i]!.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Core_v1_resource_list_equals_the_recorded_one_except_storage_hashes()
    {
        await using var f = await ServerFixture.StartAsync();
        var recorded = Load("kubernetes-api-discovery", "api__v1.json");
        var (_, served) = await GetAsync(f, "api/v1");
        foreach (var r in recorded["resources"]!.AsArray())
        {
            r!.AsObject().Remove("storageVersionHash");
        }

        served["kind"]!.ToString().ShouldBe("APIResourceList");
        served["groupVersion"]!.ToString().ShouldBe("v1");
        var servedResources = served["resources"]!.AsArray();
        servedResources.Count.ShouldBe(recorded["resources"]!.AsArray().Count);
        foreach (var expected in recorded["resources"]!.AsArray())
        {
            var actual = servedResources.Single(r => (string)r!["name"]! == (string)expected!["name"]!);
            JsonNode.DeepEquals(actual, expected).ShouldBeTrue($"served {actual!.ToJsonString()} recorded {expected!.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Apps_v1_resource_list_matches_the_recorded_one_field_by_field()
    {
        await using var f = await ServerFixture.StartAsync();
        var recorded = Load("kubernetes-api-discovery", "apis__apps__v1.json");
        var (_, served) = await GetAsync(f, "apis/apps/v1");
        served["apiVersion"]!.ToString().ShouldBe("v1");
        served["groupVersion"]!.ToString().ShouldBe("apps/v1");
        var servedResources = served["resources"]!.AsArray();
        servedResources.Select(r => (string)r!["name"]!).ShouldBe(recorded["resources"]!.AsArray().Select(r => (string)r!["name"]!), ignoreOrder: true);
        foreach (var expected in recorded["resources"]!.AsArray())
        {
            var actual = servedResources.Single(r => (string)r!["name"]! == (string)expected!["name"]!)!;
            foreach (var field in new[] { "singularName", "namespaced", "kind", "verbs", "shortNames", "categories", "group", "version" })
            {
                JsonNode.DeepEquals(actual[field], expected![field]).ShouldBeTrue($"{expected["name"]}.{field}: served {actual[field]?.ToJsonString()} recorded {expected[field]?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Version_and_api_versions()
    {
        await using var f = await ServerFixture.StartAsync();
        var (_, version) = await GetAsync(f, "version");
        version["major"]!.ToString().ShouldBe("1");
        version["minor"]!.ToString().ShouldBe("32");
        version["gitVersion"]!.ToString().ShouldBe("v1.32.0");
        var (_, api) = await GetAsync(f, "api");
        api["kind"]!.ToString().ShouldBe("APIVersions");
        api["versions"]!.AsArray().Select(v => (string)v!).ShouldBe(["v1"]);
        var (_, group) = await GetAsync(f, "apis/apps");
        group["kind"]!.ToString().ShouldBe("APIGroup");
        group["preferredVersion"]!["groupVersion"]!.ToString().ShouldBe("apps/v1");
        (await f.GetAsync("apis/nope.example.com/v1")).Code.ShouldBe(404);
    }
}

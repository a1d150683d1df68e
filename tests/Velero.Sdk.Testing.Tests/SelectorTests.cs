using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Tests;

/// <summary>One server with one ConfigMap per label set of the case table.</summary>
public sealed class SelectorServer : IAsyncLifetime
{
    public static readonly (string Name, string Labels)[] Objects =
    [
        ("empty", "{}"),
        ("xy", "{\"x\":\"y\"}"),
        ("xy-zw", "{\"x\":\"y\",\"z\":\"w\"}"),
        ("xz-za", "{\"x\":\"z\",\"z\":\"a\"}"),
        ("xw-zw", "{\"x\":\"w\",\"z\":\"w\"}"),
        ("notin-in", "{\"notin\":\"in\"}"),
        ("yz", "{\"y\":\"z\"}"),
        ("x2", "{\"x\":\"2\"}"),
        ("x0", "{\"x\":\"0\"}"),
    ];

    internal ServerFixture F { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        F = await ServerFixture.StartAsync();
        foreach (var (name, labels) in Objects)
        {
            (await F.PostAsync("api/v1/namespaces/default/configmaps", $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\",\"labels\":{labels}}}}}")).Code.ShouldBe(201);
        }

        (await F.PostAsync("api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"other\"}}")).Code.ShouldBe(201);
        (await F.PostAsync("api/v1/namespaces/other/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"xy\"}}")).Code.ShouldBe(201);
    }

    public async Task DisposeAsync() => await F.DisposeAsync();
}

/// <summary>Label and field selectors of list requests, with the cases of Kubernetes' selector tests (the behaviour).</summary>
public sealed class SelectorTests(SelectorServer server) : IClassFixture<SelectorServer>
{
    private async Task<string[]> Names(string query)
    {
        var (code, body) = await server.F.GetAsync("api/v1/configmaps?" + query);
        code.ShouldBe(200, body?.ToJsonString());
        return body!["items"]!.AsArray().Select(i => i!["metadata"]!["namespace"] + "/" + i["metadata"]!["name"]).ToArray();
    }

    // From labels.TestSelectorMatches / TestSelectorDoesNotMatch: each selector against every label set.
    [Theory]
    [InlineData("", "empty,xy,xy-zw,xz-za,xw-zw,notin-in,yz,x2,x0")]
    [InlineData("x=y", "xy,xy-zw")]
    [InlineData("x==y", "xy,xy-zw")]
    [InlineData("x=y,z=w", "xy-zw")]
    [InlineData("x!=y,z!=w", "empty,xz-za,notin-in,yz,x2,x0")]
    [InlineData("notin=in", "notin-in")]
    [InlineData("x", "xy,xy-zw,xz-za,xw-zw,x2,x0")]
    [InlineData("!x", "empty,notin-in,yz")]
    [InlineData("x>1", "x2")]
    [InlineData("x<1", "x0")]
    [InlineData("x in (y,z)", "xy,xy-zw,xz-za")]
    [InlineData("x notin (y,z)", "empty,xw-zw,notin-in,yz,x2,x0")]
    [InlineData("x=z", "xz-za")]
    [InlineData("x in ()", "")]
    public async Task Label_selector_matches(string selector, string expected)
    {
        var names = await Names("labelSelector=" + Uri.EscapeDataString(selector));
        var want = expected.Length == 0 ? [] : expected.Split(',').Select(n => "default/" + n).ToArray();
        if (want.Contains("default/empty"))
        {
            // other/xy has no labels, like default/empty.
            want = [.. want, "other/xy"];
        }

        names.ShouldBe(want, ignoreOrder: true);
    }

    // From labels.TestSelectorParse's error cases.
    [Theory]
    [InlineData("x=a||y=b")]
    [InlineData("x==a==b")]
    [InlineData("!x=a")]
    [InlineData("x<a")]
    [InlineData("x in (")]
    public async Task Bad_label_selectors_are_400(string selector)
    {
        var (code, status) = await server.F.GetAsync("api/v1/configmaps?labelSelector=" + Uri.EscapeDataString(selector));
        code.ShouldBe(400, status?.ToJsonString());
        status!["reason"]!.ToString().ShouldBe("BadRequest");
        status["message"]!.ToString().ShouldStartWith("unable to parse requirement");
    }

    // From fields.TestSelectorParse / TestEscaping (behaviour restricted to the supported fields).
    [Theory]
    [InlineData("metadata.name=xy", "default/xy,other/xy")]
    [InlineData("metadata.name==xy", "default/xy,other/xy")]
    [InlineData("metadata.name=xy,metadata.namespace=other", "other/xy")]
    [InlineData("metadata.namespace!=default", "other/xy")]
    [InlineData("metadata.name!=xy,metadata.namespace=default,metadata.name!=empty", "default/xy-zw,default/xz-za,default/xw-zw,default/notin-in,default/yz,default/x2,default/x0")]
    [InlineData("metadata.name=x\\,y", "")]
    public async Task Field_selector_matches(string selector, string expected)
    {
        var names = await Names("fieldSelector=" + Uri.EscapeDataString(selector));
        names.ShouldBe(expected.Length == 0 ? [] : expected.Split(','), ignoreOrder: true);
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector")]
    [InlineData("spec.x=y", "field label not supported: spec.x")]
    [InlineData("metadata.name=a=b", "invalid field selector")]
    public async Task Bad_field_selectors_are_400(string selector, string message)
    {
        var (code, status) = await server.F.GetAsync("api/v1/configmaps?fieldSelector=" + Uri.EscapeDataString(selector));
        code.ShouldBe(400);
        status!["message"]!.ToString().ShouldStartWith(message);
    }

    [Fact]
    public async Task Selectors_combine_with_paging()
    {
        var (_, page) = await server.F.GetAsync("api/v1/namespaces/default/configmaps?labelSelector=x&limit=2");
        page!["items"]!.AsArray().Count.ShouldBe(2);
        page["metadata"]!.AsObject().ContainsKey("remainingItemCount").ShouldBeFalse();
        var all = new List<string>(page["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        while (page!["metadata"]!["continue"] is JsonValue c)
        {
            (_, page) = await server.F.GetAsync("api/v1/namespaces/default/configmaps?labelSelector=x&limit=2&continue=" + c);
            all.AddRange(page!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        }

        all.ShouldBe(["x0", "x2", "xw-zw", "xy", "xy-zw", "xz-za"]);
    }
}

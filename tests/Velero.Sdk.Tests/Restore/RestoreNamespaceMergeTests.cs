using System.Text.Json.Nodes;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

/// <summary>An item restores once per target: the dedup follows the target, whether or not namespaces are merged.</summary>
public sealed class RestoreNamespaceMergeTests : IAsyncLifetime
{
    private RestoreFixture _f = null!;

    public async Task InitializeAsync() => _f = await RestoreFixture.StartAsync(
    [
        Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"},"status":{"phase":"Active"}}"""),
        Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-b"},"status":{"phase":"Active"}}"""),
        Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"same","namespace":"team-a"},"data":{"from":"a"}}"""),
        Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"same","namespace":"team-b"},"data":{"from":"b"}}"""),
        Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"only-a","namespace":"team-a"},"data":{"from":"a"}}"""),
        Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"only-b","namespace":"team-b"},"data":{"from":"b"}}"""),
    ]);

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task A_namespace_mapped_onto_another_restored_one_restores_an_item_of_the_same_name_once()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("team-a", "team-b"));
        var result = await _f.RestoreAsync(r => r.IncludeResources("configmaps").MapNamespace("team-a", "team-b"));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        result.Warnings.All().ShouldBeEmpty("the second 'same' is skipped as restored already, not tried and found to exist");
        var configMaps = result.Items.Where(i => i.Kind == "ConfigMap").ToList();
        configMaps.Count(i => i.Name == "same").ShouldBe(1);
        configMaps.Single(i => i.Name == "same").ShouldBe(new RestoredItem("v1", "ConfigMap", "team-b", "same", RestoredItemAction.Created));
        configMaps.Select(i => (i.Namespace, i.Name)).Order().ShouldBe([("team-b", "only-a"), ("team-b", "only-b"), ("team-b", "same")]);
        _f.Target.GetObject("v1", "ConfigMap", "team-b", "same")!["data"]!["from"]!.GetValue<string>().ShouldBeOneOf("a", "b");
    }

    [Fact]
    public async Task Namespaces_mapped_apart_restore_items_of_the_same_name_in_each()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("team-a", "team-b"));
        var result = await _f.RestoreAsync(r => r.IncludeResources("configmaps").MapNamespace("team-a", "team-b").MapNamespace("team-b", "team-a"));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        result.Items.Where(i => i.Kind == "ConfigMap" && i.Name == "same").Select(i => i.Namespace).Order().ShouldBe(["team-a", "team-b"]);
        _f.Target.GetObject("v1", "ConfigMap", "team-a", "same")!["data"]!["from"]!.GetValue<string>().ShouldBe("b", "swapped");
        _f.Target.GetObject("v1", "ConfigMap", "team-b", "same")!["data"]!["from"]!.GetValue<string>().ShouldBe("a");
        _f.Target.GetObject("v1", "ConfigMap", "team-a", "only-b").ShouldNotBeNull();
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}

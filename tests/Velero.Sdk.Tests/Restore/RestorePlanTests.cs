using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class RestorePlanTests : IAsyncLifetime
{
    private RestoreFixture _f = null!;

    public async Task InitializeAsync() => _f = await RestoreFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    /// <summary>Gives one config map a name the API server refuses, to see the server's own verdict in the plan.</summary>
    private sealed class BreakName : RestoreItemAction
    {
        public override ResourceSelector AppliesTo { get; } = new() { IncludedResources = ["configmaps"], IncludedNamespaces = ["shop"] };

        public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
        {
            context.Item["metadata"]!["name"] = "Not_A_Valid_Name";
            return Task.FromResult(new RestoreItemActionResult(context.Item));
        }
    }

    [Fact]
    public async Task A_dry_run_plans_creates_skips_and_the_server_s_refusals_in_order_without_writing_anything()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop", "web"));
        await _f.Target.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""")!);
        await _f.Target.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"shop"},"type":"Opaque","data":{"p":"b3RoZXI="}}""")!);
        var before = _f.Target.ResourceVersion;

        using var client = _f.Client(_f.Target, b => b.AddRestoreItemAction(new BreakName()));
        var plan = await client.PlanRestoreAsync(new RestoreBuilder("b1", "plan").IncludeNamespaces("shop", "web").MapNamespace("web", "web-new").IncludeClusterResources(true).Build());

        _f.Target.ResourceVersion.ShouldBe(before, "a dry run writes nothing");
        _f.Target.GetObject("v1", "Namespace", null, "web-new").ShouldBeNull();
        _f.Target.GetObject("v1", "Pod", "shop", "web-0").ShouldBeNull();

        var steps = plan.Steps;
        steps.ShouldContain(s => s.Resource == "namespaces" && s.Name == "web-new" && s.Action == RestorePlanAction.Create);
        steps.Single(s => s.Resource == "secrets" && s.Name == "creds").Action.ShouldBe(RestorePlanAction.Skip);
        steps.ShouldContain(s => s.Resource == "pods" && s.Namespace == "shop" && s.Name == "web-0" && s.Action == RestorePlanAction.Create && s.Reason == null);

        // The server itself refuses the invalid name (validated in a dryRun=All request).
        var refused = steps.Single(s => s.Resource == "configmaps" && s.Namespace == "shop");
        refused.Action.ShouldBe(RestorePlanAction.Fail);
        refused.Reason.ShouldNotBeNull().ShouldContain("Not_A_Valid_Name");

        // In a namespace the restore would create, the server cannot check: planned as creates, and said so.
        var page = steps.Single(s => s.Resource == "configmaps" && s.Namespace == "web-new");
        page.Action.ShouldBe(RestorePlanAction.Create);
        page.Reason.ShouldBe("namespace web-new is created first: not checked by the server");

        // Custom resources whose CRD the plan creates first.
        steps.Single(s => s.Resource == "widgets.example.com").Reason.ShouldNotBeNull().ShouldContain("CustomResourceDefinition is created first");

        // Tiers in priority order: CRDs, namespaces, ..., claims before pods.
        int Order(string resource) => steps.First(s => s.Resource == resource).Order;
        Order("customresourcedefinitions.apiextensions.k8s.io").ShouldBeLessThan(Order("persistentvolumeclaims"));
        Order("persistentvolumeclaims").ShouldBeLessThan(Order("pods"));
        Order("pods").ShouldBeLessThan(Order("deployments.apps"));
        plan.Errors.Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Planning_a_missing_backup_throws_not_found()
    {
        using var client = _f.Client(_f.Target);
        var e = await Should.ThrowAsync<VeleroException>(() => client.PlanRestoreAsync(new RestoreBuilder("missing", "p").Build()));
        e.ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
        e.Message.ShouldContain("\"missing\" not found");
    }
}

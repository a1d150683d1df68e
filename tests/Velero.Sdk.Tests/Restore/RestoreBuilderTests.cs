using Microsoft.Extensions.Time.Testing;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public class RestoreBuilderTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 28, 13, 5, 9, TimeSpan.FromHours(2)));

    [Fact]
    public void Several_namespace_mappings_in_one_restore()
    {
        var request = new RestoreBuilder(fromBackup: "nightly")
            .MapNamespace("abc", "def")
            .MapNamespace("123", "456")
            .WithTimeProvider(Clock)
            .Build();
        request.NamespaceMapping.Map("abc").ShouldBe("def");
        request.NamespaceMapping.Map("123").ShouldBe("456");
        request.NamespaceMapping.Map("other").ShouldBe("other");
        var map = request.ToRestore().Spec.NamespaceMapping!;
        map.Count.ShouldBe(2);
        map["abc"].ShouldBe("def");
        map["123"].ShouldBe("456");
    }

    [Fact]
    public void Default_name_is_the_backup_and_the_utc_time()
    {
        new RestoreBuilder("nightly").WithTimeProvider(Clock).Build().Name.ShouldBe("nightly-20261128110509");
        new RestoreBuilder().FromSchedule("daily").WithTimeProvider(Clock).Build().Name.ShouldBe("daily-20261128110509");
        new RestoreBuilder("nightly", name: "mine").Build().Name.ShouldBe("mine");
    }

    [Fact]
    public void Builds_the_equivalent_resource()
    {
        var request = new RestoreBuilder("b1")
            .IncludeNamespaces("a", "b")
            .ExcludeResources("secrets")
            .IncludeClusterResources(false)
            .WithLabelSelector("app=web")
            .RestorePVs(false)
            .PreserveNodePorts()
            .RestoreStatus(["deployments.apps"])
            .WithExistingResourcePolicy(ExistingResourcePolicy.Update)
            .WithResourceModifier("modifiers")
            .WithNamespaceMapping("a:x,b:y")
            .Build();
        request.BackupName.ShouldBe("b1");
        request.ScheduleName.ShouldBeNull();
        request.ExistingResourcePolicy.ShouldBe("update");
        request.IncludeClusterResources.ShouldBe(false);
        var r = request.ToRestore();
        r.Kind.ShouldBe("Restore");
        r.Spec.RestorePVs.ShouldBe(false);
        r.Spec.PreserveNodePorts.ShouldBe(true);
        r.Spec.RestoreStatus!.IncludedResources.ShouldBe(["deployments.apps"]);
        r.Spec.ResourceModifier!.Kind.ShouldBe("configmap");
        r.Spec.LabelSelector!.MatchLabels["app"].ShouldBe("web");
        r.Spec.NamespaceMapping!["b"].ShouldBe("y");
        new RestoreBuilder("b").Build().ExistingResourcePolicy.ShouldBe("none");
    }

    public static TheoryData<Func<RestoreBuilder, RestoreBuilder>, string> Invalid => new()
    {
        { b => b, RestoreValidation.SourceMessage },
        { b => b.FromBackup("x").FromSchedule("y"), RestoreValidation.SourceMessage },
        { b => b.FromBackup("x").IncludeResources("nodes"), "nodes are non-restorable resources" },
        { b => b.FromBackup("x").IncludeResources("nodes"), "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: nodes" },
        { b => b.FromBackup("x").IncludeResources("events.events.k8s.io"), "events.events.k8s.io are non-restorable resources" },
        { b => b.FromBackup("x").ExcludeResources("*"), "Invalid included/excluded resource lists: excludes list cannot contain '*'" },
        { b => b.FromBackup("x").IncludeResources("*", "pods"), "Invalid included/excluded resource lists: includes list must either contain '*' only, or a non-empty list of items" },
        { b => b.FromBackup("x").ExcludeNamespaces("*"), "Invalid included/excluded namespace lists: excludes list cannot contain '*'" },
        { b => b.FromBackup("x").IncludeNamespaces("a").ExcludeNamespaces("a"), "Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: a" },
        { b => b.FromBackup("x").WithLabelSelector("a=b").WithOrLabelSelectors("c=d"), RestoreValidation.BothSelectorsMessage },
        { b => b.FromBackup("x").WithExistingResourcePolicy("Update"), "Invalid ExistingResourcePolicy: Update" },
        { b => b.FromBackup("x").MapNamespace("a", "c").MapNamespace("b", "c"), "namespaceMapping: namespaces \"a\" and \"b\" are both mapped to \"c\"" },
        { b => b.FromBackup("x").MapNamespace("a", "c").MapNamespace("a", "d"), "namespaceMapping: source namespace \"a\" is mapped twice (to \"c\" and \"d\")" },
        { b => b.FromBackup("x").MapNamespace("a", "Not_Valid"), "namespaceMapping: target namespace \"Not_Valid\": a lowercase RFC 1123 label" },
        { b => b.FromBackup("x").WithNamespaceMapping("a"), "namespaceMapping: invalid namespace mapping \"a\": \"a\" is not a source:target pair" },
        { b => b.FromBackup("x").WithLabelSelector("=x"), "labelSelector: invalid label selector \"=x\" at position 0" },
        { b => b.FromBackup("x").WithName("Bad"), "invalid restore name \"Bad\"" },
        {
            b => b.FromBackup("x").AddHook(new V1RestoreResourceHookSpec
            {
                Name = "h",
                PostHooks = [new V1RestoreResourceHook { Init = new V1InitRestoreHook { InitContainers = [System.Text.Json.JsonDocument.Parse("""{"name":"c","image":"busybox"}""").RootElement] } }],
            }),
            RestoreValidation.InitContainerMessage
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Every_validation_message(Func<RestoreBuilder, RestoreBuilder> configure, string message)
    {
        var e = Should.Throw<VeleroValidationException>(() => configure(new RestoreBuilder().WithTimeProvider(Clock)).Build());
        e.Errors.ShouldContain(x => x.StartsWith(message, StringComparison.Ordinal), $"got: {string.Join(" | ", e.Errors)}");
    }

    [Fact]
    public void A_valid_init_hook_passes()
    {
        new RestoreBuilder("x").AddHook(new V1RestoreResourceHookSpec
        {
            Name = "h",
            PostHooks = [new V1RestoreResourceHook { Init = new V1InitRestoreHook { InitContainers = [System.Text.Json.JsonDocument.Parse("""{"name":"c","image":"busybox","command":["true"]}""").RootElement] } }],
        }).Build().ToRestore().Spec.Hooks!.Resources!.Single().Name.ShouldBe("h");
    }

    [Fact]
    public void From_an_existing_resource()
    {
        var restore = new V1Restore();
        restore.Metadata.Name = "r";
        restore.Metadata.NamespaceProperty = "velero";
        restore.Spec.BackupName = "b";
        restore.Spec.IncludedResources = ["pods", "nodes"];
        RestoreBuilder.From(restore).Validate().ShouldBe(
        [
            "nodes are non-restorable resources",
            "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: nodes",
        ]);
    }
}

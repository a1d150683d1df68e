using k8s.Models;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Backup;

public class BackupBuilderTests
{
    [Fact]
    public void Builds_an_immutable_request_and_the_equivalent_resource()
    {
        var builder = new BackupBuilder("nightly-apps")
            .IncludeNamespaces("apps-*", "web")
            .ExcludeNamespaces("apps-test")
            .ExcludeResources("events")
            .WithLabelSelector("backup=true,tier in (a,b)")
            .WithTtl(TimeSpan.FromDays(30))
            .WithStorageLocation("primary")
            .SnapshotVolumes(false)
            .WithOrderedResources("pods", "ns1/a", "ns1/b")
            .WithLabel("team", "platform");
        var request = builder.Build();

        request.Name.ShouldBe("nightly-apps");
        request.Namespace.ShouldBe("velero");
        request.IncludedNamespaces.ShouldBe(["apps-*", "web"]);
        request.ExcludedResources.ShouldBe(["events"]);
        request.UsesOldResourceFilters.ShouldBeTrue();
        request.LabelSelector!.ToString().ShouldBe("backup=true,tier in (a,b)");
        request.Ttl.ShouldBe(TimeSpan.FromDays(30));
        request.SnapshotVolumes.ShouldBe(false);
        request.OrderedResources["pods"].ShouldBe("ns1/a,ns1/b");

        var backup = request.ToBackup();
        backup.ApiVersion.ShouldBe("velero.io/v1");
        backup.Kind.ShouldBe("Backup");
        backup.Metadata.Labels["team"].ShouldBe("platform");
        backup.Spec.Ttl.ShouldBe("720h0m0s");
        backup.Spec.StorageLocation.ShouldBe("primary");
        backup.Spec.LabelSelector!.MatchLabels["backup"].ShouldBe("true");
        backup.Spec.LabelSelector.MatchExpressions.Single().OperatorProperty.ShouldBe("In");

        // Later changes to the builder or to the returned resource do not reach the request.
        builder.IncludeNamespaces("other");
        backup.Spec.IncludedNamespaces!.Add("mutated");
        request.IncludedNamespaces.ShouldBe(["apps-*", "web"]);
        request.ToBackup().Spec.IncludedNamespaces.ShouldBe(["apps-*", "web"]);
    }

    [Fact]
    public void Expiration_is_start_plus_ttl_or_the_default()
    {
        var start = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        new BackupBuilder("a").WithTtl(TimeSpan.FromHours(1)).Build().GetExpiration(start).ShouldBe(start.AddHours(1));
        new BackupBuilder("a").Build().GetExpiration(start).ShouldBe(start.AddHours(720));
    }

    public static TheoryData<Func<BackupBuilder, BackupBuilder>, string> Invalid => new()
    {
        { b => b.IncludeResources("pods").IncludeClusterScopedResources("persistentvolumes"), BackupValidation.MixedFiltersMessage },
        { b => b.IncludeClusterResources(true).ExcludeNamespaceScopedResources("secrets"), BackupValidation.MixedFiltersMessage },
        { b => b.IncludeResources("*", "pods"), "Invalid included/excluded resource lists: includes list must either contain '*' only, or a non-empty list of items" },
        { b => b.ExcludeResources("*"), "Invalid included/excluded resource lists: excludes list cannot contain '*'" },
        { b => b.IncludeResources("pods").ExcludeResources("pods"), "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: pods" },
        { b => b.IncludeClusterScopedResources("pv").ExcludeClusterScopedResources("*"), "Invalid cluster-scoped included/excluded resource lists: when exclude is '*', include cannot have value" },
        { b => b.ExcludeNamespaceScopedResources("*", "pods"), "Invalid namespace-scoped included/excluded resource lists: excludes list must either contain '*' only, or a non-empty list of items" },
        { b => b.IncludeNamespaces("a").ExcludeNamespaces("a"), "Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: a" },
        { b => b.ExcludeNamespaces("*"), "Invalid included/excluded namespace lists: excludes list cannot contain '*'" },
        { b => b.IncludeNamespaces("app-**"), "Invalid included/excluded namespace lists: wildcard pattern contains consecutive asterisks (only single * allowed)" },
        { b => b.IncludeNamespaces("Apps"), "Invalid included/excluded namespace lists: invalid namespace \"Apps\": a lowercase RFC 1123 label" },
        { b => b.WithLabelSelector("a=b").WithOrLabelSelectors("c=d"), BackupValidation.BothSelectorsMessage },
        { b => b.WithLabelSelector("a in (b"), "labelSelector: invalid label selector \"a in (b\" at position 7" },
        { b => b.WithOrLabelSelectors("ok=1", "x>1"), "orLabelSelectors[1]: \"x>1\": the operator GreaterThan cannot be expressed as a LabelSelector object" },
        { b => b.WithTtl(TimeSpan.FromHours(-1)), "ttl must not be negative: \"-1h0m0s\"" },
        { b => b.WithOrderedResources("pods"), "orderedResources[pods]: the list is empty" },
        { b => b.AddHook(new V1BackupResourceHookSpec { Name = "h", PreHooks = [new V1BackupResourceHook { Exec = new V1ExecHook { Command = [] } }] }), "hooks.resources[0].pre[0].exec.command: at least one element is required" },
        { b => b.AddHook(new V1BackupResourceHookSpec { Name = "h", PostHooks = [new V1BackupResourceHook { Exec = new V1ExecHook { Command = ["x"], OnError = "Ignore" } }] }), "hooks.resources[0].post[0].exec.onError: \"Ignore\" is not one of Continue, Fail" },
        { b => b.AddHook(new V1BackupResourceHookSpec { PreHooks = [] }), "hooks.resources[0]: name is required" },
        { b => b.InNamespace("Velero"), "invalid namespace \"Velero\": a lowercase RFC 1123 label" },
        { b => b.WithLabel("bad key", "v"), "invalid label key \"bad key\": name part must consist of alphanumeric characters" },
        { b => b.WithLabel("k", "bad value"), "invalid value of label \"k\": a valid label must be an empty string" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Every_validation_message(Func<BackupBuilder, BackupBuilder> configure, string message)
    {
        var e = Should.Throw<VeleroValidationException>(() => configure(new BackupBuilder("b")).Build());
        e.Errors.ShouldContain(x => x.StartsWith(message, StringComparison.Ordinal), $"got: {string.Join(" | ", e.Errors)}");
        e.Message.ShouldContain(message);
        e.ShouldBeAssignableTo<ArgumentException>();
    }

    [Theory]
    [InlineData("", "backup name is required")]
    [InlineData("Nightly", "invalid backup name \"Nightly\": a lowercase RFC 1123 subdomain")]
    [InlineData("a_b", "invalid backup name \"a_b\": a lowercase RFC 1123 subdomain")]
    public void Bad_names(string name, string message) =>
        Should.Throw<VeleroValidationException>(() => new BackupBuilder(name).Build()).Errors.ShouldContain(x => x.StartsWith(message, StringComparison.Ordinal));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Should.Throw<VeleroValidationException>(() => new BackupBuilder("Bad_Name")
            .IncludeResources("pods").IncludeNamespaceScopedResources("secrets")
            .WithLabelSelector("a=b").WithOrLabelSelectors("c=d")
            .WithTtl(TimeSpan.FromMinutes(-5))
            .Build());
        e.Errors.Count.ShouldBe(4);
        e.Message.ShouldStartWith("backup \"Bad_Name\" is not valid (4 problems):");
    }

    [Fact]
    public void Valid_variants_build()
    {
        new BackupBuilder("a").Build().ToBackup().Spec.IncludedNamespaces.ShouldBeNull();
        new BackupBuilder("a").IncludeNamespaces("*").ExcludeNamespaces("kube-*").Build();
        new BackupBuilder("a").ExcludeClusterScopedResources("*").ExcludeNamespaceScopedResources("*").Build();
        new BackupBuilder("a").WithOrLabelSelectors("a=b", "c in (d)").Build().OrLabelSelectors.Count.ShouldBe(2);
        new BackupBuilder("a").IncludeClusterResources(false).Build().UsesOldResourceFilters.ShouldBeTrue();
        new BackupBuilder("a").IncludeNamespaceScopedResources("pods").Build().UsesOldResourceFilters.ShouldBeFalse();
        new BackupBuilder("a").WithLabelSelector("").Build().LabelSelector!.IsEverything.ShouldBeTrue();
    }

    [Fact]
    public void From_an_existing_resource_validates_it_as_the_server_would()
    {
        var backup = new V1Backup { Metadata = new V1ObjectMeta { Name = "b", NamespaceProperty = "velero" } };
        backup.Spec.IncludedNamespaces = ["a"];
        backup.Spec.ExcludedNamespaces = ["a"];
        backup.Spec.LabelSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "k", OperatorProperty = "In" }] };
        backup.Status = new V1BackupStatus { Phase = BackupPhase.New };
        BackupBuilder.From(backup).Validate().ShouldBe(
        [
            "Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: a",
            "labelSelector: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
        ]);
        backup.Spec.ExcludedNamespaces = null;
        backup.Spec.LabelSelector = null;
        BackupBuilder.From(backup).Build().ToBackup().Status.ShouldBeNull();
    }

    [Fact]
    public void Unknown_fields_of_an_existing_resource_survive()
    {
        var backup = VeleroJson.Deserialize<V1Backup>("""
            {"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"b","namespace":"velero"},
             "spec":{"includedNamespaces":["a"],"futureField":{"x":1}}}
            """)!;
        var round = BackupBuilder.From(backup).Build().ToBackup();
        VeleroJson.Serialize(round).ShouldContain("\"futureField\":{\"x\":1}");
    }
}

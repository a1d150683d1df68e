using System.Text.Json;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class DiscoverySnapshotTests
{
    [Theory]
    [InlineData("pods", "pods")]
    [InlineData("po", "pods")]
    [InlineData("pod", "pods")]
    [InlineData("Pod", "pods")]
    [InlineData("Secrets", "secrets")]
    [InlineData("Deployment", "deployments.apps")]
    [InlineData("deploy", "deployments.apps")]
    [InlineData("deployments.apps", "deployments.apps")]
    [InlineData("deploy.apps", "deployments.apps")]
    [InlineData("deployment.apps", "deployments.apps")]
    [InlineData("svc", "services")]
    [InlineData("pv", "persistentvolumes")]
    [InlineData("pvc", "persistentvolumeclaims")]
    [InlineData("crds", "customresourcedefinitions.apiextensions.k8s.io")]
    [InlineData("crd", "customresourcedefinitions.apiextensions.k8s.io")]
    [InlineData("customresourcedefinitions.apiextensions.k8s.io", "customresourcedefinitions.apiextensions.k8s.io")]
    [InlineData("ns", "namespaces")]
    [InlineData("events", "events")] // the core group comes first in discovery order
    [InlineData("events.events.k8s.io", "events.events.k8s.io")]
    [InlineData("ev.events", "events.events.k8s.io")] // a group prefix also qualifies short names
    [InlineData("clusterroles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io")]
    public void Resolves_names_as_velero(string name, string expected)
    {
        TestDiscovery.Recorded.TryResolve(name, out var r).ShouldBeTrue();
        r.GroupResource.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nosuchthing")]
    [InlineData("pods.apps")]
    [InlineData("deployments.app")]
    public void Unknown_names_do_not_resolve(string name) =>
        TestDiscovery.Recorded.TryResolve(name, out _).ShouldBeFalse();

    [Fact]
    public void Unresolvable_filter_entries_are_kept_verbatim()
    {
        TestDiscovery.Recorded.ResolveFilterEntry("nosuchthing").ShouldBe("nosuchthing");
        TestDiscovery.Recorded.ResolveFilterEntry("*.apps").ShouldBe("*.apps");
        TestDiscovery.Recorded.ResolveFilterEntry("*").ShouldBe("*");
        TestDiscovery.Recorded.ResolveFilterEntry("deploy").ShouldBe("deployments.apps");
    }

    [Fact]
    public void Reads_scope_verbs_and_preferred_versions_of_the_recorded_documents()
    {
        var d = TestDiscovery.Recorded;
        d.TryResolve("deployments.apps", out var deploy).ShouldBeTrue();
        deploy.Version.ShouldBe("v1");
        deploy.ApiVersion.ShouldBe("apps/v1");
        deploy.Kind.ShouldBe("Deployment");
        deploy.Namespaced.ShouldBeTrue();
        deploy.IsBackupCandidate.ShouldBeTrue();
        deploy.Categories.ShouldContain("all");

        d.TryResolve("namespaces", out var ns).ShouldBeTrue();
        ns.Namespaced.ShouldBeFalse();
        ns.ApiVersion.ShouldBe("v1");

        d.TryResolve("bindings", out var binding).ShouldBeTrue();
        binding.IsBackupCandidate.ShouldBeFalse(); // create only

        d.Resources.ShouldNotContain(r => r.Resource.Contains('/'));
        d.Resources[0].Group.ShouldBe(string.Empty); // core first
    }

    [Fact]
    public void Legacy_resource_lists_give_the_same_answers_as_aggregated_discovery()
    {
        using var apps = JsonDocument.Parse(File.ReadAllText(TestData.Path("discovery", "kubernetes-api-discovery", "apis__apps__v1.json")));
        var legacy = DiscoverySnapshot.FromResourceLists([apps.RootElement]);
        legacy.TryResolve("deploy", out var a).ShouldBeTrue();
        TestDiscovery.Recorded.TryResolve("deploy", out var b).ShouldBeTrue();
        a.GroupResource.ShouldBe(b.GroupResource);
        a.Kind.ShouldBe(b.Kind);
        a.Namespaced.ShouldBe(b.Namespaced);
        a.Verbs.ShouldBe(b.Verbs, ignoreOrder: true);
        a.ShortNames.ShouldBe(b.ShortNames);
    }

    [Theory]
    [InlineData("pods", "", "pods")]
    [InlineData("deployments.apps", "apps", "deployments")]
    [InlineData("volumesnapshotlocations.velero.io", "velero.io", "volumesnapshotlocations")]
    public void GroupResource_splits_at_the_first_dot(string text, string group, string resource)
    {
        var gr = GroupResource.Parse(text);
        gr.Group.ShouldBe(group);
        gr.Resource.ShouldBe(resource);
        gr.ToString().ShouldBe(text);
    }
}

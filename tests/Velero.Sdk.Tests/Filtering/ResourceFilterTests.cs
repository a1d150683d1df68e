using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class ResourceFilterTests
{
    private static readonly DiscoverySnapshot D = TestDiscovery.Recorded;

    private static string[]? L(string? csv) => csv?.Split(',');

    // New (scoped) model, namespaced types: Velero's TestNamespaceScopedShouldInclude.
    [Theory]
    [InlineData(null, null, "pods", true)]
    [InlineData("*", null, "pods", true)]
    [InlineData("foo,bar,pods", null, "pods", true)]
    [InlineData("foo,baz", null, "pods", false)]
    [InlineData("*", "pods", "pods", false)]
    [InlineData("*", "foo", "pods", true)]
    [InlineData("pods", "pods", "pods", false)]
    [InlineData("*s", null, "pods", true)]
    [InlineData("*.bar", null, "pods", false)]
    [InlineData(null, "*", "pods", false)]
    [InlineData("*", "*s", "pods", false)]
    [InlineData(null, "*.bar", "pods", true)]
    [InlineData("po", null, "pods", true)] // short names resolve
    [InlineData("persistentvolumes", null, "pods", true)] // wrong-scope entry dropped: includes empty again
    [InlineData(null, null, "nosuchresource", false)] // discovery cannot resolve it
    public void Scoped_namespaced(string? includes, string? excludes, string item, bool expected) =>
        ResourceFilter.CreateScoped(D, NamespaceFilter.Everything, L(includes), L(excludes), null, null).ShouldInclude(item).ShouldBe(expected);

    // New (scoped) model, cluster-scoped types: Velero's TestClusterScopedShouldInclude.
    [Theory]
    [InlineData(null, null, "default", "persistentvolumes", false)]
    [InlineData("*", null, null, "persistentvolumes", true)]
    [InlineData("namespaces,bar,baz", null, null, "namespaces", true)]
    [InlineData("foo,baz", null, "default", "persistentvolumes", false)]
    [InlineData("*", "namespaces", null, "namespaces", false)]
    [InlineData("*", "foo", null, "namespaces", true)]
    [InlineData("namespaces", "namespaces", null, "namespaces", false)]
    [InlineData("*spaces", null, null, "namespaces", true)]
    [InlineData("*.bar", null, "default", "persistentvolumes", false)]
    [InlineData(null, "*", null, "namespaces", false)]
    [InlineData("*", "*spaces", null, "namespaces", false)]
    [InlineData(null, "*spaces", null, "namespaces", false)]
    [InlineData("foo,baz", null, null, "namespaces", true)] // namespaces are included unless excluded
    [InlineData(null, null, "*", "persistentvolumes", true)] // full-cluster backup
    [InlineData(null, "persistentvolumes", "*", "persistentvolumes", false)]
    [InlineData(null, null, null, "storageclasses.storage.k8s.io", true)]
    [InlineData(null, null, "default", "storageclasses.storage.k8s.io", false)]
    [InlineData("deployments.apps", null, null, "persistentvolumes", true)] // wrong-scope entry dropped
    public void Scoped_cluster(string? includes, string? excludes, string? nsIncludes, string item, bool expected)
    {
        var ns = NamespaceFilter.Create(L(nsIncludes), null);
        ResourceFilter.CreateScoped(D, ns, null, null, L(includes), L(excludes)).ShouldInclude(item).ShouldBe(expected);
    }

    [Fact]
    public void Scoped_full_cluster_rule_needs_every_namespaced_type_too()
    {
        ResourceFilter.CreateScoped(D, NamespaceFilter.Everything, ["pods"], null, null, null)
            .ShouldInclude("persistentvolumes").ShouldBeFalse();
        ResourceFilter.CreateScoped(D, NamespaceFilter.Everything, null, ["secrets"], null, null)
            .ShouldInclude("persistentvolumes").ShouldBeFalse();
    }

    [Fact]
    public void Automatic_excludes_exclude_but_do_not_break_the_full_cluster_rule()
    {
        string[] auto = ["volumesnapshots.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io"];
        var filter = ResourceFilter.CreateScoped(D, NamespaceFilter.Everything, null, null, null, null, auto);
        filter.ShouldInclude("persistentvolumes").ShouldBeTrue();
        filter.ShouldInclude("clusterroles.rbac.authorization.k8s.io").ShouldBeTrue();
        filter.ShouldInclude("volumesnapshots.snapshot.storage.k8s.io").ShouldBeFalse();
        filter.ShouldInclude("volumesnapshotcontents.snapshot.storage.k8s.io").ShouldBeFalse();
        filter.ShouldExclude("volumesnapshotcontents.snapshot.storage.k8s.io").ShouldBeTrue();
    }

    [Fact]
    public void A_namespace_pattern_matching_nothing_does_not_turn_on_the_full_cluster_rule()
    {
        var ns = NamespaceFilter.Create(["nothing-*"], null, ["default"]);
        ResourceFilter.CreateScoped(D, ns, null, null, null, null).ShouldInclude("persistentvolumes").ShouldBeFalse();
        ResourceFilter.CreateOld(D, ns, null, null, null).ShouldInclude("persistentvolumes").ShouldBeFalse();
    }

    // Old model (includedResources / excludedResources / includeClusterResources).
    [Theory]
    [InlineData(null, null, null, null, "pods", true)]
    [InlineData(null, null, null, null, "persistentvolumes", true)] // whole cluster, auto: cluster types collected
    [InlineData(null, null, null, "default", "persistentvolumes", false)] // namespace subset, auto: not collected
    [InlineData(null, null, null, "default", "namespaces", true)] // ...but namespaces are
    [InlineData(null, null, true, "default", "persistentvolumes", true)]
    [InlineData(null, null, false, null, "persistentvolumes", false)]
    [InlineData(null, null, false, null, "namespaces", false)]
    [InlineData("pods", null, null, null, "deployments.apps", false)]
    [InlineData("po,deploy", null, null, null, "deployments.apps", true)]
    [InlineData("*", "secrets", null, null, "secrets", false)]
    [InlineData(null, "*", null, null, "pods", true)] // a '*' exclude is ignored by the engine
    [InlineData("*.apps", null, null, null, "deployments.apps", true)]
    [InlineData("*.apps", null, null, null, "pods", false)]
    [InlineData("nosuchresource", null, null, null, "pods", false)] // unresolvable includes include nothing
    public void Old_model(string? includes, string? excludes, bool? includeCluster, string? nsIncludes, string item, bool expected)
    {
        var ns = NamespaceFilter.Create(L(nsIncludes), null);
        ResourceFilter.CreateOld(D, ns, L(includes), L(excludes), includeCluster).ShouldInclude(item).ShouldBe(expected);
    }

    // "Explicitly excluded": the rule for cluster-scoped items that actions pull in (Velero's TestShouldExcluded).
    [Theory]
    [InlineData(null, null, null, "persistentvolumes", false)]
    [InlineData(null, "persistentvolumes", null, "persistentvolumes", true)]
    [InlineData(null, null, false, "persistentvolumes", true)]
    [InlineData(null, null, true, "persistentvolumes", false)]
    [InlineData("pods", null, null, "persistentvolumes", true)] // auto and an include list that does not name it
    [InlineData("pods,pv", null, null, "persistentvolumes", false)]
    [InlineData("pods", null, null, "secrets", false)] // namespaced types are not excluded by the include list here
    [InlineData(null, null, null, "nosuchresource", true)]
    public void Old_model_explicit_exclusion(string? includes, string? excludes, bool? includeCluster, string item, bool expected) =>
        ResourceFilter.CreateOld(D, NamespaceFilter.Everything, L(includes), L(excludes), includeCluster).ShouldExclude(item).ShouldBe(expected);

    [Theory]
    [InlineData(null, null, "persistentvolumes", false)]
    [InlineData("pods", null, "persistentvolumes", false)]
    [InlineData("persistentvolumes", null, "persistentvolumes", true)]
    [InlineData(null, "persistentvolumes", "persistentvolumes", false)] // wrong-scope entry dropped
    [InlineData("secrets", "pods", "pods", true)]
    [InlineData(null, null, "nosuchresource", true)]
    public void Scoped_explicit_exclusion(string? clusterExcludes, string? nsExcludes, string item, bool expected) =>
        ResourceFilter.CreateScoped(D, NamespaceFilter.Everything, null, L(nsExcludes), null, L(clusterExcludes)).ShouldExclude(item).ShouldBe(expected);

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("pods", null, null, true)]
    [InlineData(null, "pods", null, true)]
    [InlineData(null, null, false, true)]
    [InlineData(null, null, true, true)]
    public void Model_choice(string? includes, string? excludes, bool? includeCluster, bool old) =>
        ResourceFilter.UsesOldModel(L(includes), L(excludes), includeCluster).ShouldBe(old);

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "kube-system", false)]
    [InlineData("default", null, false)]
    [InlineData("*", null, true)]
    public void Restore_cluster_scoped_rule_in_auto_mode(string? includes, string? excludes, bool expected)
    {
        var ns = NamespaceFilter.Create(L(includes), L(excludes));
        ClusterScopedRule.ShouldRestoreClusterScoped(null, ns).ShouldBe(expected);
        ClusterScopedRule.ShouldRestoreClusterScoped(true, ns).ShouldBeTrue();
        ClusterScopedRule.ShouldRestoreClusterScoped(false, ns).ShouldBeFalse();
    }
}

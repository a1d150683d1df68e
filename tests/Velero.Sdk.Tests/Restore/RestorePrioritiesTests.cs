using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public class RestorePrioritiesTests
{
    [Fact]
    public void Defaults_are_velero_s()
    {
        RestorePriorities.Default.High[0].ShouldBe("customresourcedefinitions");
        RestorePriorities.Default.High[1].ShouldBe("namespaces");
        RestorePriorities.Default.High.ShouldContain("volumesnapshotclass.snapshot.storage.k8s.io");
        RestorePriorities.Default.High[^1].ShouldBe("services");
        RestorePriorities.Default.Low[0].ShouldBe("clusterbootstraps.run.tanzu.vmware.com");
        RestorePriorities.Default.Low.Count.ShouldBe(5);
    }

    [Fact]
    public void A_value_without_a_dash_replaces_only_the_high_list()
    {
        var p = RestorePriorities.Parse("namespaces, configmaps,pods");
        p.High.ShouldBe(["namespaces", "configmaps", "pods"]);
        p.Low.ShouldBe(RestorePriorities.Default.Low);
    }

    [Fact]
    public void A_value_starting_with_a_dash_replaces_only_the_low_list()
    {
        var p = RestorePriorities.Parse("-,widgets.example.com");
        p.High.ShouldBe(RestorePriorities.Default.High);
        p.Low.ShouldBe(["widgets.example.com"]);
    }

    [Fact]
    public void Both_lists_and_the_round_trip_text()
    {
        var p = RestorePriorities.Parse("namespaces,pods,-,services");
        p.High.ShouldBe(["namespaces", "pods"]);
        p.Low.ShouldBe(["services"]);
        p.ToString().ShouldBe("namespaces,pods,-,services");
    }

    [Fact]
    public void More_than_one_dash_is_an_error()
    {
        Should.Throw<FormatException>(() => RestorePriorities.Parse("a,-,b,-,c")).Message.ShouldContain("at most one \"-\"");
    }
}

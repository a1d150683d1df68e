using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

public class LabelValueTests
{
    [Theory]
    [InlineData(
        "the-really-long-kube-service-name-that-is-much-greater-than-63-characters",
        "the-really-long-kube-service-name-that-is-much-greater-th8a11b3")]
    [InlineData( // Velero's own unit test (pkg/label/label_test.go)
        "this_is_a_very_long_label_value_that_will_be_rejected_by_Kubernetes",
        "this_is_a_very_long_label_value_that_will_be_rejected_by_8d0722")]
    [InlineData("short label value", "short label value")]
    [InlineData("nightly-apps", "nightly-apps")]
    [InlineData("", "")]
    public void GetValidName_matches_velero(string name, string expected)
        => LabelValue.GetValidName(name).ShouldBe(expected);

    [Fact]
    public void Names_of_63_characters_are_unchanged()
    {
        var name = new string('a', 63);
        LabelValue.GetValidName(name).ShouldBeSameAs(name);
    }

    [Fact]
    public void Names_of_64_characters_are_shortened_to_63()
    {
        var name = new string('a', 64);

        var valid = LabelValue.GetValidName(name);

        valid.ShouldBe(new string('a', 57) + "ffe054");
        valid.Length.ShouldBe(LabelValue.MaxLength);
    }

    [Fact]
    public void Different_long_names_with_the_same_prefix_get_different_values()
    {
        var prefix = new string('b', 60);

        LabelValue.GetValidName(prefix + "-one").ShouldNotBe(LabelValue.GetValidName(prefix + "-two"));
    }

    [Fact]
    public void Null_is_rejected()
        => Should.Throw<ArgumentNullException>(() => LabelValue.GetValidName(null!));
}

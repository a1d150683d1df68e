using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class IncludesExcludesTests
{
    // Cases of Velero's includes_excludes tests (the behaviour).
    [Theory]
    [InlineData(null, null, "foo", true)]
    [InlineData("*", null, "foo", true)]
    [InlineData("foo,bar,baz", null, "foo", true)]
    [InlineData("foo,baz", null, "bar", false)]
    [InlineData("*", "foo", "foo", false)]
    [InlineData("*", "foo", "bar", true)]
    [InlineData("foo", "foo", "foo", false)]
    [InlineData("*.bar", null, "foo.bar", true)]
    [InlineData("*.bar", null, "bar.foo", false)]
    [InlineData("*", "*.bar", "foo.bar", false)]
    [InlineData("*", "*.bar", "bar.foo", true)]
    [InlineData("*s", null, "pods", true)]
    [InlineData("*.apps", null, "deployments.apps", true)]
    [InlineData("ns-?", null, "ns-1", true)]
    [InlineData("ns-?", null, "ns-10", false)]
    [InlineData("ns-[ab]", null, "ns-b", true)]
    [InlineData("ns-[ab]", null, "ns-c", false)]
    [InlineData("ns-[a-c]", null, "ns-c", true)]
    [InlineData("ns-[!a-c]", null, "ns-c", false)]
    [InlineData("ns-[!a-c]", null, "ns-d", true)]
    [InlineData("a*", null, "a.b.c", true)] // no separators: '*' also matches dots
    [InlineData("a+b", null, "a+b", true)] // '.' and '+' are literal
    [InlineData("a.b", null, "axb", false)]
    public void ShouldInclude_matches_as_velero(string? includes, string? excludes, string item, bool expected)
    {
        var ie = new IncludesExcludes(includes?.Split(','), excludes?.Split(','));
        ie.ShouldInclude(item).ShouldBe(expected);
    }

    [Theory]
    [InlineData("secrets", true)]
    [InlineData("pods", true)]
    [InlineData("services", false)]
    public void Brace_alternatives_work_in_resource_lists(string item, bool expected) =>
        new IncludesExcludes(["{pods,secrets}"], null).ShouldInclude(item).ShouldBe(expected);

    [Fact]
    public void An_invalid_glob_ends_the_scan_with_no_match()
    {
        // Entries are tried in sorted order: "[" sorts before "foo", so "foo" is never reached.
        new IncludesExcludes(["foo", "["], null).ShouldInclude("foo").ShouldBeFalse();
        new IncludesExcludes(["foo", "z["], null).ShouldInclude("foo").ShouldBeTrue();
        new IncludesExcludes(null, ["[", "foo"]).ShouldInclude("foo").ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, null, "*", "<none>")]
    [InlineData("foo,bar", "baz,xyz", "bar, foo", "baz, xyz")]
    public void Strings_are_sorted_and_joined(string? includes, string? excludes, string wantIncludes, string wantExcludes)
    {
        var ie = new IncludesExcludes(includes?.Split(','), excludes?.Split(','));
        ie.IncludesString().ShouldBe(wantIncludes);
        ie.ExcludesString().ShouldBe(wantExcludes);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("*", null, true)]
    [InlineData("*", "a", false)]
    [InlineData("a", null, false)]
    [InlineData("*,a", null, false)]
    public void IncludeEverything(string? includes, string? excludes, bool expected) =>
        new IncludesExcludes(includes?.Split(','), excludes?.Split(',')).IncludeEverything.ShouldBe(expected);

    [Fact]
    public void Duplicates_collapse_and_lists_are_sorted()
    {
        var ie = new IncludesExcludes(["b", "a", "b"], ["z", "y"]);
        ie.Includes.ShouldBe(["a", "b"]);
        ie.Excludes.ShouldBe(["y", "z"]);
    }
}

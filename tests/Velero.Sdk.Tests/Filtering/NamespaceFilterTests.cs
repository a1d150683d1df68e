using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class NamespaceFilterTests
{
    private static readonly string[] Active = ["default", "kube-system", "kube-public", "app-1", "app-2", "app-10", "test", "prod-a", "prod-b"];

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("*", null, false)]
    [InlineData("*", "kube-*", false)] // bare '*' in includes: no expansion, globs still match
    [InlineData("app-*", null, true)]
    [InlineData("default", null, false)]
    [InlineData("default", "kube-*", true)] // a wildcard in the excludes is enough
    [InlineData("ns-?", null, true)]
    [InlineData("ns-[ab]", null, true)]
    [InlineData("a.b+c", null, false)] // '.' and '+' are literal
    public void Expansion_condition(string? includes, string? excludes, bool expands)
    {
        NamespaceFilter.ShouldExpandWildcards(includes?.Split(',') ?? [], excludes?.Split(',') ?? []).ShouldBe(expands);
        NamespaceFilter.Create(includes?.Split(','), excludes?.Split(','), Active).IsWildcardExpanded.ShouldBe(expands);
    }

    [Theory]
    [InlineData(null, null, "default,kube-system,kube-public,app-1,app-2,app-10,test,prod-a,prod-b")]
    [InlineData("*", "kube-*", "default,app-1,app-2,app-10,test,prod-a,prod-b")]
    [InlineData("app-*", null, "app-1,app-2,app-10")]
    [InlineData("app-?", null, "app-1,app-2")]
    [InlineData("prod-[ab]", null, "prod-a,prod-b")]
    [InlineData("app-*,test", "app-1*", "app-2,test")]
    [InlineData("default,missing", null, "default")] // literal names stay as they are
    [InlineData("nothing-*", null, "")] // matched nothing: selects nothing
    [InlineData("*", null, "default,kube-system,kube-public,app-1,app-2,app-10,test,prod-a,prod-b")]
    public void Resolves_against_existing_namespaces(string? includes, string? excludes, string expected)
    {
        var filter = NamespaceFilter.Create(includes?.Split(','), excludes?.Split(','), Active);
        string.Join(",", filter.Resolve(Active)).ShouldBe(expected);
    }

    [Fact]
    public void Literal_includes_are_kept_even_when_missing()
    {
        var filter = NamespaceFilter.Create(["missing", "app-*"], null, Active);
        filter.Lists.Includes.ShouldBe(["app-1", "app-10", "app-2", "missing"]);
        filter.ShouldInclude("missing").ShouldBeTrue();
    }

    [Fact]
    public void A_pattern_that_matches_nothing_selects_nothing_and_is_not_everything()
    {
        var filter = NamespaceFilter.Create(["nothing-*"], null, Active);
        filter.IsWildcardExpanded.ShouldBeTrue();
        filter.SelectsNothing.ShouldBeTrue();
        filter.IncludeEverything.ShouldBeFalse();
        filter.ShouldInclude("default").ShouldBeFalse();
    }

    [Fact]
    public void Without_existing_namespaces_every_entry_is_a_glob()
    {
        var filter = NamespaceFilter.Create(["app-*"], ["app-1?"], existingNamespaces: null);
        filter.IsWildcardExpanded.ShouldBeFalse();
        filter.ShouldInclude("app-1").ShouldBeTrue();
        filter.ShouldInclude("app-10").ShouldBeFalse();
        filter.ShouldInclude("test").ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("*", null, true)]
    [InlineData("*", "kube-system", false)]
    [InlineData("default", null, false)]
    public void IncludeEverything(string? includes, string? excludes, bool expected) =>
        NamespaceFilter.Create(includes?.Split(','), excludes?.Split(','), Active).IncludeEverything.ShouldBe(expected);

    [Fact]
    public void Automatic_excludes_exclude_without_breaking_include_everything()
    {
        var filter = NamespaceFilter.Create(["*"], null, Active, automaticExcludes: ["kube-public"]);
        filter.ShouldInclude("kube-public").ShouldBeFalse();
        filter.ShouldInclude("default").ShouldBeTrue();
        filter.IncludeEverything.ShouldBeTrue();
        NamespaceFilter.Create(["*"], ["kube-public"], Active).IncludeEverything.ShouldBeFalse();
    }

    [Theory]
    [InlineData("app-**", "wildcard pattern contains consecutive asterisks (only single * allowed)")]
    [InlineData("app-[", "wildcard pattern contains unclosed bracket '['")]
    [InlineData("{a,b}*", "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,")]
    public void Bad_patterns_are_refused_with_velero_reason(string pattern, string reason)
    {
        var e = Should.Throw<FormatException>(() => NamespaceFilter.Create([pattern], null, Active));
        e.Message.ShouldBe($"invalid namespace pattern \"{pattern}\": {reason}");
    }
}

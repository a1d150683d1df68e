using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class FilterValidationTests
{
    public static TheoryData<string[]?, string[]?, string[]> GenericCases => new()
    {
        { [], null, [] },
        { ["*"], null, [] },
        { ["*", "foo"], null, ["includes list must either contain '*' only, or a non-empty list of items"] },
        { ["foo"], ["*"], ["excludes list cannot contain '*'"] },
        { ["foo", "bar"], ["bar"], ["excludes list cannot contain an item in the includes list: bar"] },
        { ["*", "a", "b"], ["*", "b", "a"], ["includes list must either contain '*' only, or a non-empty list of items", "excludes list cannot contain '*'", "excludes list cannot contain an item in the includes list: *", "excludes list cannot contain an item in the includes list: a", "excludes list cannot contain an item in the includes list: b"] },
    };

    [Theory]
    [MemberData(nameof(GenericCases))]
    public void Generic_lists(string[]? includes, string[]? excludes, string[] expected) =>
        FilterValidation.ValidateIncludesExcludes(includes, excludes).ShouldBe(expected);

    public static TheoryData<string[]?, string[]?, string[]> ScopedCases => new()
    {
        { [], null, [] },
        { ["*"], null, [] },
        { null, ["*"], [] },
        { ["*", "foo"], null, ["includes list must either contain '*' only, or a non-empty list of items"] },
        { null, ["*", "foo"], ["excludes list must either contain '*' only, or a non-empty list of items"] },
        { ["foo"], ["*"], ["when exclude is '*', include cannot have value"] },
        { ["foo", "bar"], ["bar"], ["excludes list cannot contain an item in the includes list: bar"] },
    };

    [Theory]
    [MemberData(nameof(ScopedCases))]
    public void Scoped_lists(string[]? includes, string[]? excludes, string[] expected) =>
        FilterValidation.ValidateScopedIncludesExcludes(includes, excludes).ShouldBe(expected);

    [Theory]
    [InlineData("", null)]
    [InlineData("default", null)]
    [InlineData("app-*", null)]
    [InlineData("ns-?", null)]
    [InlineData("ns-[abc]", null)]
    [InlineData("ns-[a-c]", null)]
    [InlineData("a|b", "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,")]
    [InlineData("{a,b}", "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,")]
    [InlineData("ns-[!a]", "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,")]
    [InlineData("app-**", "wildcard pattern contains consecutive asterisks (only single * allowed)")]
    [InlineData("ns-[", "wildcard pattern contains unclosed bracket '['")]
    [InlineData("ns-[]", "wildcard pattern contains empty bracket pattern '[]'")]
    [InlineData("ns-]", "wildcard pattern contains unmatched closing bracket ']'")]
    [InlineData("Default", "invalid namespace \"Default\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("a.b", "invalid namespace \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    public void Namespace_patterns(string pattern, string? expected)
    {
        var errors = FilterValidation.ValidateNamespacePattern(pattern);
        if (expected is null)
        {
            errors.ShouldBeEmpty();
        }
        else
        {
            errors.ShouldBe([expected]);
        }
    }

    [Fact]
    public void Namespace_lists_report_every_problem()
    {
        var tooLong = new string('a', 64);
        FilterValidation.ValidateNamespaceIncludesExcludes(["*", "Bad", tooLong], ["*"]).ShouldBe(
        [
            "includes list must either contain '*' only, or a non-empty list of items",
            "excludes list cannot contain '*'",
            "excludes list cannot contain an item in the includes list: *",
            "invalid namespace \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            $"invalid namespace \"{tooLong}\": must be no more than 63 characters",
        ]);
    }
}

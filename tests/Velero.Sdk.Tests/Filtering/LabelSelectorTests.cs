using k8s.Models;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class LabelSelectorTests
{
    // Good strings of Kubernetes' selector tests: they parse, and print back without the blanks.
    [Theory]
    [InlineData("x=a,y=b,z=c")]
    [InlineData("")]
    [InlineData("x!=a,y=b")]
    [InlineData("x=")]
    [InlineData("x= ")]
    [InlineData("x=,z= ")]
    [InlineData("x= ,z= ")]
    [InlineData("!x")]
    [InlineData("x>1")]
    [InlineData("x>1,z<5")]
    [InlineData("x==a")]
    public void Good_strings_parse_and_print_back(string text)
    {
        var selector = LabelSelector.Parse(text);
        selector.ToString().ShouldBe(text.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("x in (a,b,c)")]
    [InlineData("x in (a,b),y in (c,d)")]
    [InlineData("x notin (a,b,c)")]
    [InlineData("x in (a,b),y notin (a,b)")]
    public void Set_based_strings_print_back_unchanged(string text) =>
        LabelSelector.Parse(text).ToString().ShouldBe(text);

    [Fact]
    public void Requirements_are_sorted_by_key_so_parsing_is_deterministic()
    {
        LabelSelector.Parse("x=a,a=x").ToString().ShouldBe("a=x,x=a");
        LabelSelector.Parse("a=x,x=a").ToString().ShouldBe("a=x,x=a");
    }

    // Bad strings of Kubernetes' selector tests, plus the other rules of the grammar.
    [Theory]
    [InlineData("x=a||y=b", 2, "a||y")]
    [InlineData("x==a==b", 4, "==")]
    [InlineData("!x=a", 2, "=")]
    [InlineData("x<a", 2, "a")]
    [InlineData("x in a", 5, "a")]
    [InlineData("x in (a", 7, "")]
    [InlineData("x in (a,b", 9, "")]
    [InlineData("x=(a,b)", 2, "(")]
    [InlineData("x in in", 5, "in")]
    [InlineData(". in (a)", 0, ".")]
    [InlineData("x,", 2, "")]
    [InlineData(",x", 0, ",")]
    [InlineData("x=a b", 4, "b")]
    [InlineData("-x=a", 0, "-x")]
    [InlineData("x=-a", 2, "-a")]
    public void Bad_strings_name_position_and_token(string text, int position, string token)
    {
        var e = Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse(text));
        e.Selector.ShouldBe(text);
        if (position >= 0)
        {
            e.Position.ShouldBe(position);
            e.Token.ShouldBe(token);
        }

        e.Message.ShouldContain($"\"{text}\"");
        e.Message.ShouldContain("position");
    }

    [Fact]
    public void Messages_are_the_api_servers()
    {
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("x in a")).Reason
            .ShouldBe("unable to parse requirement: found 'a' expected: '('");
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("x==a==b")).Reason
            .ShouldBe("found '==', expected: ',' or 'end of string'");
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("x<a")).Reason
            .ShouldContain("for 'Gt', 'Lt' operators, the value must be an integer");
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("x=a b c")).Message
            .ShouldContain("position 4");
    }

    [Theory]
    [InlineData("", "x=y", true)]
    [InlineData("x=y", "x=y", true)]
    [InlineData("x=y,z=w", "x=y,z=w", true)]
    [InlineData("x!=y,z!=w", "x=z,z=a", true)]
    [InlineData("notin=in", "notin=in", true)]
    [InlineData("x", "x=z", true)]
    [InlineData("!x", "y=z", true)]
    [InlineData("x>1", "x=2", true)]
    [InlineData("x<1", "x=0", true)]
    [InlineData("x=z", "", false)]
    [InlineData("x=y", "x=z", false)]
    [InlineData("x=y,z=w", "x=w,z=w", false)]
    [InlineData("x!=y,z!=w", "x=z,z=w", false)]
    [InlineData("x", "y=z", false)]
    [InlineData("!x", "x=z", false)]
    [InlineData("x>1", "x=0", false)]
    [InlineData("x<1", "x=2", false)]
    [InlineData("x>1", "x=abc", false)]
    [InlineData("x in (y,z)", "x=z", true)]
    [InlineData("x in (y,z)", "x=a", false)]
    [InlineData("x in (y,z)", "", false)]
    [InlineData("x notin (y,z)", "x=a", true)]
    [InlineData("x notin (y,z)", "", true)]
    [InlineData("x notin (y,z)", "x=y", false)]
    [InlineData("x in ()", "x=", true)]
    [InlineData("x in (,a)", "x=", true)]
    [InlineData("in in (in)", "in=in", true)]
    [InlineData("x!=", "x=", false)]
    [InlineData("x=", "x=", true)]
    [InlineData("x=", "", false)]
    [InlineData("x in (foo,,baz),y,z notin ()", "x=,y=1", true)]
    [InlineData("x in (foo,,baz),y,z notin ()", "x=,y=1,z=", false)]
    [InlineData("x in (foo,,baz),y,z notin ()", "x=baz,y=1,z=a", true)]
    public void Matches_as_kubernetes(string selector, string labels, bool expected)
    {
        var set = labels.Length == 0
            ? new Dictionary<string, string>()
            : labels.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        LabelSelector.Parse(selector).Matches(set).ShouldBe(expected);
    }

    [Fact]
    public void Null_labels_are_an_empty_set()
    {
        LabelSelector.Parse("!x").Matches((IDictionary<string, string>?)null).ShouldBeTrue();
        LabelSelector.Parse("x").Matches((IDictionary<string, string>?)null).ShouldBeFalse();
        LabelSelector.Everything.Matches((IDictionary<string, string>?)null).ShouldBeTrue();
        LabelSelector.Nothing.Matches(new Dictionary<string, string>()).ShouldBeFalse();
    }

    [Fact]
    public void Prefixed_keys_and_long_values()
    {
        LabelSelector.Parse("example.com/app=web").Matches(new Dictionary<string, string> { ["example.com/app"] = "web" }).ShouldBeTrue();
        var tooLong = new string('a', 64);
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("x=" + tooLong)).Reason.ShouldContain("must be no more than 63 characters");
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("a/b/c=x")).Reason.ShouldContain("a qualified name must consist of");
        Should.Throw<LabelSelectorParseException>(() => LabelSelector.Parse("Bad_Prefix/x=y")).Reason.ShouldContain("prefix part a lowercase RFC 1123 subdomain");
    }

    [Fact]
    public void From_match_labels_and_expressions()
    {
        var selector = LabelSelector.FromLabelSelector(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["a", "b"] },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "NotIn", Values = ["dev"] },
                new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "Exists" },
            ],
        });
        selector.ToString().ShouldBe("app=web,!canary,env notin (dev),team,tier in (a,b)");
        selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "a", ["team"] = "x" }).ShouldBeTrue();
        selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "a", ["team"] = "x", ["env"] = "dev" }).ShouldBeFalse();
        selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "a", ["team"] = "x", ["canary"] = "1" }).ShouldBeFalse();
    }

    [Fact]
    public void Null_and_empty_label_selector_objects_match_everything()
    {
        LabelSelector.FromLabelSelector(null).IsEverything.ShouldBeTrue();
        LabelSelector.FromLabelSelector(new V1LabelSelector()).IsEverything.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Bogus", null, "\"Bogus\" is not a valid label selector operator")]
    [InlineData("In", null, "values set can't be empty")]
    [InlineData("Exists", "a", "values set must be empty for exists and does not exist")]
    public void Invalid_match_expressions_are_reported(string op, string? value, string message)
    {
        var e = Should.Throw<LabelSelectorParseException>(() => LabelSelector.FromLabelSelector(new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "k", OperatorProperty = op, Values = value is null ? null : [value] }],
        }));
        e.Message.ShouldContain(message);
        e.Selector.ShouldBe("matchExpressions[0]");
    }

    [Fact]
    public void Converts_to_a_label_selector_object_as_the_velero_cli_does()
    {
        var obj = LabelSelector.Parse("app=web,env!=dev,tier in (a,b),!canary,team").ToLabelSelector()!;
        obj.MatchLabels.ShouldBe(new Dictionary<string, string> { ["app"] = "web" });
        obj.MatchExpressions.Select(e => $"{e.Key} {e.OperatorProperty} {string.Join("|", e.Values ?? [])}")
            .ShouldBe(["canary DoesNotExist ", "env NotIn dev", "team Exists ", "tier In a|b"]);
        LabelSelector.Parse("").ToLabelSelector().ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => LabelSelector.Parse("x>1").ToLabelSelector()).Message.ShouldContain("x>1");

        // Round trip: the object form selects the same sets.
        var back = LabelSelector.FromLabelSelector(obj);
        back.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "a", ["team"] = "t" }).ShouldBeTrue();
        back.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "a", ["team"] = "t", ["env"] = "dev" }).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_reports_instead_of_throwing()
    {
        LabelSelector.TryParse("x in (", out var s, out var error).ShouldBeFalse();
        s.ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain("x in (");
        LabelSelector.TryParse("a=b", out s, out error).ShouldBeTrue();
        s!.ToString().ShouldBe("a=b");
        error.ShouldBeNull();
    }
}

using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

public class NamespaceMappingTests
{
    [Theory]
    [InlineData("abc:def,123:456")]
    [InlineData("abc=def, 123=456")]
    [InlineData("abc->def,123->456")]
    [InlineData(" abc : def ,123:456,")]
    public void Several_mappings_at_once(string text)
    {
        var m = NamespaceMapping.Parse(text);
        m.Count.ShouldBe(2);
        m.Map("abc").ShouldBe("def");
        m.Map("123").ShouldBe("456");
        m.Map("other").ShouldBe("other");
        m.ToString().ShouldBe("123:456,abc:def");
    }

    [Fact]
    public void Empty_text_is_the_empty_mapping() => NamespaceMapping.Parse("").Count.ShouldBe(0);

    [Theory]
    [InlineData("a:b,c:b", "namespaces \"a\" and \"c\" are both mapped to \"b\"")]
    [InlineData("a:b,a:c", "source namespace \"a\" is mapped twice (to \"b\" and \"c\")")]
    [InlineData("a", "\"a\" is not a source:target pair")]
    [InlineData("a:b:c", "\"a:b:c\" is not a source:target pair")]
    [InlineData("a:", "target namespace of \"a:\" is empty")]
    [InlineData("A:b", "source namespace \"A\": a lowercase RFC 1123 label")]
    [InlineData("a:b_c", "target namespace \"b_c\": a lowercase RFC 1123 label")]
    public void Bad_mappings_name_the_entry(string text, string message)
    {
        var e = Should.Throw<FormatException>(() => NamespaceMapping.Parse(text));
        e.Message.ShouldContain(message);
        e.Message.ShouldStartWith($"invalid namespace mapping \"{text}\"");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = NamespaceMapping.Validate([new("a", "x"), new("b", "x"), new("C", "d"), new("e", new string('f', 64))]);
        errors.Count.ShouldBe(3);
        errors[0].ShouldContain("both mapped to \"x\"");
        errors[1].ShouldContain("source namespace \"C\"");
        errors[2].ShouldContain("must be no more than 63 characters");
        Should.Throw<ArgumentException>(() => NamespaceMapping.Create([new("a", "x"), new("b", "x")])).Message.ShouldContain("both mapped to \"x\"");
    }

    [Fact]
    public void Is_a_read_only_dictionary()
    {
        IReadOnlyDictionary<string, string> m = NamespaceMapping.Create([new("b", "y"), new("a", "x")]);
        m.Keys.ShouldBe(["a", "b"]);
        m["b"].ShouldBe("y");
        m.ContainsKey("c").ShouldBeFalse();
    }
}

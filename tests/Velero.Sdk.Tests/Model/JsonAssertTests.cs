using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Velero.Sdk.Tests.Model;

/// <summary>The structural comparison the round-trip tests rely on must really catch differences.</summary>
public class JsonAssertTests
{
    [Fact]
    public void Key_order_does_not_matter()
        => JsonAssert.Equal("""{"a":1,"b":{"c":[1,2],"d":"x"}}""", """{"b":{"d":"x","c":[1,2]},"a":1}""");

    [Fact]
    public void Numbers_compare_by_value()
        => JsonAssert.Equal("""{"a":1.0}""", """{"a":1}""");

    [Theory]
    [InlineData("""{"a":{"b":1}}""", """{"a":{"b":2}}""", "$.a.b: expected 1 but found 2")]
    [InlineData("""{"a":{"b":1}}""", """{"a":{}}""", "$.a.b: expected 1 but the property is missing")]
    [InlineData("""{"a":{}}""", """{"a":{"b":null}}""", "$.a.b: unexpected property with value null")]
    [InlineData("""{"a":[1,2]}""", """{"a":[1]}""", "$.a: expected an array of 2 elements but found 1")]
    [InlineData("""{"a":[1,{"x":"y"}]}""", """{"a":[1,{"x":"z"}]}""", "$.a[1].x: expected \"y\" but found \"z\"")]
    [InlineData("""{"a":"1"}""", """{"a":1}""", "$.a: expected \"1\" but found 1")]
    [InlineData("""{"a":true}""", """{"a":false}""", "$.a: expected true but found false")]
    [InlineData("""{"velero.io/x":1}""", """{"velero.io/x":2}""", "$['velero.io/x']: expected 1 but found 2")]
    public void Differences_are_reported_with_their_path(string expected, string actual, string message)
    {
        var exception = Should.Throw<XunitException>(() => JsonAssert.Equal(expected, actual));

        exception.Message.ShouldBe("JSON trees differ at " + message);
    }

    [Fact]
    public void Null_nodes_equal_json_null()
    {
        JsonAssert.Equal(null, JsonNode.Parse("null"));
        Should.Throw<XunitException>(() => JsonAssert.Equal(null, JsonNode.Parse("{}")));
    }
}

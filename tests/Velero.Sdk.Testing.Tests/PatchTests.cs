using System.Text.Json.Nodes;
using Velero.Sdk.Patching;

namespace Velero.Sdk.Testing.Tests;

/// <summary>
/// Patch semantics, with case tables taken from the behaviour that RFC 7386 (appendix A, also the cases of
/// evanphx/json-patch used by Kubernetes), RFC 6902 and Kubernetes' strategicpatch tests specify.
/// </summary>
public sealed class PatchTests
{
    private static void Same(JsonNode? actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue($"got {actual?.ToJsonString() ?? "null"}, expected {expected}");

    // RFC 7386 appendix A.
    [Theory]
    [InlineData("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}")]
    [InlineData("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}")]
    [InlineData("{\"a\":\"b\"}", "{\"a\":null}", "{}")]
    [InlineData("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}")]
    [InlineData("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}")]
    [InlineData("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}")]
    [InlineData("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}")]
    [InlineData("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}")]
    [InlineData("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]")]
    [InlineData("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]")]
    [InlineData("{\"a\":\"foo\"}", "null", "null")]
    [InlineData("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"")]
    [InlineData("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}")]
    [InlineData("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}")]
    [InlineData("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}")]
    public void Merge_patch_rfc7386(string target, string patch, string expected) =>
        Same(JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)), expected);

    // RFC 6902 appendix A.
    [Theory]
    [InlineData("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]", "{\"baz\":\"qux\",\"foo\":\"bar\"}")]
    [InlineData("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]", "{\"foo\":[\"bar\",\"qux\",\"baz\"]}")]
    [InlineData("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]", "{\"foo\":\"bar\"}")]
    [InlineData("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}")]
    [InlineData("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]", "{\"baz\":\"boo\",\"foo\":\"bar\"}")]
    [InlineData("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}", "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]", "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}")]
    [InlineData("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]", "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}")]
    [InlineData("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]", "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}")]
    [InlineData("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]", "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}")]
    [InlineData("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]", "{\"/\":9,\"~1\":10}")]
    [InlineData("{\"a\":1}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"}]", "{\"a\":1,\"b\":1}")]
    public void Json_patch_rfc6902(string doc, string patch, string expected) =>
        Same(JsonPatch.Apply(JsonNode.Parse(doc), JsonNode.Parse(patch)), expected);

    [Theory]
    [InlineData("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]")]
    [InlineData("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]")]
    [InlineData("{\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/nope\"}]")]
    public void Json_patch_errors(string doc, string patch) =>
        Should.Throw<PatchException>(() => JsonPatch.Apply(JsonNode.Parse(doc), JsonNode.Parse(patch))).Unprocessable.ShouldBeTrue();

    // Kubernetes strategicpatch behaviour for the built-in types' merge keys and directives.
    [Theory]
    // Lists with a merge key merge by it; others keep their order, new ones are appended.
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"1\"},{\"name\":\"b\",\"image\":\"1\"}]}}",
                "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"2\"},{\"name\":\"c\",\"image\":\"3\"}]}}",
                "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"1\"},{\"name\":\"b\",\"image\":\"2\"},{\"name\":\"c\",\"image\":\"3\"}]}}")]
    // $patch: delete removes one element by merge key.
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
                "{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}",
                "{\"spec\":{\"containers\":[{\"name\":\"b\"}]}}")]
    // $patch: replace in a list replaces the whole list.
    [InlineData("{\"spec\":{\"volumes\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
                "{\"spec\":{\"volumes\":[{\"name\":\"c\"},{\"$patch\":\"replace\"}]}}",
                "{\"spec\":{\"volumes\":[{\"name\":\"c\"}]}}")]
    // $patch: replace on a map replaces the map.
    [InlineData("{\"spec\":{\"selector\":{\"a\":\"1\",\"b\":\"2\"}}}",
                "{\"spec\":{\"selector\":{\"c\":\"3\",\"$patch\":\"replace\"}}}",
                "{\"spec\":{\"selector\":{\"c\":\"3\"}}}")]
    // $patch: delete on a map deletes it.
    [InlineData("{\"spec\":{\"x\":{\"a\":1},\"y\":2}}", "{\"spec\":{\"x\":{\"$patch\":\"delete\"}}}", "{\"spec\":{\"y\":2}}")]
    // Nested merge inside a merged element (env by name inside containers by name).
    [InlineData("{\"containers\":[{\"name\":\"a\",\"env\":[{\"name\":\"X\",\"value\":\"1\"},{\"name\":\"Y\",\"value\":\"2\"}]}]}",
                "{\"containers\":[{\"name\":\"a\",\"env\":[{\"name\":\"Y\",\"value\":\"3\"}]}]}",
                "{\"containers\":[{\"name\":\"a\",\"env\":[{\"name\":\"X\",\"value\":\"1\"},{\"name\":\"Y\",\"value\":\"3\"}]}]}")]
    // Container ports merge by containerPort.
    [InlineData("{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}]}",
                "{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":443}]}]}",
                "{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"},{\"containerPort\":443}]}]}")]
    // Lists without a merge strategy are replaced.
    [InlineData("{\"spec\":{\"args\":[\"a\",\"b\"]}}", "{\"spec\":{\"args\":[\"c\"]}}", "{\"spec\":{\"args\":[\"c\"]}}")]
    [InlineData("{\"spec\":{\"tolerations\":[{\"key\":\"a\"}]}}", "{\"spec\":{\"tolerations\":[{\"key\":\"b\"}]}}", "{\"spec\":{\"tolerations\":[{\"key\":\"b\"}]}}")]
    // metadata.finalizers is a merged list of strings; $deleteFromPrimitiveList removes values.
    [InlineData("{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}", "{\"metadata\":{\"finalizers\":[\"b\",\"c\"]}}", "{\"metadata\":{\"finalizers\":[\"a\",\"b\",\"c\"]}}")]
    [InlineData("{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}", "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}}", "{\"metadata\":{\"finalizers\":[\"b\"]}}")]
    // null deletes a field; maps merge; $setElementOrder is accepted and dropped.
    [InlineData("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}", "{\"metadata\":{\"labels\":{\"a\":null,\"c\":\"3\"}}}", "{\"metadata\":{\"labels\":{\"b\":\"2\",\"c\":\"3\"}}}")]
    [InlineData("{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "{\"$setElementOrder/containers\":[{\"name\":\"b\"},{\"name\":\"a\"}],\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}", "{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"b\"}]}")]
    // $retainKeys keeps only the listed keys.
    [InlineData("{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}", "{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}", "{\"strategy\":{\"type\":\"Recreate\"}}")]
    public void Strategic_merge_patch(string original, string patch, string expected) =>
        Same(StrategicMergePatch.Apply(JsonNode.Parse(original)!.AsObject(), JsonNode.Parse(patch)!.AsObject()), expected);

    [Fact]
    public async Task Patches_over_http_follow_the_content_type()
    {
        await using var f = await ServerFixture.StartAsync();
        (await f.PostAsync("apis/apps/v1/namespaces/default/deployments", """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},
             "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"app","image":"v1"},{"name":"side","image":"s1"}]}}}}
            """)).Code.ShouldBe(201);
        var (code, smp) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"v2\"}]}}}}", "application/strategic-merge-patch+json");
        code.ShouldBe(200);
        smp!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string)c!["image"]!).ShouldBe(["v2", "s1"]);
        var (_, merge) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"v3\"}]}}}}", "application/merge-patch+json");
        merge!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count.ShouldBe(1);
        var (testFailed, status) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", "[{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nope\"}]", "application/json-patch+json");
        testFailed.ShouldBe(422);
        status!["kind"]!.ToString().ShouldBe("Status");
        var (conflict, _) = await f.PatchAsync("apis/apps/v1/namespaces/default/deployments/d", "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":2}}", "application/merge-patch+json");
        conflict.ShouldBe(409);
    }
}

using System.Text.Json.Nodes;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class ResourceModifierTests : IAsyncLifetime
{
    private RestoreFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await RestoreFixture.StartAsync();
        await _f.BackupAsync(b => b.IncludeNamespaces("shop", "web"));
        await _f.Target.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"velero"}}""")!);
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task SeedRulesAsync(string name, string yaml)
    {
        var cm = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "velero" },
            ["data"] = new JsonObject { ["rules.yaml"] = yaml },
        };
        await _f.Target.SeedAsync(cm);
    }

    private const string Rules = """
        version: v1
        resourceModifierRules:
        - conditions:
            groupResource: persistentvolumeclaims
            resourceNameRegex: "^da.*$"
            matches:
            - path: /spec/storageClassName
              value: standard
          patches:
          - operation: replace
            path: /spec/storageClassName
            value: premium
        - conditions:
            groupResource: persistentvolumeclaims
            matches:
            - path: /spec/storageClassName
              value: premium
          patches:
          - operation: replace
            path: /spec/storageClassName
            value: gold
        - conditions:
            groupResource: configmaps
            namespaces: [shop]
            labelSelector:
              matchLabels:
                app: web
          mergePatches:
          - patchData: |
              metadata:
                labels:
                  modified: "yes"
        - conditions:
            groupResource: "*"
          patches:
          - operation: add
            path: /metadata/annotations
            value: '{"core-group-only": "true"}'
        - conditions:
            groupResource: deployments.apps
          strategicPatches:
          - patchData: |
              {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}]}}}}
        """;

    [Fact]
    public async Task Rules_patch_items_with_conditions_evaluated_before_any_rule_ran()
    {
        await SeedRulesAsync("modifiers", Rules);
        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("shop", "web").ExcludeResources("widgets.example.com").WithResourceModifier("modifiers"));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        _f.Target.GetObject("v1", "PersistentVolumeClaim", "shop", "data")!["spec"]!["storageClassName"]!.GetValue<string>().ShouldBe("premium", "the second rule's condition saw 'standard'");
        _f.Target.GetObject("v1", "ConfigMap", "shop", "cfg")!["metadata"]!["labels"]!["modified"]!.GetValue<string>().ShouldBe("yes");
        _f.Target.GetObject("v1", "ConfigMap", "web", "page")!["metadata"]!["labels"]!.AsObject().ContainsKey("modified").ShouldBeFalse("namespaces are the backup's");
        _f.Target.GetObject("v1", "Secret", "shop", "creds")!["metadata"]!["annotations"]!["core-group-only"]!.GetValue<string>().ShouldBe("true");
        var deployment = _f.Target.GetObject("apps/v1", "Deployment", "shop", "web")!;
        deployment["metadata"]!["annotations"]?["core-group-only"].ShouldBeNull("'*' does not cross the '.' of deployments.apps");
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("nginx:1.28");
    }

    [Theory]
    [InlineData("version: v2\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: remove, path: /spec}]", "unsupported resource modifier version")]
    [InlineData("version: v1\nresourceModifierRules: []", "resource modifier rules cannot be empty")]
    [InlineData("version: v1\nresourceModifierRules:\n- conditions: {groupResource: \"\"}\n  patches: [{operation: remove, path: /spec}]", "groupResource cannot be empty")]
    [InlineData("version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: frobnicate, path: /spec}]", "invalid patch operation \"frobnicate\"")]
    [InlineData("version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods, colour: blue}\n  patches: [{operation: remove, path: /spec}]", "unknown field \"colour\"")]
    [InlineData("version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: remove, path: /spec}]\n  mergePatches: [{patchData: \"{}\"}]", "only one of patches, mergePatches and strategicPatches")]
    public async Task Invalid_rules_fail_validation_naming_the_problem(string yaml, string expected)
    {
        await SeedRulesAsync("bad", yaml);
        var result = await _f.RestoreAsync(r => r.WithResourceModifier("bad"));
        result.Phase.ShouldBe(RestorePhase.FailedValidation);
        result.ValidationErrors.ShouldHaveSingleItem().ShouldContain(expected);
        _f.Target.GetObject("v1", "Namespace", null, "shop").ShouldBeNull("nothing is restored");
    }

    [Fact]
    public async Task A_missing_config_map_fails_validation()
    {
        var result = await _f.RestoreAsync(r => r.WithResourceModifier("nope"));
        result.Phase.ShouldBe(RestorePhase.FailedValidation);
        result.ValidationErrors.ShouldBe(["Error fetching resource modifiers configmap velero/nope: configmaps \"nope\" not found"]);
    }
}

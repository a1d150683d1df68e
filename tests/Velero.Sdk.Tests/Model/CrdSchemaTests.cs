using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// Walks Velero's CRD schemas and checks that our model has exactly the same JSON properties, with
/// compatible kinds, at every level of spec and status.
/// </summary>
public class CrdSchemaTests
{
    [Theory]
    [MemberData(nameof(Plurals))]
    public void Model_matches_crd_schema(string plural)
    {
        var entry = VeleroCrds.Get(plural);
        var schema = VeleroCrds.LoadSchema(plural);
        var mismatches = new List<string>();
        var walker = new SchemaWalker(mismatches);

        walker.Walk(schema, entry.ResourceType, plural);

        if (mismatches.Count > 0)
        {
            Assert.Fail($"{mismatches.Count} mismatch(es) between {entry.ResourceType.Name} and the {plural} CRD:"
                + Environment.NewLine + string.Join(Environment.NewLine, mismatches));
        }

        // The walk must really have covered spec and status.
        walker.VisitedPaths.ShouldContain($"{plural}.spec");
        walker.VisitedPaths.ShouldContain($"{plural}.status");
    }

    [Theory]
    [MemberData(nameof(Plurals))]
    public void Every_enum_in_the_schema_has_a_constants_class_with_exactly_its_values(string plural)
    {
        var entry = VeleroCrds.Get(plural);
        var walker = new SchemaWalker([]);
        walker.Walk(VeleroCrds.LoadSchema(plural), entry.ResourceType, plural);

        var problems = new List<string>();
        foreach (var (path, values) in walker.Enums)
        {
            if (!EnumConstants.TryGetValue(StripIndexes(path), out var constants))
            {
                problems.Add($"{path}: enum [{string.Join(", ", values)}] has no constants class mapped in this test");
                continue;
            }

            var all = (IReadOnlyList<string>)constants.GetProperty("All")!.GetValue(null)!;
            if (!all.Order(StringComparer.Ordinal).SequenceEqual(values.Order(StringComparer.Ordinal)))
            {
                problems.Add($"{path}: CRD enum [{string.Join(", ", values)}] but {constants.Name}.All is [{string.Join(", ", all)}]");
            }

            var fields = constants.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToList();
            if (!fields.Order(StringComparer.Ordinal).SequenceEqual(all.Order(StringComparer.Ordinal)))
            {
                problems.Add($"{constants.Name}: constants [{string.Join(", ", fields)}] differ from All [{string.Join(", ", all)}]");
            }
        }

        if (problems.Count > 0)
        {
            Assert.Fail(string.Join(Environment.NewLine, problems));
        }
    }

    [Theory]
    [InlineData("backups", "backups.spec.labelSelector.matchExpressions[].values[]")]
    [InlineData("backups", "backups.spec.orLabelSelectors[].matchLabels{}")]
    [InlineData("backups", "backups.spec.hooks.resources[].post[].exec.command[]")]
    [InlineData("backups", "backups.spec.resourcePolicy.apiGroup")]
    [InlineData("restores", "restores.spec.hooks.resources[].postHooks[].init.initContainers")]
    [InlineData("restores", "restores.spec.namespaceMapping{}")]
    [InlineData("schedules", "schedules.spec.template.metadata.labels{}")]
    [InlineData("backupstoragelocations", "backupstoragelocations.spec.objectStorage.caCertRef.optional")]
    [InlineData("serverstatusrequests", "serverstatusrequests.status.plugins[].kind")]
    public void Walk_reaches_nested_levels_including_embedded_kubernetes_types(string plural, string path)
    {
        var walker = new SchemaWalker([]);
        walker.Walk(VeleroCrds.LoadSchema(plural), VeleroCrds.Get(plural).ResourceType, plural);

        walker.VisitedPaths.ShouldContain(path);
        walker.VisitedPaths.ShouldNotContain("restores.spec.hooks.resources[].postHooks[].init.initContainers[].name");
    }

    [Fact]
    public void Enum_walk_finds_the_phases()
    {
        var walker = new SchemaWalker([]);
        walker.Walk(VeleroCrds.LoadSchema("backups"), typeof(V1Backup), "backups");
        walker.Enums.Select(e => e.Path).ShouldContain("backups.status.phase");
        walker.Enums.Select(e => e.Path).ShouldContain("backups.spec.hooks.resources[].pre[].exec.onError");
    }

    [Fact]
    public void Walker_reports_missing_and_extra_properties_and_kind_mismatches()
    {
        var schema = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "name": { "type": "string" },
                "count": { "type": "integer" },
                "missing": { "type": "string" },
                "labels": { "type": "object", "additionalProperties": { "type": "string" } }
              }
            }
            """)!.AsObject();
        var mismatches = new List<string>();

        new SchemaWalker(mismatches).Walk(schema, typeof(Sample), "sample");

        mismatches.ShouldBe(
            [
                "sample.count: schema kind integer, but the .NET type System.String is string",
                "sample.missing: in the schema, but Sample has no JSON property \"missing\"",
                "sample.extra: Sample.Extra is not in the schema",
            ],
            ignoreOrder: true);
    }

    public static TheoryData<string> Plurals() => VeleroCrds.Plurals();

    private static readonly Dictionary<string, Type> EnumConstants = new(StringComparer.Ordinal)
    {
        ["backups.status.phase"] = typeof(BackupPhase),
        ["backups.spec.hooks.resources.pre.exec.onError"] = typeof(HookErrorMode),
        ["backups.spec.hooks.resources.post.exec.onError"] = typeof(HookErrorMode),
        ["restores.status.phase"] = typeof(RestorePhase),
        ["restores.spec.hooks.resources.postHooks.exec.onError"] = typeof(HookErrorMode),
        ["schedules.status.phase"] = typeof(SchedulePhase),
        ["schedules.spec.template.hooks.resources.pre.exec.onError"] = typeof(HookErrorMode),
        ["schedules.spec.template.hooks.resources.post.exec.onError"] = typeof(HookErrorMode),
        ["backupstoragelocations.spec.accessMode"] = typeof(BackupStorageLocationAccessMode),
        ["backupstoragelocations.status.accessMode"] = typeof(BackupStorageLocationAccessMode),
        ["backupstoragelocations.status.phase"] = typeof(BackupStorageLocationPhase),
        ["volumesnapshotlocations.status.phase"] = typeof(VolumeSnapshotLocationPhase),
        ["deletebackuprequests.status.phase"] = typeof(DeleteBackupRequestPhase),
        ["downloadrequests.spec.target.kind"] = typeof(DownloadTargetKind),
        ["downloadrequests.status.phase"] = typeof(DownloadRequestPhase),
        ["serverstatusrequests.status.phase"] = typeof(ServerStatusRequestPhase),
    };

    private static string StripIndexes(string path) => path.Replace("[]", "", StringComparison.Ordinal).Replace("{}", "", StringComparison.Ordinal);

    private sealed class Sample
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("count")]
        public string? Count { get; set; }

        [JsonPropertyName("labels")]
        public IDictionary<string, string>? Labels { get; set; }

        [JsonPropertyName("extra")]
        public bool? Extra { get; set; }

        [JsonExtensionData]
        public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
    }

    /// <summary>Recursive comparison of an OpenAPI v3 schema with a .NET type.</summary>
    private sealed class SchemaWalker(List<string> mismatches)
    {
        public HashSet<string> VisitedPaths { get; } = new(StringComparer.Ordinal);

        public List<(string Path, List<string> Values)> Enums { get; } = [];

        public void Walk(JsonObject schema, Type type, string path)
        {
            VisitedPaths.Add(path);
            type = Nullable.GetUnderlyingType(type) ?? type;

            if (schema["enum"] is JsonArray values)
            {
                Enums.Add((path, values.Select(v => v!.GetValue<string>()).ToList()));
            }

            var schemaKind = SchemaKind(schema);
            var typeKind = TypeKind(type);
            if (typeKind != "any" && !Compatible(schemaKind, typeKind))
            {
                mismatches.Add($"{path}: schema kind {schemaKind}, but the .NET type {Describe(type)} is {typeKind}");
                return;
            }

            // Unstructured content (e.g. raw init containers): nothing below to compare.
            if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true || typeKind == "any")
            {
                return;
            }

            switch (schemaKind)
            {
                case "array":
                    Walk(schema["items"]!.AsObject(), ElementType(type), path + "[]");
                    break;
                case "map":
                    Walk(schema["additionalProperties"]!.AsObject(), DictionaryValueType(type), path + "{}");
                    break;
                case "object" when schema["properties"] is JsonObject properties:
                    WalkProperties(properties, type, path);
                    break;
                default:
                    break; // scalars, and objects without a schema (e.g. the root metadata)
            }
        }

        private void WalkProperties(JsonObject properties, Type type, string path)
        {
            var members = JsonProperties(type);
            foreach (var (name, propertySchema) in properties)
            {
                if (!members.TryGetValue(name, out var member))
                {
                    mismatches.Add($"{path}.{name}: in the schema, but {type.Name} has no JSON property \"{name}\"");
                    continue;
                }

                Walk(propertySchema!.AsObject(), member.PropertyType, $"{path}.{name}");
            }

            foreach (var (name, member) in members)
            {
                if (!properties.ContainsKey(name))
                {
                    mismatches.Add($"{path}.{name}: {type.Name}.{member.Name} is not in the schema");
                }
            }
        }

        private static string SchemaKind(JsonObject schema)
        {
            var type = schema["type"]?.GetValue<string>();
            var format = schema["format"]?.GetValue<string>();
            return type switch
            {
                "string" when format is "date-time" => "date-time",
                "string" when format is "byte" => "byte",
                "object" when schema["properties"] is null && schema["additionalProperties"] is JsonObject => "map",
                null => "any",
                _ => type,
            };
        }

        private static string TypeKind(Type type)
        {
            if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object))
            {
                return "any";
            }

            if (type == typeof(string))
            {
                return "string";
            }

            if (type == typeof(bool))
            {
                return "boolean";
            }

            if (type == typeof(int) || type == typeof(long))
            {
                return "integer";
            }

            if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
            {
                return "number";
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                return "date-time";
            }

            if (type == typeof(byte[]))
            {
                return "byte";
            }

            if (IsDictionary(type))
            {
                return "map";
            }

            if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
            {
                return "array";
            }

            return "object";
        }

        private static bool Compatible(string schemaKind, string typeKind)
            => schemaKind == typeKind
               || schemaKind == "any"
               || (schemaKind == "object" && typeKind == "map"); // object without a declared shape

        private static bool IsDictionary(Type type)
            => GenericInterface(type, typeof(IDictionary<,>)) is not null;

        private static Type? GenericInterface(Type type, Type definition)
            => type.IsGenericType && type.GetGenericTypeDefinition() == definition
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

        private static Type ElementType(Type type)
            => type.IsArray ? type.GetElementType()! : GenericInterface(type, typeof(IEnumerable<>))!.GetGenericArguments()[0];

        private static Type DictionaryValueType(Type type) => GenericInterface(type, typeof(IDictionary<,>))!.GetGenericArguments()[1];

        private static Dictionary<string, PropertyInfo> JsonProperties(Type type)
        {
            var result = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetIndexParameters().Length > 0
                    || p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null
                    || p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
                {
                    continue;
                }

                var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                    ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                result.Add(name, p);
            }

            return result;
        }

        private static string Describe(Type type) => type.FullName ?? type.Name;
    }
}

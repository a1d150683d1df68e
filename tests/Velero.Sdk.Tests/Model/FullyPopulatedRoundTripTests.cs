using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// An object of every resource and list type with every property set (including extension data)
/// survives a write-read-write round trip through <see cref="VeleroJson"/>.
/// </summary>
public class FullyPopulatedRoundTripTests
{
    public static TheoryData<Type> ResourceAndListTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var e in VeleroCrds.All)
        {
            data.Add(e.ResourceType);
            data.Add(e.ListType);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResourceAndListTypes))]
    public void Fully_populated_object_round_trips(Type type)
    {
        var original = new Populator().Create(type, "$");
        ModelGraph.FindNullProperties(original).ShouldBeEmpty();

        var json = VeleroJson.Serialize(original);
        var read = Deserialize(type, json);

        ModelGraph.FindNullProperties(read).ShouldBeEmpty();
        VeleroJson.Serialize(read).ShouldBe(json);
        JsonAssert.Equal(JsonNode.Parse(json), JsonNode.Parse(VeleroJson.Serialize(read)));

        // Extension data set on every model object came back as extension data.
        var extensions = ModelGraph.FindExtensionData(read);
        extensions.ShouldNotBeEmpty();
        extensions.ShouldAllBe(e => e.EndsWith(": x-future-field", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ResourceAndListTypes))]
    public void Fully_populated_object_reads_back_as_kubernetes_client_would(Type type)
    {
        var original = new Populator().Create(type, "$");
        var json = k8s.KubernetesJson.Serialize(original);

        json.ShouldBe(VeleroJson.Serialize(original));
        var method = typeof(k8s.KubernetesJson).GetMethods()
            .Single(m => m.Name == "Deserialize" && m.GetParameters()[0].ParameterType == typeof(string))
            .MakeGenericMethod(type);
        var read = method.Invoke(null, [json, null])!;
        VeleroJson.Serialize(read).ShouldBe(json);
    }

    [Fact]
    public void Fully_populated_backup_uses_velero_json_names()
    {
        var backup = (V1Backup)new Populator().Create(typeof(V1Backup), "$");

        var spec = JsonNode.Parse(VeleroJson.Serialize(backup))!["spec"]!.AsObject();

        spec.Select(p => p.Key).ShouldBe(
            [
                "metadata", "includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources",
                "includedClusterScopedResources", "excludedClusterScopedResources", "includedNamespaceScopedResources",
                "excludedNamespaceScopedResources", "labelSelector", "orLabelSelectors", "snapshotVolumes", "ttl",
                "volumeGroupSnapshotLabelKey", "includeClusterResources", "hooks", "storageLocation",
                "volumeSnapshotLocations", "defaultVolumesToRestic", "defaultVolumesToFsBackup", "orderedResources",
                "csiSnapshotTimeout", "itemOperationTimeout", "resourcePolicy", "snapshotMoveData", "datamover",
                "uploaderConfig", "x-future-field",
            ]);
        spec["hooks"]!["resources"]![0]!.AsObject().Select(p => p.Key).ShouldBe(
            [
                "name", "includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources",
                "labelSelector", "pre", "post", "x-future-field",
            ]);
    }

    private static object Deserialize(Type type, string json)
        => typeof(VeleroJson).GetMethod(nameof(VeleroJson.Deserialize), [typeof(string)])!
            .MakeGenericMethod(type)
            .Invoke(null, [json])!;

    /// <summary>Creates objects with every property set to a distinct, non-default value.</summary>
    private sealed class Populator
    {
        private int _counter;

        public object Create(Type type, string path)
        {
            var value = CreateValue(type, path);
            return value ?? throw new InvalidOperationException($"Cannot populate {type} at {path}");
        }

        private object? CreateValue(Type type, string path)
        {
            var n = ++_counter;
            type = Nullable.GetUnderlyingType(type) ?? type;

            if (type == typeof(string))
            {
                return $"{path.Split('.')[^1]}-{n}";
            }

            if (type == typeof(bool))
            {
                return n % 2 == 0;
            }

            if (type == typeof(int))
            {
                return n;
            }

            if (type == typeof(long))
            {
                return (long)n;
            }

            if (type == typeof(DateTime))
            {
                return new DateTime(2026, 5, 20, 8, 0, 0, DateTimeKind.Utc).AddMinutes(n).AddSeconds(n);
            }

            if (type == typeof(byte[]))
            {
                return "-----BEGIN CERTIFICATE-----\n"u8.ToArray();
            }

            if (type == typeof(JsonElement))
            {
                return JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["name"] = $"restore-hook-init-{n}",
                    ["image"] = "busybox:1.36",
                    ["command"] = new[] { "/bin/sh", "-c", "echo hi" },
                    ["someFutureContainerField"] = new Dictionary<string, int> { ["x"] = n },
                });
            }

            if (type == typeof(V1ObjectMeta))
            {
                return new V1ObjectMeta
                {
                    Name = $"name-{n}",
                    NamespaceProperty = VeleroConstants.DefaultNamespace,
                    Uid = "58c14a41-899d-450c-873e-68ac29a7f355",
                    ResourceVersion = "29803",
                    Generation = 3,
                    CreationTimestamp = new DateTime(2026, 5, 20, 8, 0, 0, DateTimeKind.Utc),
                    Labels = new Dictionary<string, string> { [VeleroLabels.StorageLocation] = "default" },
                    Annotations = new Dictionary<string, string> { [VeleroAnnotations.SourceClusterK8sGitVersion] = "v1.30.2" },
                    Finalizers = [VeleroFinalizers.RestoreExternalResources],
                };
            }

            if (type == typeof(V1ListMeta))
            {
                return new V1ListMeta { ResourceVersion = "29823", ContinueProperty = "token", RemainingItemCount = 4 };
            }

            if (type == typeof(V1LabelSelector))
            {
                return new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { ["app"] = $"app-{n}" },
                    MatchExpressions =
                    [
                        new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["web", "db"] },
                    ],
                };
            }

            if (type == typeof(V1SecretKeySelector))
            {
                return new V1SecretKeySelector { Name = $"secret-{n}", Key = "cloud", Optional = true };
            }

            if (type == typeof(V1TypedLocalObjectReference))
            {
                return new V1TypedLocalObjectReference { ApiGroup = "", Kind = "configmap", Name = $"policy-{n}" };
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            {
                var valueType = type.GetGenericArguments()[1];
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()))!;
                dictionary.Add($"key-{n}", CreateValue(valueType, path + "{}"));
                dictionary.Add($"key-{n}-b", CreateValue(valueType, path + "{}"));
                return dictionary;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
            {
                var itemType = type.GetGenericArguments()[0];
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
                list.Add(CreateValue(itemType, path + "[]"));
                if (!ModelGraph.IsModelType(itemType))
                {
                    list.Add(CreateValue(itemType, path + "[]"));
                }

                return list;
            }

            if (ModelGraph.IsModelType(type))
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (p.Name == "AdditionalProperties")
                    {
                        p.SetValue(instance, new Dictionary<string, JsonElement>
                        {
                            ["x-future-field"] = JsonSerializer.SerializeToElement(new { added = "by a newer Velero", n }),
                        });
                    }
                    else if (p.Name is "ApiVersion" or "Kind" && instance is k8s.IKubernetesObject)
                    {
                        // Keep the constructor's values: they are part of the type's identity.
                    }
                    else
                    {
                        p.SetValue(instance, CreateValue(p.PropertyType, $"{path}.{p.Name}"));
                    }
                }

                return instance;
            }

            return null;
        }
    }
}

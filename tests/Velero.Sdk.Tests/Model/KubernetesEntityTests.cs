using System.Reflection;
using k8s;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// The <see cref="KubernetesEntityAttribute"/> and Kube* constants of every resource and list type
/// must agree with the group, version, kind, list kind and plural of Velero's CRDs.
/// </summary>
public class KubernetesEntityTests
{
    public static TheoryData<string> Plurals() => VeleroCrds.Plurals();

    [Theory]
    [MemberData(nameof(Plurals))]
    public void Resource_type_matches_crd(string plural)
    {
        var crd = VeleroCrds.Load(plural);
        var type = VeleroCrds.Get(plural).ResourceType;
        var version = crd.Spec.Versions.ShouldHaveSingleItem();
        version.Served.ShouldBeTrue();
        version.Storage.ShouldBeTrue();
        crd.Spec.Scope.ShouldBe("Namespaced");

        AssertEntity(type, crd.Spec.Group, version.Name, crd.Spec.Names.Kind, crd.Spec.Names.Plural);
        typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(type).ShouldBeTrue();
        type.GetInterfaces().ShouldContain(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISpec<>));
        type.GetInterfaces().ShouldContain(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStatus<>));

        var instance = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(type)!;
        instance.ApiVersion.ShouldBe($"{crd.Spec.Group}/{version.Name}");
        instance.Kind.ShouldBe(crd.Spec.Names.Kind);
        instance.Metadata.ShouldNotBeNull();
        type.GetProperty("Spec")!.GetValue(instance).ShouldNotBeNull();
        type.GetProperty("Status")!.GetValue(instance).ShouldBeNull();
        instance.ApiGroupAndVersion().ShouldBe((crd.Spec.Group, version.Name));
    }

    [Theory]
    [MemberData(nameof(Plurals))]
    public void List_type_matches_crd(string plural)
    {
        var crd = VeleroCrds.Load(plural);
        var entry = VeleroCrds.Get(plural);
        var version = crd.Spec.Versions.ShouldHaveSingleItem();

        AssertEntity(entry.ListType, crd.Spec.Group, version.Name, crd.Spec.Names.ListKind, crd.Spec.Names.Plural);
        typeof(IKubernetesObject<V1ListMeta>).IsAssignableFrom(entry.ListType).ShouldBeTrue();
        typeof(IItems<>).MakeGenericType(entry.ResourceType).IsAssignableFrom(entry.ListType).ShouldBeTrue();

        var instance = (IKubernetesObject<V1ListMeta>)Activator.CreateInstance(entry.ListType)!;
        instance.ApiVersion.ShouldBe($"{crd.Spec.Group}/{version.Name}");
        instance.Kind.ShouldBe(crd.Spec.Names.ListKind);
        instance.Metadata.ShouldNotBeNull();
        ((System.Collections.ICollection)entry.ListType.GetProperty("Items")!.GetValue(instance)!).Count.ShouldBe(0);
    }

    [Fact]
    public void Every_public_resource_type_of_the_model_is_covered()
    {
        var entities = typeof(V1Backup).Assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
            .ToHashSet();

        entities.ShouldBe(
            VeleroCrds.All.SelectMany(e => new[] { e.ResourceType, e.ListType }),
            ignoreOrder: true);
    }

    private static void AssertEntity(Type type, string group, string version, string kind, string plural)
    {
        var attribute = type.GetCustomAttribute<KubernetesEntityAttribute>().ShouldNotBeNull();
        attribute.Group.ShouldBe(group);
        attribute.ApiVersion.ShouldBe(version);
        attribute.Kind.ShouldBe(kind);
        attribute.PluralName.ShouldBe(plural);

        Const(type, "KubeGroup").ShouldBe(group);
        Const(type, "KubeApiVersion").ShouldBe(version);
        Const(type, "KubeKind").ShouldBe(kind);
        Const(type, "KubePluralName").ShouldBe(plural);
    }

    private static string Const(Type type, string name)
    {
        var field = type.GetField(name, BindingFlags.Public | BindingFlags.Static).ShouldNotBeNull();
        field.IsLiteral.ShouldBeTrue();
        return (string)field.GetRawConstantValue()!;
    }
}

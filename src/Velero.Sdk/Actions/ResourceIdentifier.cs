using System.Text.Json.Serialization;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Actions;

/// <summary>
/// Names one Kubernetes object: group, resource (plural), namespace and name. Serialized with Velero's Go field names
/// (<c>Group</c>, <c>Resource</c>, <c>Namespace</c>, <c>Name</c>), as in item-operation files.
/// </summary>
public sealed record ResourceIdentifier
{
    /// <summary>Creates an identifier.</summary>
    /// <param name="group">The API group; empty for the core group.</param>
    /// <param name="resource">The plural resource name.</param>
    /// <param name="ns">The namespace; null or empty for cluster-scoped objects.</param>
    /// <param name="name">The object's name.</param>
    public ResourceIdentifier(string group, string resource, string? ns, string name)
    {
        Group = group ?? string.Empty;
        Resource = resource ?? throw new ArgumentNullException(nameof(resource));
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The API group; empty for the core group.</summary>
    [JsonPropertyName("Group")]
    public string Group { get; init; }

    /// <summary>The plural resource name.</summary>
    [JsonPropertyName("Resource")]
    public string Resource { get; init; }

    /// <summary>The namespace; null for cluster-scoped objects.</summary>
    [JsonPropertyName("Namespace")]
    public string? Namespace { get; init; }

    /// <summary>The object's name.</summary>
    [JsonPropertyName("Name")]
    public string Name { get; init; }

    /// <summary>The group/resource, e.g. <c>deployments.apps</c>.</summary>
    [JsonIgnore]
    public GroupResource GroupResource => new(Group, Resource);

    /// <summary>Parses <c>resource.group</c> and builds an identifier.</summary>
    public static ResourceIdentifier Create(string groupResource, string? ns, string name)
    {
        var gr = GroupResource.Parse(groupResource);
        return new ResourceIdentifier(gr.Group, gr.Resource, ns, name);
    }

    /// <inheritdoc />
    public override string ToString() => $"{GroupResource} {(Namespace is null ? Name : Namespace + "/" + Name)}";
}

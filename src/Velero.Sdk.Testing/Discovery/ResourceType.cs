using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Discovery;

/// <summary>One served resource of one group/version, as discovery describes it.</summary>
internal sealed class ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    public required IReadOnlyList<string> Verbs { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Subresources in discovery order (for example <c>status</c>, <c>scale</c>, <c>exec</c>) with their kind and verbs.</summary>
    public IReadOnlyList<SubresourceType> Subresources { get; init; } = [];

    /// <summary>Whether this resource comes from a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    /// <summary>The additionalPrinterColumns of a custom resource version, if any.</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>The openAPIV3Schema of a custom resource version, if any.</summary>
    public JsonObject? Schema { get; init; }

    public string GroupVersion => _groupVersion ??= Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>Storage key shared by every version of the resource: <c>group/plural</c>.</summary>
    public string StorageKey => _storageKey ??= Group + "/" + Plural;

    /// <summary><c>plural</c> or <c>plural.group</c>, as error messages name a resource.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary><c>Kind</c> or <c>Kind.group</c>, as Invalid messages name a kind.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    public string ListKind => Kind + "List";

    public bool HasStatus => _hasStatus ??= Subresources.Any(s => s.Name == "status");

    private string? _groupVersion;
    private string? _storageKey;
    private bool? _hasStatus;

    public bool Supports(string verb) => Verbs.Contains(verb);
}

/// <summary>A subresource of a served resource.</summary>
internal sealed record SubresourceType(string Name, string Kind, string ResponseGroup, string ResponseVersion, IReadOnlyList<string> Verbs);

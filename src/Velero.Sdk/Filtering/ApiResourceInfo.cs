namespace Velero.Sdk.Filtering;

/// <summary>One resource type an API server serves, as discovery describes it (in its preferred version).</summary>
public sealed record ApiResourceInfo
{
    /// <summary>The API group; empty for the core group.</summary>
    public required string Group { get; init; }

    /// <summary>The version, e.g. <c>v1</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The plural resource name, e.g. <c>deployments</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>The kind, e.g. <c>Deployment</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The singular name, e.g. <c>deployment</c> (may be empty in old discovery documents).</summary>
    public string SingularName { get; init; } = string.Empty;

    /// <summary>True for namespaced resources, false for cluster-scoped ones.</summary>
    public required bool Namespaced { get; init; }

    /// <summary>The verbs the resource supports.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    /// <summary>Short names, e.g. <c>deploy</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories, e.g. <c>all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    private string? _groupResourceName;
    private string? _apiVersionKind;

    /// <summary>The group/resource, e.g. <c>deployments.apps</c>.</summary>
    public GroupResource GroupResource => new(Group, Resource);

    /// <summary>The group/resource as Velero writes it, e.g. <c>deployments.apps</c> or <c>pods</c> (computed once).</summary>
    public string GroupResourceName => _groupResourceName ??= GroupResource.ToString();

    /// <summary><c>apiVersion/Kind</c>, e.g. <c>apps/v1/Deployment</c> (computed once).</summary>
    public string ApiVersionKind => _apiVersionKind ??= ApiVersion + "/" + Kind;

    /// <summary>The apiVersion objects of this resource carry: <c>group/version</c>, or <c>version</c> for the core group.</summary>
    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : Group + "/" + Version;

    /// <summary>True when the resource supports <c>list</c>, <c>create</c>, <c>get</c> and <c>delete</c> and is not a subresource: the ones Velero backs up.</summary>
    public bool IsBackupCandidate =>
        !Resource.Contains('/', StringComparison.Ordinal) &&
        Verbs.Contains("list") && Verbs.Contains("create") && Verbs.Contains("get") && Verbs.Contains("delete");
}

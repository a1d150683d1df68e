namespace Velero.Sdk.Filtering;

/// <summary>
/// A Kubernetes group and resource (plural name), written as Velero writes it: <c>resource.group</c>, or just
/// <c>resource</c> for the core group (<c>pods</c>, <c>deployments.apps</c>).
/// </summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Resource">The resource (plural, lower case).</param>
public readonly record struct GroupResource(string Group, string Resource)
{
    /// <summary>Splits at the first dot: the left part is the resource, the rest the group (<c>deployments.apps</c>).</summary>
    public static GroupResource Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new GroupResource(string.Empty, value) : new GroupResource(value[(dot + 1)..], value[..dot]);
    }

    /// <summary><c>resource.group</c>, or <c>resource</c> for the core group.</summary>
    public override string ToString() => string.IsNullOrEmpty(Group) ? Resource : Resource + "." + Group;
}

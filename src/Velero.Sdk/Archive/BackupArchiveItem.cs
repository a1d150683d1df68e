using Velero.Sdk.Model;

namespace Velero.Sdk.Archive;

/// <summary>
/// One item file of a backup archive, as <see cref="BackupArchiveReader"/> indexes it; read its JSON with
/// <see cref="BackupArchiveReader.ReadItemAsync"/>.
/// </summary>
public sealed class BackupArchiveItem
{
    // What the items of one directory share (reader, group-resource, namespace, version directory) is held once: an index
    // of hundreds of thousands of items keeps only each item's name, place and size.
    private readonly Scope _scope;
    private readonly string? _fileName;

    /// <param name="scope">The item's directory.</param>
    /// <param name="name">The item's name: its file name without the <c>.json</c> extension, or the whole file name when it has none.</param>
    /// <param name="json">Whether the file name is <paramref name="name"/> plus <c>.json</c>.</param>
    /// <param name="offset">Where the item's bytes start in the reader's data file.</param>
    /// <param name="length">The item's size.</param>
    /// <param name="ordinal">The item's number in the reader's index, distinct for each item (-1: not indexed).</param>
    internal BackupArchiveItem(Scope scope, string name, bool json, long offset, long length, long ordinal = -1)
    {
        Ordinal = ordinal;
        // Velero names an item after its file, without the ".json" extension; keep the file name only when it differs.
        _scope = scope;
        Name = name;
        _fileName = json ? null : name;
        Offset = offset;
        Length = length;
    }

    /// <summary>
    /// The item's number in the reader's index: distinct for each item of the index and below
    /// <see cref="BackupArchiveReader.IndexedItems"/> (for a bit per item); -1 when not indexed.
    /// </summary>
    internal long Ordinal { get; }

    /// <summary>The group-resource directory, e.g. <c>deployments.apps</c> or <c>pods</c>.</summary>
    public string GroupResource => _scope.GroupResource;

    /// <summary>The namespace; <see langword="null"/> for a cluster-scoped item.</summary>
    public string? Namespace => _scope.Namespace;

    /// <summary>The item's name: its file name without the <c>.json</c> extension, as Velero derives it.</summary>
    public string Name { get; }

    /// <summary>
    /// <see langword="null"/> for the flat copy every restore reads; else the version directory it came from, e.g.
    /// <c>v1-preferredversion</c> or <c>v2beta2</c>.
    /// </summary>
    public string? VersionDirectory => _scope.VersionDirectory;

    /// <summary>The size of the item's JSON in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether the item is cluster-scoped.</summary>
    public bool IsClusterScoped => Namespace is null;

    /// <summary>The normalized path in the archive, e.g. <c>resources/pods/namespaces/web/nginx.json</c>.</summary>
    public string Path
    {
        get
        {
            var version = VersionDirectory is null ? string.Empty : VersionDirectory + "/";
            var scope = Namespace is null ? VeleroConstants.ClusterScopedDir : VeleroConstants.NamespaceScopedDir + "/" + Namespace;
            return $"{VeleroConstants.ResourcesDir}/{GroupResource}/{version}{scope}/{_fileName ?? Name + ".json"}";
        }
    }

    internal BackupArchiveReader Owner => _scope.Owner;

    internal long Offset { get; }

    /// <summary>The item's path.</summary>
    public override string ToString() => Path;

    /// <summary>
    /// Whether <paramref name="obj"/> is the same item file of the same reader. The reader makes item objects when they are
    /// asked for, so two lookups of one item give equal, not identical, objects.
    /// </summary>
    public override bool Equals(object? obj) =>
        obj is BackupArchiveItem other && ReferenceEquals(_scope, other._scope) && Offset == other.Offset && Length == other.Length &&
        Name == other.Name && _fileName == other._fileName;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_scope, Offset, Name);

    /// <summary>The directory an item is in: shared by its items.</summary>
    internal sealed record Scope(BackupArchiveReader Owner, string GroupResource, string? Namespace, string? VersionDirectory);
}

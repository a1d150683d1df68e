namespace Velero.Sdk;

/// <summary>What made a whole backup, restore or storage operation fail; see <see cref="VeleroException.ErrorCode"/>.</summary>
public enum VeleroErrorCode
{
    /// <summary>Not classified.</summary>
    Unknown = 0,

    /// <summary>A backup, restore, object or resource that was asked for does not exist.</summary>
    NotFound,

    /// <summary>Something that must not exist yet already does (e.g. a backup of that name in object storage).</summary>
    AlreadyExists,

    /// <summary>A request or configuration is not valid.</summary>
    Invalid,

    /// <summary>A key, path or archive entry would escape its root (path traversal).</summary>
    PathTraversal,

    /// <summary>A backup archive is damaged, hostile or of an unknown format.</summary>
    InvalidArchive,

    /// <summary>Object storage failed (an upload, download, listing or deletion).</summary>
    StorageFailure,

    /// <summary>The Kubernetes API failed in a way that stops the whole operation.</summary>
    ClusterFailure,

    /// <summary>A volume snapshot provider failed in a way that stops the whole operation.</summary>
    SnapshotFailure,
}

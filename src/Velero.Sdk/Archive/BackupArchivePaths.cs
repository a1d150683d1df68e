using Velero.Sdk.Model;

namespace Velero.Sdk.Archive;

/// <summary>Paths inside a Velero backup tarball (Velero's <c>GetVersionedItemFilePath</c>).</summary>
public static class BackupArchivePaths
{
    /// <summary>The path of the format version file, <c>metadata/version</c>.</summary>
    public const string VersionFile = VeleroConstants.MetadataDir + "/version";

    /// <summary>
    /// <c>resources/&lt;groupResource&gt;/[&lt;versionDirectory&gt;/]cluster/&lt;name&gt;.json</c> for a cluster-scoped item
    /// (<paramref name="namespace"/> <see langword="null"/> or empty), else
    /// <c>resources/&lt;groupResource&gt;/[&lt;versionDirectory&gt;/]namespaces/&lt;namespace&gt;/&lt;name&gt;.json</c>.
    /// </summary>
    /// <param name="groupResource">Plural resource and group, e.g. <c>deployments.apps</c>, or <c>pods</c> for the core group.</param>
    /// <param name="namespace">The item's namespace; <see langword="null"/> or empty for a cluster-scoped item.</param>
    /// <param name="name">The item's name.</param>
    /// <param name="versionDirectory">
    /// <see langword="null"/> for the flat path every restore reads, <c>v1-preferredversion</c> for the preferred version's
    /// copy, or a plain version (<c>v2beta2</c>) for other versions.
    /// </param>
    /// <exception cref="ArgumentException">A part is empty (but the namespace), <c>.</c> or <c>..</c>, or contains <c>/</c>, <c>\</c> or NUL.</exception>
    public static string GetItemPath(string groupResource, string? @namespace, string name, string? versionDirectory = null)
    {
        CheckSegment(groupResource, nameof(groupResource));
        CheckSegment(name, nameof(name));
        if (versionDirectory is not null)
        {
            CheckSegment(versionDirectory, nameof(versionDirectory));
        }

        bool cluster = string.IsNullOrEmpty(@namespace);
        if (!cluster)
        {
            CheckSegment(@namespace!, nameof(@namespace));
        }

        // One exact-size string: resources/<gr>/[<version>/](cluster|namespaces/<ns>)/<name>.json
        var scope = cluster ? VeleroConstants.ClusterScopedDir : VeleroConstants.NamespaceScopedDir;
        int length = VeleroConstants.ResourcesDir.Length + 1 + groupResource.Length + 1
            + (versionDirectory is null ? 0 : versionDirectory.Length + 1)
            + scope.Length + 1 + (cluster ? 0 : @namespace!.Length + 1)
            + name.Length + 5;
        return string.Create(length, (groupResource, @namespace, name, versionDirectory, scope, cluster), static (span, p) =>
        {
            int at = 0;
            void Put(Span<char> s, ref int i, string part, char? then)
            {
                part.AsSpan().CopyTo(s[i..]);
                i += part.Length;
                if (then is { } c)
                {
                    s[i++] = c;
                }
            }

            Put(span, ref at, VeleroConstants.ResourcesDir, '/');
            Put(span, ref at, p.groupResource, '/');
            if (p.versionDirectory is not null)
            {
                Put(span, ref at, p.versionDirectory, '/');
            }

            Put(span, ref at, p.scope, '/');
            if (!p.cluster)
            {
                Put(span, ref at, p.@namespace!, '/');
            }

            Put(span, ref at, p.name, null);
            Put(span, ref at, ".json", null);
        });
    }

    /// <summary>The directory of the preferred version's copies: <c>&lt;version&gt;-preferredversion</c>.</summary>
    public static string PreferredVersionDirectory(string version) => version + VeleroConstants.PreferredVersionDirSuffix;

    internal static void CheckSegment(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0 || value is "." or ".." || value.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
        {
            throw new ArgumentException(
                $"\"{value}\" cannot be a path segment of a backup archive: it must be non-empty, not '.' or '..', and contain no '/', '\\' or NUL.",
                parameterName);
        }
    }
}

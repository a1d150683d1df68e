using k8s.Models;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup;

/// <summary>
/// Builds an immutable, validated <see cref="BackupRequest"/>. Fluent and free of I/O; <see cref="Build"/> reports every
/// problem at once with Velero's validation messages.
/// </summary>
/// <example>
/// <code>
/// BackupRequest request = new BackupBuilder("nightly-apps")
///     .IncludeNamespaces("apps-*")
///     .ExcludeResources("events")
///     .WithLabelSelector("backup=true")
///     .WithTtl(TimeSpan.FromDays(30))
///     .Build();
/// </code>
/// </example>
public sealed class BackupBuilder : BackupSpecBuilder<BackupBuilder>
{
    private readonly V1Backup _backup;

    /// <summary>Starts a backup with the given name, in the <c>velero</c> namespace.</summary>
    public BackupBuilder(string name)
        : this(new V1Backup { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = VeleroConstants.DefaultNamespace } })
    {
    }

    private BackupBuilder(V1Backup backup)
        : base(backup.Spec ??= new V1BackupSpec())
    {
        _backup = backup;
    }

    /// <summary>Starts from an existing Backup resource (copied), e.g. to validate one read from a cluster.</summary>
    public static BackupBuilder From(V1Backup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var copy = Clone(backup);
        copy.Metadata ??= new V1ObjectMeta();
        copy.Status = null;
        return new BackupBuilder(copy);
    }

    /// <summary>The namespace the Backup resource lives in (Velero's own namespace); <c>velero</c> by default.</summary>
    public BackupBuilder InNamespace(string veleroNamespace)
    {
        _backup.Metadata.NamespaceProperty = veleroNamespace;
        return this;
    }

    /// <summary>Adds a label to the Backup resource.</summary>
    public BackupBuilder WithLabel(string key, string value)
    {
        (_backup.Metadata.Labels ??= new Dictionary<string, string>())[key] = value;
        return this;
    }

    /// <summary>Adds an annotation to the Backup resource.</summary>
    public BackupBuilder WithAnnotation(string key, string value)
    {
        (_backup.Metadata.Annotations ??= new Dictionary<string, string>())[key] = value;
        return this;
    }

    /// <summary>Every problem of the backup as configured so far (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Deferred);
        errors.AddRange(BackupValidation.ValidateName(_backup.Metadata.Name, "backup"));
        errors.AddRange(ValidateNamespace(_backup.Metadata.NamespaceProperty));
        errors.AddRange(ValidateMetadataMaps(_backup.Metadata));
        errors.AddRange(BackupValidation.ValidateSpec(Spec));
        return errors;
    }

    /// <summary>Validates and returns the immutable request.</summary>
    /// <exception cref="VeleroValidationException">The backup is invalid; <see cref="VeleroValidationException.Errors"/> lists every problem.</exception>
    public BackupRequest Build()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new VeleroValidationException($"backup \"{_backup.Metadata.Name}\"", errors);
        }

        return new BackupRequest(Clone(_backup));
    }

    internal static IEnumerable<string> ValidateNamespace(string? ns) =>
        string.IsNullOrEmpty(ns)
            ? ["namespace is required"]
            : KubernetesNames.ValidateDns1123Label(ns).Select(m => $"invalid namespace \"{ns}\": {m}");

    internal static IEnumerable<string> ValidateMetadataMaps(V1ObjectMeta meta)
    {
        foreach (var (key, value) in meta.Labels ?? new Dictionary<string, string>())
        {
            foreach (var m in KubernetesNames.ValidateQualifiedName(key))
            {
                yield return $"invalid label key \"{key}\": {m}";
            }

            foreach (var m in KubernetesNames.ValidateLabelValue(value ?? string.Empty))
            {
                yield return $"invalid value of label \"{key}\": {m}";
            }
        }

        foreach (var key in (meta.Annotations ?? new Dictionary<string, string>()).Keys)
        {
            foreach (var m in KubernetesNames.ValidateQualifiedName(key))
            {
                yield return $"invalid annotation key \"{key}\": {m}";
            }
        }
    }
}

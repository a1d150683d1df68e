using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The errors and warnings of a backup or restore: the content of Velero's <c>-results.gz</c> files.</summary>
public sealed class OperationResults
{
    /// <summary>Errors.</summary>
    [JsonPropertyName("errors")]
    public ResultMessages Errors { get; init; } = new();

    /// <summary>Warnings.</summary>
    [JsonPropertyName("warnings")]
    public ResultMessages Warnings { get; init; } = new();
}

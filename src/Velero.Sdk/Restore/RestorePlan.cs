using Velero.Sdk.Storage;

namespace Velero.Sdk.Restore;

/// <summary>What a planned step would do.</summary>
public enum RestorePlanAction
{
    /// <summary>The item would be created.</summary>
    Create,

    /// <summary>The item exists and would be updated (existingResourcePolicy <c>update</c>, or a ServiceAccount merge).</summary>
    Update,

    /// <summary>The item would not be created (it exists unchanged or different without the update policy, an action skips it, ...).</summary>
    Skip,

    /// <summary>The API server refused the item in a dry run, or preparing it failed.</summary>
    Fail,
}

/// <summary>One step of a <see cref="RestorePlan"/>.</summary>
/// <param name="Order">The priority tier the step belongs to (0 first); steps of one tier run in parallel.</param>
/// <param name="Resource">The group-resource, e.g. <c>deployments.apps</c>.</param>
/// <param name="Namespace">The target namespace; <c>null</c> for cluster-scoped items.</param>
/// <param name="Name">The item's name in the cluster.</param>
/// <param name="Action">What the restore would do.</param>
/// <param name="Reason">Why, for skips and failures (the server's own message for a refusal).</param>
public sealed record RestorePlanStep(int Order, string Resource, string? Namespace, string Name, RestorePlanAction Action, string? Reason)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Order,3} {Action,-6} {Resource} {(Namespace is null ? Name : Namespace + "/" + Name)}{(Reason is null ? string.Empty : " (" + Reason + ")")}";
}

/// <summary>
/// A dry run of a restore against the live cluster: what would be created, updated, skipped or would fail, in order. Nothing
/// is written: every create or update is sent with <c>dryRun=All</c>, so a refusal comes from the API server itself
/// (admission, validation, quota), not from guessing. Items in a namespace the restore would create cannot be checked by the
/// server (the namespace does not exist yet); they are planned as creates and say so.
/// </summary>
public sealed class RestorePlan
{
    internal RestorePlan(string backupName, IReadOnlyList<RestorePlanStep> steps, OperationResults results)
    {
        BackupName = backupName;
        Steps = steps;
        Errors = results.Errors;
        Warnings = results.Warnings;
    }

    /// <summary>The backup the plan restores.</summary>
    public string BackupName { get; }

    /// <summary>The steps in the order a restore would take them.</summary>
    public IReadOnlyList<RestorePlanStep> Steps { get; }

    /// <summary>Errors the restore would report.</summary>
    public ResultMessages Errors { get; }

    /// <summary>Warnings the restore would report.</summary>
    public ResultMessages Warnings { get; }

    /// <summary>The steps with the given action.</summary>
    public IReadOnlyList<RestorePlanStep> StepsWith(RestorePlanAction action) => [.. Steps.Where(s => s.Action == action)];
}

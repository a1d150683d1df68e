namespace Velero.Sdk.Actions.BuiltIn;

/// <summary><c>velero.io/pod</c>: backs up a pod's priority class and volume claims with it.</summary>
internal sealed class PodBackupAction : BackupItemAction, IReadOnlyAction, IRawRelatedItems
{
    public override string Name => "velero.io/pod";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<BackupItemActionResult> ExecuteAsync(BackupItemActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new BackupItemActionResult(context.Item, PodRelatedItems.Of(context.Item)));

    public IReadOnlyList<ResourceIdentifier> RelatedItems(Cluster.RawObject item) => PodRelatedItems.Of(item);
}

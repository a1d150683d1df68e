namespace Velero.Sdk.Actions.BuiltIn;

/// <summary><c>velero.io/pod</c> item block action: a pod's priority class and claims go in its block.</summary>
internal sealed class PodBlockAction : ItemBlockAction, IRawRelatedItems
{
    public override string Name => "velero.io/pod";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<IReadOnlyList<ResourceIdentifier>> GetRelatedItemsAsync(BackupItemActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(PodRelatedItems.Of(context.Item));

    public IReadOnlyList<ResourceIdentifier> RelatedItems(Cluster.RawObject item) => PodRelatedItems.Of(item);
}

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary><c>velero.io/service-account</c> item block action: its cluster role bindings and roles go in its block.</summary>
internal sealed class ServiceAccountBlockAction : ItemBlockAction
{
    public override string Name => "velero.io/service-account";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("serviceaccounts");

    public override Task<IReadOnlyList<ResourceIdentifier>> GetRelatedItemsAsync(BackupItemActionContext context, CancellationToken cancellationToken) =>
        ServiceAccountRelatedItems.OfAsync(context, cancellationToken);
}

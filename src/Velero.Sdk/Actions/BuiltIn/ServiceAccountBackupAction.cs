namespace Velero.Sdk.Actions.BuiltIn;

/// <summary><c>velero.io/service-account</c>: backs up the cluster role bindings of a service account and their roles.</summary>
internal sealed class ServiceAccountBackupAction : BackupItemAction, IReadOnlyAction
{
    public override string Name => "velero.io/service-account";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("serviceaccounts");

    public override async Task<BackupItemActionResult> ExecuteAsync(BackupItemActionContext context, CancellationToken cancellationToken) =>
        new(context.Item, await ServiceAccountRelatedItems.OfAsync(context, cancellationToken).ConfigureAwait(false));
}

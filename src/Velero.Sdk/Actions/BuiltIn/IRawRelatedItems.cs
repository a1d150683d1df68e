using Velero.Sdk.Cluster;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>
/// A built-in read-only action whose related (or additional) items can be read from an item's raw JSON, so that no document
/// is built for the items it applies to. Its answer equals that of its <c>JsonObject</c> path.
/// </summary>
internal interface IRawRelatedItems
{
    IReadOnlyList<ResourceIdentifier> RelatedItems(RawObject item);
}

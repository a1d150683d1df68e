namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>A built-in action that returns its item unchanged, so the item's original bytes can be written as they are.</summary>
internal interface IReadOnlyAction
{
}

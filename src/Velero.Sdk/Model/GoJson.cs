namespace Velero.Sdk.Model;

/// <summary>Go's JSON conventions where ours differ.</summary>
internal static class GoJson
{
    /// <summary>Go's <c>omitempty</c> on an int: zero is not written (so a count of 0 reads as absent, as in Velero's resources).</summary>
    public static int? OmitZero(int value) => value == 0 ? null : value;
}

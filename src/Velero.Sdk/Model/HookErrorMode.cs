namespace Velero.Sdk.Model;

/// <summary>
/// What a failing hook does (<see cref="V1ExecHook.OnError"/>, <see
/// cref="V1ExecRestoreHook.OnError"/>).
/// </summary>
public static class HookErrorMode
{
    /// <summary>
    /// Log the failure and continue with the remaining hooks and the item.
    /// </summary>
    public const string Continue = "Continue";

    /// <summary>
    /// Stop the remaining hooks for the pod and report an error for the item.
    /// </summary>
    public const string Fail = "Fail";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Continue,
        Fail,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}

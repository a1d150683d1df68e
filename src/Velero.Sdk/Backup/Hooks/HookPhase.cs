namespace Velero.Sdk.Backup.Hooks;

/// <summary>When a backup hook runs relative to its pod being backed up.</summary>
internal enum HookPhase
{
    Pre,
    Post,
}

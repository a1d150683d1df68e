namespace Velero.Cli;

/// <summary>The CLI's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The backup or restore is Completed; get/describe found every object named; a dry run has no failing step.</summary>
    public const int Success = 0;

    /// <summary>The backup or restore ended in another phase (PartiallyFailed, Failed, FailedValidation), an object was not found, a dry-run step would fail, or storage or the cluster failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong or the request does not validate (nothing was run); the reasons are on stderr.</summary>
    public const int Usage = 2;
}

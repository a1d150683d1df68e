namespace Velero.Sdk;

/// <summary>
/// A backup, restore or schedule that is not valid. <see cref="Errors"/> lists every problem at once, in Velero's
/// words where Velero has them (the same texts a Velero server writes to <c>status.validationErrors</c>).
/// </summary>
public sealed class VeleroValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public VeleroValidationException()
        : this("the request is not valid", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VeleroValidationException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public VeleroValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception for the named object and its problems.</summary>
    public VeleroValidationException(string what, IReadOnlyList<string> errors)
        : base(Format(what, errors))
    {
        Errors = errors ?? [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(string what, IReadOnlyList<string>? errors) =>
        errors is null || errors.Count == 0
            ? what
            : $"{what} is not valid ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):{Environment.NewLine}- " +
              string.Join(Environment.NewLine + "- ", errors);
}

namespace Velero.Sdk.Filtering;

/// <summary>A label selector that does not parse or names an invalid key, value or operator.</summary>
public sealed class LabelSelectorParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public LabelSelectorParseException()
        : this(string.Empty, 0, string.Empty, "invalid label selector")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LabelSelectorParseException(string message)
        : this(string.Empty, 0, string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LabelSelectorParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Selector = string.Empty;
        Token = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception for a selector, a position and the token found there.</summary>
    public LabelSelectorParseException(string selector, int position, string token, string reason)
        : base($"invalid label selector \"{selector}\" at position {position} ('{token}'): {reason}")
    {
        Selector = selector;
        Position = position;
        Token = token;
        Reason = reason;
    }

    /// <summary>The selector text.</summary>
    public string Selector { get; }

    /// <summary>The zero-based position of the offending token in <see cref="Selector"/>.</summary>
    public int Position { get; }

    /// <summary>The offending token ("" at the end of the text).</summary>
    public string Token { get; }

    /// <summary>What was wrong, in the API server's words.</summary>
    public string Reason { get; }
}

using System.Security.Cryptography;
using System.Text;

namespace Velero.Sdk.Model;

/// <summary>
/// Velero's rule for turning names into label values (Velero's <c>label.GetValidName</c>).
/// </summary>
/// <remarks>
/// Kubernetes label values are limited to 63 characters. Velero keeps shorter names unchanged and
/// shortens longer ones to their first 57 characters followed by the first 6 hex digits of the
/// SHA-256 of the whole name. Every label selector Velero builds for backup, restore and storage
/// location names uses this rule, so it must be reproduced exactly.
/// </remarks>
public static class LabelValue
{
    /// <summary>The maximum length of a label value (a DNS-1035 label).</summary>
    public const int MaxLength = 63;

    private const int HashLength = 6;

    /// <summary>
    /// Returns <paramref name="name"/> unchanged if it has at most <see cref="MaxLength"/> characters,
    /// otherwise its first 57 characters followed by the first 6 characters of the lowercase hex
    /// SHA-256 digest of the whole name.
    /// </summary>
    /// <remarks>
    /// Like Velero, lengths count UTF-8 bytes. Kubernetes names are ASCII, where bytes and characters
    /// are the same; for other text a character cut in half by the 57-byte prefix becomes U+FFFD.
    /// </remarks>
    /// <param name="name">The name, for example a backup name.</param>
    /// <returns>A value of at most 63 characters that is safe to use as a label value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static string GetValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length <= MaxLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return Encoding.UTF8.GetString(bytes, 0, MaxLength - HashLength) + hash[..HashLength];
    }
}

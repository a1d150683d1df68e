namespace Velero.Sdk.Storage;

/// <summary>
/// Orders strings as S3 orders keys: by their UTF-8 bytes, which is the order of their Unicode code points.
/// (<see cref="StringComparer.Ordinal"/> compares UTF-16 code units and puts supplementary characters before U+E000–U+FFFF.)
/// </summary>
internal sealed class Utf8OrdinalComparer : IComparer<string>
{
    public static Utf8OrdinalComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b)
            {
                continue;
            }

            // Surrogates (D800-DFFF) encode code points above U+FFFF: they sort after every BMP character.
            var sa = char.IsSurrogate(a);
            var sb = char.IsSurrogate(b);
            if (sa != sb)
            {
                return sa ? 1 : -1;
            }

            return a < b ? -1 : 1;
        }

        return x.Length.CompareTo(y.Length);
    }
}

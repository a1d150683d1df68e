using System.Text;

namespace Velero.Cli.Output;

/// <summary>Columns padded to their widest cell and separated by three spaces, as velero's tables are.</summary>
internal static class Table
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in all)
        {
            var line = string.Concat(row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i] + 3)));
            sb.Append(line.TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }
}

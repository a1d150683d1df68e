using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Velero.Sdk.Tests.Archive;

/// <summary>Writes tar blocks by hand, for headers no library will write (lying sizes, PAX size overrides).</summary>
internal sealed class RawTar
{
    private readonly List<byte> _tar = [];

    public RawTar Header(string name, char type, long size)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000755\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("14545325315\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        _tar.AddRange(header);
        return this;
    }

    public RawTar Data(byte[] data)
    {
        _tar.AddRange(data);
        _tar.AddRange(new byte[(512 - (data.Length % 512)) % 512]);
        return this;
    }

    public RawTar File(string name, string content) => Header(name, '0', Encoding.UTF8.GetByteCount(content)).Data(Encoding.UTF8.GetBytes(content));

    /// <summary>A PAX extended header with the given records, for the entry that follows.</summary>
    public RawTar Pax(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while ((length.ToString(CultureInfo.InvariantCulture) + body).Length != length)
            {
                length++;
            }

            text.Append(length.ToString(CultureInfo.InvariantCulture)).Append(body);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Header("PaxHeaders/x", 'x', bytes.Length).Data(bytes);
    }

    public RawTar End()
    {
        _tar.AddRange(new byte[1024]);
        return this;
    }

    public byte[] Gzip()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write([.. _tar]);
        }

        return buffer.ToArray();
    }
}

namespace Velero.Sdk.Archive;

/// <summary>CRC-32 (IEEE 802.3, as in gzip), slicing-by-8.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        var t = Table;
        while (data.Length >= 8)
        {
            uint one = (uint)(data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) ^ crc;
            uint two = (uint)(data[4] | (data[5] << 8) | (data[6] << 16) | (data[7] << 24));
            crc = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)] ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)] ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    /// <summary>
    /// The CRC of the concatenation of two byte runs from their CRCs and the second run's length: the first CRC is carried
    /// through <paramref name="length2"/> zero bytes by squaring the one-zero-bit operator over GF(2), then the second added.
    /// </summary>
    public static uint Combine(uint crc1, uint crc2, long length2)
    {
        if (length2 <= 0)
        {
            return crc1;
        }

        Span<uint> even = stackalloc uint[32];
        Span<uint> odd = stackalloc uint[32];

        // The operator for one zero bit: the reflected polynomial, then a shift.
        odd[0] = 0xEDB88320u;
        uint row = 1;
        for (int n = 1; n < 32; n++)
        {
            odd[n] = row;
            row <<= 1;
        }

        Square(even, odd); // two zero bits
        Square(odd, even); // four zero bits

        // Apply the operators for 8, 16, 32, ... zero bits (one zero byte, two, four, ...) as the length's bits say.
        do
        {
            Square(even, odd);
            if ((length2 & 1) != 0)
            {
                crc1 = Times(even, crc1);
            }

            length2 >>= 1;
            if (length2 == 0)
            {
                break;
            }

            Square(odd, even);
            if ((length2 & 1) != 0)
            {
                crc1 = Times(odd, crc1);
            }

            length2 >>= 1;
        }
        while (length2 != 0);

        return crc1 ^ crc2;
    }

    private static uint Times(ReadOnlySpan<uint> matrix, uint vector)
    {
        uint sum = 0;
        for (int i = 0; vector != 0; i++, vector >>= 1)
        {
            if ((vector & 1) != 0)
            {
                sum ^= matrix[i];
            }
        }

        return sum;
    }

    private static void Square(Span<uint> square, ReadOnlySpan<uint> matrix)
    {
        for (int n = 0; n < 32; n++)
        {
            square[n] = Times(matrix, matrix[n]);
        }
    }

    private static uint[] Build()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        for (int i = 0; i < 256; i++)
        {
            for (int s = 1; s < 8; s++)
            {
                uint prev = table[((s - 1) * 256) + i];
                table[(s * 256) + i] = (prev >> 8) ^ table[prev & 0xFF];
            }
        }

        return table;
    }
}

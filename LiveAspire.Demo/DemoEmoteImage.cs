using System.Buffers.Binary;
using System.IO.Compression;

namespace LiveAspire.Demo;

/// <summary>
/// A demo channel's emote image: a small filled circle in the role's colour, drawn here as a PNG (RGBA, 28 px), so
/// the demo needs no image files and each channel's emote is recognisable in chat.
/// </summary>
public static class DemoEmoteImage
{
    public const int Size = 28;

    public static byte[] Png(uint rgb)
    {
        // Raw scanlines: a filter byte (0, none) then RGBA pixels.
        var raw = new byte[Size * (1 + Size * 4)];
        var (r, g, b) = ((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        var centre = (Size - 1) / 2.0;
        for (var y = 0; y < Size; y++)
        {
            var row = y * (1 + Size * 4);
            for (var x = 0; x < Size; x++)
            {
                var distance = Math.Sqrt((x - centre) * (x - centre) + (y - centre) * (y - centre));
                var alpha = Math.Clamp(centre + 0.5 - distance, 0, 1);
                var at = row + 1 + x * 4;
                (raw[at], raw[at + 1], raw[at + 2], raw[at + 3]) = (r, g, b, (byte)(alpha * 255));
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Size);
        (header[8], header[9]) = (8, 6); // 8 bits per channel, RGBA
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(raw);
            }
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. typeBytes, .. data]));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}

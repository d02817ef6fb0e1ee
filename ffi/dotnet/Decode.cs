// Decode.cs: the C# twin of `amt-hello decode` (cli/), over AmtHello.cs:
//
//     mono decode.exe [--lenient] [HEX]...
//
// Decodes Intel AMT Hello messages given as hex (the arguments, or one per line on stdin when
// there are none) and prints one JSON object per message on stdout, byte for byte what
// `amt-hello decode` prints. An invalid message prints `error: <message>` on stderr; the exit
// status is 1 if any message was invalid, 2 for a usage error. (The certificate options of
// `amt-hello decode` are not offered. An argument that is not UTF-8 is refused by mono itself,
// before Main, with status 255 where `amt-hello decode` says so with status 2.)
// Build: mcs -out:decode.exe Decode.cs AmtHello.cs
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AmtHelloFfi;

static class Decode
{
    // UTF-8 without a byte-order mark, and one that refuses invalid input.
    static readonly Encoding Utf8 = new UTF8Encoding(false);
    static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
    static readonly Stream Stdout = Console.OpenStandardOutput(), Stderr = Console.OpenStandardError();

    // Each result as one write, flushed: with stdout and stderr in one pipe, in input order.
    static void Write(Stream stream, string line)
    {
        byte[] bytes = Utf8.GetBytes(line + "\n");
        stream.Write(bytes, 0, bytes.Length);
        stream.Flush();
    }

    // Rust's u8::is_ascii_whitespace.
    static bool IsSpace(byte c) => c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';

    static int HexValue(byte c) =>
        c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    // Rust's Debug form of a two-byte string (valid UTF-8).
    static string DebugString(byte a, byte b)
    {
        var s = new StringBuilder("\"");
        if (a < 0x80)
        {
            foreach (byte c in new[] { a, b })
            {
                if (c == '"' || c == '\\') s.Append('\\').Append((char)c);
                else if (c == 0) s.Append("\\0");
                else if (c < 0x20 || c == 0x7f) s.Append("\\u{").Append(c.ToString("x")).Append('}');
                else s.Append((char)c);
            }
        }
        else
        {
            int cp = (a & 0x1f) << 6 | (b & 0x3f);
            if (cp < 0xa0 || cp == 0xad || (cp >= 0x300 && cp < 0x370)) s.Append("\\u{").Append(cp.ToString("x")).Append('}');
            else s.Append((char)cp);
        }
        return s.Append('"').ToString();
    }

    // Bytes from hex, whitespace ignored, with `amt-hello decode`'s error messages.
    static byte[] HexToBytes(string text)
    {
        var digits = new List<byte>();
        foreach (byte c in Utf8.GetBytes(text))
            if (!IsSpace(c)) digits.Add(c);
        if (digits.Count % 2 != 0) throw new FormatException("odd number of hex digits (" + digits.Count + ")");
        var bytes = new byte[digits.Count / 2];
        for (int i = 0; i < digits.Count; i += 2)
        {
            int hi = HexValue(digits[i]), lo = HexValue(digits[i + 1]);
            if (hi >= 0 && lo >= 0)
            {
                bytes[i / 2] = (byte)(hi << 4 | lo);
                continue;
            }
            bool ascii = digits[i] < 0x80 && digits[i + 1] < 0x80;
            bool oneChar = digits[i] >= 0xc2 && digits[i] < 0xe0 && (digits[i + 1] & 0xc0) == 0x80;
            if (!ascii && !oneChar) throw new FormatException("non-ASCII input");
            throw new FormatException("not a hex byte: " + DebugString(digits[i], digits[i + 1]));
        }
        return bytes;
    }

    // Prints one message's JSON line or error line; returns whether it was valid.
    static bool DecodeOne(string text, bool lenient)
    {
        try
        {
            Write(Stdout, AmtHello.Parse(HexToBytes(text), lenient).ToJson());
            return true;
        }
        catch (Exception e) when (e is HelloDecodeException || e is FormatException)
        {
            Write(Stderr, "error: " + e.Message);
            return false;
        }
    }

    // stdin's lines as Rust's BufRead::lines reads them ("\n" or "\r\n" ends one), up to the
    // first that is not UTF-8, one at a time.
    static IEnumerable<string> StdinLines()
    {
        Stream stdin = Console.OpenStandardInput();
        var line = new MemoryStream();
        bool more = true;
        while (more)
        {
            int c;
            while ((c = stdin.ReadByte()) >= 0 && c != '\n') line.WriteByte((byte)c);
            more = c >= 0;
            if (!more && line.Length == 0) yield break;
            byte[] bytes = line.ToArray();
            int len = bytes.Length;
            if (more && len > 0 && bytes[len - 1] == '\r') len--;
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes, 0, len);
            }
            catch (DecoderFallbackException)
            {
                yield break;
            }
            yield return text;
            line.SetLength(0);
        }
    }

    static int Main(string[] args)
    {
        bool lenient = false, options = true;
        var messages = new List<string>();
        foreach (string arg in args)
        {
            if (options && arg == "--") options = false;
            else if (options && arg == "--lenient") lenient = true;
            else if (options && (arg == "--help" || arg == "-h"))
            {
                Write(Stdout, "Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.\n\n" +
                    "Usage: mono decode.exe [--lenient] [HEX]...");
                return 0;
            }
            else if (options && arg.StartsWith("-", StringComparison.Ordinal) && arg.Length > 1)
            {
                Write(Stderr, "error: unexpected argument '" + arg + "' found (the C# decoder takes --lenient and hex)");
                return 2;
            }
            else messages.Add(arg);
        }
        int status = 0;
        if (messages.Count == 0)
        {
            foreach (string line in StdinLines())
                if (line.Trim().Length > 0 && !DecodeOne(line, lenient)) status = 1;
        }
        foreach (string message in messages)
            if (!DecodeOne(message, lenient)) status = 1;
        return status;
    }
}
